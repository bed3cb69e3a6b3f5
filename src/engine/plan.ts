/**
 * Planning: a validated definition plus run options (seed, rows, offset) become the list of
 * columns with their generators, after the semantic checks the language cannot express.
 */
import { generators } from '../../generators/index.ts'
import type { GeneratorPlugin } from '../../generators/types.ts'
import type { ColumnDef, DatasetDef } from '../../schemas/language.ts'
import { type Locator, plural, withLocation } from '../../schemas/parse.ts'
import type { BlockKind } from '../core/blocks.ts'
import { GoldgenError, type Issue } from '../core/errors.ts'
import { planRecords, type RecordsPlan } from '../jsonschema/records.ts'
import { planModel } from '../privacy/model.ts'
import { type ColumnExtras, type PairwisePlan, planExtras } from './extras.ts'

export const DEFAULT_ROWS = 1000
export const DEFAULT_SEED = 0

export interface RunOptions {
  seed?: number | undefined
  rows?: number | undefined
  offset?: number | undefined
  /**
   * Rows in the full dataset that an --offset slice is cut from. Exact counts, coverage rows
   * and `mode: all` edge cases are laid out over it. Default: `rows` without an offset; with
   * one, the schema's `rows` (at least offset + rows).
   */
  total?: number | undefined
  /** Add the `_goldgen_tags` column: each row's edge-case kinds and missing values, as `column:kind`. */
  tags?: boolean | undefined
}

export interface PlannedColumn {
  name: string
  spec: ColumnDef
  plugin: GeneratorPlugin
  /** How the generator holds values. */
  baseKind: BlockKind
  /** How the column is written (differs when a string sentinel turns it into text). */
  kind: BlockKind
  dictionary?: readonly string[] | undefined
  extras: ColumnExtras
}

export interface Plan {
  def: DatasetDef
  seed: number
  rows: number
  offset: number
  total: number
  tags: boolean
  columns: PlannedColumn[]
  pairwise: PairwisePlan[]
  bins: Record<string, number[]>
  /** Records mode (`records:`): rows are JSON Schema instances and `columns` is empty. */
  records?: RecordsPlan | undefined
}

/** The name of the optional tags column. */
export const TAGS_COLUMN = '_goldgen_tags'

export interface SourceInfo {
  file?: string | undefined
  locate?: Locator | undefined
}

function checkRunOptions({ seed, rows, offset, total }: RunOptions): void {
  const bad = (what: string, v: number, expected: string) =>
    new GoldgenError('USAGE', `${what} must be ${expected}, got ${v}`)
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))
    throw bad('--seed', seed, 'an integer from 0 to 4294967295')
  if (rows !== undefined && !(Number.isSafeInteger(rows) && rows >= 0))
    throw bad('--rows', rows, 'a whole number ≥ 0')
  if (offset !== undefined && !(Number.isSafeInteger(offset) && offset >= 0))
    throw bad('--offset', offset, 'a whole number ≥ 0')
  if (total !== undefined && !(Number.isSafeInteger(total) && total >= 0))
    throw bad('--total', total, 'a whole number ≥ 0')
}

/** Checks a definition for a run and returns its plan. Throws GoldgenError (SCHEMA_INVALID, USAGE). */
export function planDataset(def: DatasetDef, options: RunOptions = {}, source: SourceInfo = {}): Plan {
  checkRunOptions(options)
  const seed = options.seed ?? def.seed ?? DEFAULT_SEED
  const rows = options.rows ?? def.rows ?? DEFAULT_ROWS
  const offset = options.offset ?? 0
  const total = options.total ?? (offset === 0 ? rows : Math.max(def.rows ?? 0, offset + rows))
  if (offset + rows > total) {
    throw new GoldgenError(
      'USAGE',
      `--offset ${offset} with --rows ${rows} reaches row ${offset + rows}, past the dataset's ${total} rows (--total)`,
    )
  }
  if (def.records !== undefined || def.model !== undefined) {
    if (options.tags === true) {
      throw new GoldgenError(
        'USAGE',
        '--tags marks edge cases and missing values, which `records` schemas do not have',
      )
    }
    const records = def.records !== undefined ? planRecords(def, source.file) : planModel(def, source.file)
    return { def, seed, rows, offset, total, tags: false, columns: [], pairwise: [], bins: {}, records }
  }
  const issues: Issue[] = []
  const base: Omit<PlannedColumn, 'extras'>[] = []
  for (const [name, spec] of Object.entries(def.columns ?? {})) {
    const plugin = generators[spec.type] as GeneratorPlugin
    for (const i of plugin.check?.(spec, { rows: total }) ?? []) {
      issues.push({ code: 'invalid_spec', path: ['columns', name, ...i.path], message: i.message })
    }
    const kind = plugin.kind(spec)
    base.push({ name, spec, plugin, baseKind: kind, kind, dictionary: plugin.dictionary?.(spec) })
  }
  const extras = issues.length === 0 ? planExtras({ def, columns: base, seed, total }) : undefined
  for (const i of extras?.issues ?? []) issues.push({ code: 'invalid_spec', ...i })
  if (issues.length > 0 || extras === undefined) {
    throw new GoldgenError('SCHEMA_INVALID', `invalid schema (${plural(issues.length, 'problem')})`, {
      file: source.file,
      issues: issues.map((i) => withLocation(i, source.locate ?? (() => undefined))),
    })
  }
  const columns = base.map((c, i) => ({
    ...c,
    kind: extras.kinds[i]!,
    dictionary: extras.dictionaries[i],
    extras: extras.extras[i]!,
  }))
  return {
    def,
    seed,
    rows,
    offset,
    total,
    tags: options.tags ?? false,
    columns,
    pairwise: extras.pairwise,
    bins: extras.bins,
  }
}
