/**
 * The fixtures a contract run replays: every dataset version bound to the model version, read
 * from the registry with its expected outputs, tolerances, column types and row tags (edge
 * cases and missing values), the schema that negative rows are made from, and a judge of the
 * model version's metric expectations there (registry/metrics.ts).
 */
import type { MetricReport, Recipe, Registry } from '../../registry/service.ts'
import type { ExpectationRecord } from '../../registry/stores.ts'
import type { Manifest } from '../api/manifest.ts'
import type { Tolerance } from '../compare/rows.ts'
import { GoldgenError } from '../core/errors.ts'
import type { FormatName } from '../formats/index.ts'
import { type DataRow, openRows } from '../formats/read.ts'

export interface Fixture {
  /** `dataset@version`. */
  ref: string
  rows: DataRow[]
  expected: DataRow[]
  tolerances: Record<string, Tolerance>
  /** The dataset's columns (in order) and their goldgen types. */
  columns: string[]
  types: Record<string, string>
  /** The recipe the version was generated from (null for an imported file). */
  recipe: Recipe | null
  /** The row's edge-case kinds and missing values, as `column:kind`. */
  tags(row: number): string[]
  /**
   * The model version's metric expectations on this dataset version judged on outputs (one per
   * row; undefined where a row has none); absent when it has none here.
   */
  metrics?: ((outputs: readonly (DataRow | undefined)[]) => Promise<MetricReport | undefined>) | undefined
}

const GOLDGEN_TYPES = new Set([
  'id',
  'int',
  'float',
  'bool',
  'category',
  'string',
  'pattern',
  'uuid',
  'faker',
  'date',
  'datetime',
])

/** A goldgen type for a column of an imported file, from its Arrow type. */
function typeFromArrow(arrowType: string): string {
  if (/^U?Int/i.test(arrowType)) return 'int'
  if (/Float|Double|Decimal/i.test(arrowType)) return 'float'
  if (/^Bool/i.test(arrowType)) return 'bool'
  if (/^Date/i.test(arrowType)) return 'date'
  if (/^Timestamp/i.test(arrowType)) return 'datetime'
  return 'string'
}

async function readAll(file: string, format: FormatName): Promise<DataRow[]> {
  const rows: DataRow[] = []
  for await (const row of (await openRows(file, format)).rows) rows.push(row)
  return rows
}

async function loadOne(registry: Registry, e: ExpectationRecord, metrics: Set<string>): Promise<Fixture> {
  const v = e.dataset
  const ref = `${v.dataset}@${v.version}`
  const data = await registry.representation(v, v.format as FormatName)
  const rows = await readAll(data.path, v.format as FormatName)
  const expected = await readAll((await registry.expectedBlob(e)).path, e.format as FormatName)
  const manifest = (await registry.manifest(ref)) as Manifest
  const info = (manifest.columns ?? {}) as Record<
    string,
    { type?: string; arrowType?: string; edgeCases?: Record<string, number[]> }
  >
  const columns = Object.keys(rows[0] ?? info).filter((c) => c !== '_goldgen_tags')
  const types: Record<string, string> = {}
  for (const c of columns) {
    const t = info[c]?.type ?? ''
    types[c] = GOLDGEN_TYPES.has(t) ? t : typeFromArrow(info[c]?.arrowType ?? t)
  }
  const edge = new Map<number, string[]>()
  for (const [column, stats] of Object.entries(info))
    for (const [kind, list] of Object.entries(stats.edgeCases ?? {}))
      for (const r of list) edge.set(r, [...(edge.get(r) ?? []), `${column}:${kind}`])
  return {
    ref,
    rows,
    expected,
    tolerances: e.tolerances,
    columns,
    types,
    recipe: v.recipe as Recipe | null,
    metrics: metrics.has(ref)
      ? (outputs) => registry.checkMetrics(`${e.model}@${e.modelVersion}`, v, outputs)
      : undefined,
    tags: (r) => [
      ...(edge.get(r) ?? []),
      ...columns.filter((c) => rows[r]?.[c] === null).map((c) => `${c}:missing`),
    ],
  }
}

/** Every fixture of a model version; a version with none is a usage error. */
export async function loadFixtures(registry: Registry, model: string): Promise<Fixture[]> {
  const list = await registry.fixtures(model)
  if (list.length === 0)
    throw new GoldgenError(
      'NOT_FOUND',
      `${model} has no fixtures: publish a dataset and attach expected outputs with goldgen expect ${model} DATASET@VERSION OUTPUTS`,
    )
  const metrics = new Set((await registry.metricExpectations(model)).map((b) => b.dataset))
  return Promise.all(list.map((e) => loadOne(registry, e, metrics)))
}
