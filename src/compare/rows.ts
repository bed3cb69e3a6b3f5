/**
 * Comparing actual model outputs with expected ones under per-column tolerances:
 * `exact` (the default; NaN equals NaN), `atol:X` (|a − e| ≤ X) and `rtol:X` (|a − e| ≤ X·|e|).
 * null is not NaN; an infinite value matches only itself; -0 equals 0; strings and booleans compare
 * exactly under any tolerance. test/fixtures/tolerance-cases.json pins these for every client.
 */

import { GoldgenError } from '../core/errors.ts'
import type { CellValue, DataRow } from '../formats/read.ts'

/** How closely an output column must match: exactly, within an absolute or a relative bound. */
export interface Tolerance {
  kind: 'exact' | 'atol' | 'rtol'
  value?: number
}

/** Parses `COL=exact|atol:X|rtol:X` options into a tolerance spec. */
export function parseTolerances(specs: readonly string[]): Record<string, Tolerance> {
  const out: Record<string, Tolerance> = {}
  for (const spec of specs) {
    const m = /^([^=]+)=(exact|atol:([0-9.eE+-]+)|rtol:([0-9.eE+-]+))$/.exec(spec)
    const value = m === null ? Number.NaN : Number(m[3] ?? m[4] ?? 0)
    if (m === null || !(value >= 0) || !Number.isFinite(value)) {
      throw new GoldgenError(
        'USAGE',
        `malformed tolerance ${JSON.stringify(spec)}: expected COLUMN=exact, COLUMN=atol:X or COLUMN=rtol:X with X ≥ 0`,
      )
    }
    out[m[1]!] = m[2] === 'exact' ? { kind: 'exact' } : { kind: m[3] !== undefined ? 'atol' : 'rtol', value }
  }
  return out
}

export interface FailingRow {
  row: number
  columns: { column: string; expected: CellValue; actual: CellValue; deviation: number | null }[]
  /** The dataset row's edge-case kinds and missing values, as `column:kind`. */
  tags: string[]
}

export interface Comparison {
  rowsCompared: number
  rowsFailing: number
  /** Per output column: the largest deviation seen (null when the column is compared as text). */
  worst: Record<string, number | null>
  firstFailures: FailingRow[]
  problems: string[]
}

function deviation(expected: CellValue, actual: CellValue): number | null {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected) && Number.isNaN(actual)) return 0
    if (expected === actual) return 0
    return Math.abs(actual - expected)
  }
  return null
}

function within(t: Tolerance, expected: CellValue, actual: CellValue): boolean {
  if (Object.is(expected, actual) || expected === actual) return true
  if (typeof expected !== 'number' || typeof actual !== 'number') return false
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual)
  // An infinite value matches only itself (handled above): |∞ − x| ≤ rtol·∞ must not pass.
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return false
  const d = Math.abs(actual - expected)
  if (t.kind === 'atol') return d <= t.value!
  if (t.kind === 'rtol') return d <= t.value! * Math.abs(expected)
  return false
}

/** Compares rows pairwise (row i with row i); `tagsOf(i)` names the dataset row's edge cases. */
export function compareRows(
  expected: DataRow[],
  actual: DataRow[],
  tolerances: Record<string, Tolerance>,
  tagsOf: (row: number) => string[] = () => [],
  keep = 10,
): Comparison {
  const problems: string[] = []
  if (expected.length !== actual.length) {
    problems.push(`expected ${expected.length} rows of outputs, got ${actual.length}`)
  }
  const columns = Object.keys(expected[0] ?? {})
  const missing = columns.filter((c) => actual.length > 0 && !(c in actual[0]!))
  if (missing.length > 0)
    problems.push(`the outputs have no column ${missing.map((c) => JSON.stringify(c)).join(', ')}`)
  const worst: Record<string, number | null> = Object.fromEntries(columns.map((c) => [c, null]))
  const firstFailures: FailingRow[] = []
  let rowsFailing = 0
  const n = Math.min(expected.length, actual.length)
  for (let i = 0; i < n; i++) {
    const failing: FailingRow['columns'] = []
    for (const c of columns) {
      const e = expected[i]![c] ?? null
      const a = actual[i]![c] ?? null
      const d = deviation(e, a)
      if (d !== null && (worst[c] === null || d > worst[c]!)) worst[c] = d
      if (!within(tolerances[c] ?? { kind: 'exact' }, e, a))
        failing.push({ column: c, expected: e, actual: a, deviation: d })
    }
    if (failing.length > 0) {
      rowsFailing++
      if (firstFailures.length < keep) firstFailures.push({ row: i, columns: failing, tags: tagsOf(i) })
    }
  }
  return { rowsCompared: n, rowsFailing, worst, firstFailures, problems }
}
