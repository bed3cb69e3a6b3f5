/**
 * A dataset version's data card, gathered once from the registry: description, recipe, per-column
 * statistics from the manifest (type, nulls and missing values with their mechanism, edge cases by
 * kind, min/max/mean or top categories), coverage, the privacy ledger entry, the model versions
 * bound to it, its files and download formats, and its first rows. The browser UI, `goldgen card`
 * and the Croissant document all render this one model.
 */
import type { Registry } from '../../../registry/service.ts'
import type { ExpectationRecord, VersionRecord } from '../../../registry/stores.ts'
import type { DatasetDef } from '../../../schemas/language.ts'
import type { Manifest, ManifestFile } from '../../api/manifest.ts'
import { GoldgenError } from '../../core/errors.ts'
import { type FormatName, formatNames, formats } from '../../formats/index.ts'
import { type DataRow, openRows } from '../../formats/read.ts'

export interface CardColumn {
  name: string
  /** goldgen's column type (generated) or the type read from the file (imported). */
  type: string
  arrowType: string | undefined
  description: string | undefined
  count: number
  nullCount: number
  missingCount: number
  /** How values go missing (MCAR, MAR on other columns, MNAR on the column's own value), or null. */
  mechanism: string | null
  missingAs: string | number | undefined
  edgeCases: { kind: string; count: number }[]
  min: number | string | undefined
  max: number | string | undefined
  mean: number | undefined
  nanCount: number | undefined
  minLength: number | undefined
  maxLength: number | undefined
  /** Categories and bools: values by count, most frequent first. */
  top: { value: string; count: number }[]
}

export interface CardBinding {
  model: string
  version: string
  rows: number
  format: string
  sha256: string
  tolerances: ExpectationRecord['tolerances']
}

export interface DataCard {
  ref: string
  dataset: string
  version: number
  sha256: string
  format: string
  rows: number
  createdAt: string
  createdBy: string | null
  description: string | null
  /** Generated versions: what makes them again. Imported files: null. */
  recipe: {
    seed: number
    rows: number
    goldgen: string
    algorithm: number | undefined
    libraries: Record<string, string>
    schemaSha256: string | undefined
    schema: DatasetDef
  } | null
  imported: string | null
  columns: CardColumn[]
  coverage: Manifest['coverage'] | null
  privacy: {
    releaseId: string
    mechanism: string
    epsilon: number
    delta: number
    rho: number | null
    guarantee: boolean
    source: string
    at: string
  } | null
  bindings: CardBinding[]
  aliases: string[]
  files: ManifestFile[]
  /** Every format the data can be fetched in, the stored one first. */
  formats: { format: FormatName; mediaType: string; stored: boolean }[]
  head: DataRow[]
}

/**
 * The license a card states: generated versions are synthetic data made from a schema and are
 * stated as CC0-1.0; an imported file keeps its source's license, which goldgen does not know.
 */
export function licenseOf(card: Pick<DataCard, 'recipe'>): { hf: string; croissant: string } {
  return card.recipe === null
    ? { hf: 'unknown', croissant: 'Not stated: an imported file keeps the license of its source.' }
    : { hf: 'cc0-1.0', croissant: 'https://spdx.org/licenses/CC0-1.0.html' }
}

/** How a column's values go missing, from its schema's `missing:` block. */
export function missingMechanism(name: string, def: unknown): string | null {
  if (def === undefined || def === null) return null
  if (typeof def === 'number') return `MCAR (missing completely at random, rate ${def})`
  const m = def as { rate?: number; count?: number; when?: Record<string, unknown>; as?: unknown }
  const amount = m.count !== undefined ? `${m.count} rows` : m.rate !== undefined ? `rate ${m.rate}` : ''
  const sentinel = m.as !== undefined ? `, written as ${JSON.stringify(m.as)}` : ''
  const keys = Object.keys(m.when ?? {})
  const own = keys.includes('self') || keys.includes(name)
  const others = keys.filter((k) => k !== 'self' && k !== name)
  const tail = `${amount ? `, ${amount}` : ''})${sentinel}`
  if (keys.length === 0) return `MCAR (missing completely at random${tail}`
  if (own)
    return `MNAR (depends on the column's own value${others.length > 0 ? ` and on ${others.join(', ')}` : ''}${tail}`
  return `MAR (depends on ${others.join(', ')}${tail}`
}

type RawColumn = Record<string, unknown>

