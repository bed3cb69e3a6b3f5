/**
 * Planning: a validated definition plus run options (seed, rows, offset, total) become a plan:
 * the run's figures and the row source that the definition's kind planned.
 */
import type { DatasetDef } from '../../schemas/language.ts'
import { GoldgenError } from '../core/errors.ts'
import type { PlannedSource, RowSourceKind, SourceInfo } from './source.ts'

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

export interface Plan {
  def: DatasetDef
  seed: number
  rows: number
  offset: number
  total: number
  tags: boolean
  /** What the schema's kind planned: its columns and how to make their blocks. */
  source: PlannedSource
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

/**
 * Checks a definition for a run and returns its plan, made by the first of `kinds` that claims
 * the definition. Throws GoldgenError (SCHEMA_INVALID, USAGE).
 */
export function planRun(
  def: DatasetDef,
  options: RunOptions,
  source: SourceInfo,
  kinds: readonly RowSourceKind[],
): Plan {
  checkRunOptions(options)
  const seed = options.seed ?? def.seed ?? DEFAULT_SEED
  const rows = options.rows ?? def.rows ?? DEFAULT_ROWS
  const offset = options.offset ?? 0
  const total = options.total ?? (offset === 0 ? rows : Math.max(def.rows ?? 0, offset + rows))
  if (options.total === undefined && offset > 0 && def.rows !== undefined && offset + rows > def.rows) {
    throw new GoldgenError(
      'USAGE',
      `--offset ${offset} with --rows ${rows} reaches row ${offset + rows}, past the schema's rows: ${def.rows}; give --total T to cut the slice from a larger dataset`,
    )
  }
  if (offset + rows > total) {
    throw new GoldgenError(
      'USAGE',
      `--offset ${offset} with --rows ${rows} reaches row ${offset + rows}, past the dataset's ${total} rows (--total)`,
    )
  }
  const kind = kinds.find((k) => k.claims(def))
  if (kind === undefined) throw new Error('goldgen bug: no row source claims the schema')
  if (options.tags === true && !kind.tags) {
    throw new GoldgenError(
      'USAGE',
      '--tags marks edge cases and missing values, which `records` schemas do not have',
    )
  }
  const tags = options.tags ?? false
  return { def, seed, rows, offset, total, tags, source: kind.plan(def, { seed, total, tags, source }) }
}