function cardColumn(name: string, raw: RawColumn, def: Record<string, unknown> | undefined): CardColumn {
  const num = (k: string) => (typeof raw[k] === 'number' ? (raw[k] as number) : undefined)
  const value = (k: string) =>
    typeof raw[k] === 'number' || typeof raw[k] === 'string' ? (raw[k] as number | string) : undefined
  const counts = (raw.valueCounts as Record<string, number> | undefined) ?? undefined
  const inspectedTop = (raw.top as [string, number][] | undefined) ?? undefined
  const top =
    counts !== undefined
      ? Object.entries(counts).map(([v, count]) => ({ value: v, count }))
      : (inspectedTop ?? []).map(([v, count]) => ({ value: String(v), count }))
  top.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
  const edge = (raw.edgeCases as Record<string, number[]> | undefined) ?? {}
  const nullCount = num('nullCount') ?? 0
  return {
    name,
    type: String(raw.type ?? 'unknown'),
    arrowType: typeof raw.arrowType === 'string' ? raw.arrowType : undefined,
    description: typeof def?.description === 'string' ? def.description : undefined,
    count: num('count') ?? 0,
    nullCount,
    missingCount: num('missingCount') ?? nullCount,
    mechanism: missingMechanism(name, def?.missing),
    missingAs: value('missingAs'),
    edgeCases: Object.entries(edge).map(([kind, rows]) => ({ kind, count: rows.length })),
    min: value('min'),
    max: value('max'),
    mean: num('mean'),
    nanCount: num('nanCount'),
    minLength: num('minLength'),
    maxLength: num('maxLength'),
    top,
  }
}

/** The first `n` rows of a version, read from its stored file. */
async function headRows(registry: Registry, v: VersionRecord, n: number): Promise<DataRow[]> {
  if (n <= 0) return []
  const stored = await registry.representation(v, v.format as FormatName)
  const rows: DataRow[] = []
  for await (const row of (await openRows(stored.path, v.format as FormatName)).rows) {
    rows.push(row)
    if (rows.length >= n) break
  }
  return rows
}

/** Gathers the data card of a dataset version. */
export async function buildCard(
  registry: Registry,
  ref: string,
  opts: { head?: number } = {},
): Promise<DataCard> {
  const { version: v, aliases, manifest } = await registry.show(ref)
  if (v.format === 'tables') {
    const names = (await registry.tables(ref)).tables.map((t) => t.name).join(', ')
    throw new GoldgenError(
      'NOT_SUPPORTED',
      `${v.dataset}@${v.version} is a multi-table version (tables: ${names}): data cards and Croissant describe single-table versions; list its tables at /v1/datasets/${v.dataset}/versions/${v.version}/tables`,
    )
  }
  const m = manifest as Manifest & { imported?: string }
  const recipe = v.recipe as {
    schema: DatasetDef
    seed: number
    rows: number
    goldgen: { version: string; algorithm?: number }
    libraries: Record<string, string>
  } | null
  const defs = (recipe?.schema.columns ?? {}) as Record<string, Record<string, unknown>>
  const columns = Object.entries(m.columns ?? {}).map(([name, raw]) =>
    cardColumn(name, raw as unknown as RawColumn, defs[name]),
  )
  const refText = `${v.dataset}@${v.version}`
  const ledger = await registry.ledger()
  let privacy: DataCard['privacy'] = null
  for (const source of ledger)
    for (const e of source.entries)
      if (e.produced === refText)
        privacy = {
          releaseId: e.releaseId,
          mechanism: e.mechanism,
          epsilon: e.epsilon,
          delta: e.delta,
          rho: e.rho,
          guarantee: e.guarantee,
          source: e.sourceName,
          at: e.at,
        }
  const bindings = (await registry.bindings(refText)).map((e) => ({
    model: e.model,
    version: e.modelVersion,
    rows: e.rows,
    format: e.format,
    sha256: e.sha256,
    tolerances: e.tolerances,
  }))
  const stored = v.format as FormatName
  return {
    ref: refText,
    dataset: v.dataset,
    version: v.version,
    sha256: v.sha256,
    format: v.format,
    rows: v.rows,
    createdAt: v.createdAt,
    createdBy: v.createdBy,
    description: recipe?.schema.description ?? null,
    recipe:
      recipe === null
        ? null
        : {
            seed: recipe.seed,
            rows: recipe.rows,
            goldgen: recipe.goldgen.version,
            algorithm: recipe.goldgen.algorithm,
            libraries: recipe.libraries,
            schemaSha256: m.schemaSha256,
            schema: recipe.schema,
          },
    imported: m.imported ?? null,
    columns,
    coverage: m.coverage ?? null,
    privacy,
    bindings,
    aliases: Object.entries(aliases)
      .filter(([, n]) => n === v.version)
      .map(([a]) => a)
      .sort(),
    files: m.files ?? [],
    formats: [stored, ...formatNames.filter((f) => f !== stored)].map((f) => ({
      format: f,
      mediaType: formats[f].mediaType,
      stored: f === stored,
    })),
    head: await headRows(registry, v, opts.head ?? 10),
  }
}
