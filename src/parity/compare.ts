/**
 * Comparing two pipelines' feature rows: rows paired by --key (else by position), the columns
 * both wrote compared under the tolerances of src/compare/rows.ts (the comparison `goldgen check`
 * uses), columns and keys only one side has, and the first differing rows with the fixture
 * row's edge-case and missing tags.
 */
import { compareRows, type Tolerance } from '../compare/rows.ts'
import { GoldgenError } from '../core/errors.ts'
import type { CellValue, DataRow } from '../formats/read.ts'
import type { ColumnResult, DifferingRow, ParityReport } from './types.ts'

export interface Sides {
  a: { rows: DataRow[]; columns: string[] }
  b: { rows: DataRow[]; columns: string[] }
}

export interface FixtureView {
  rows: DataRow[]
  tags(row: number): string[]
}

type Outcome = Pick<
  ParityReport,
  | 'rowsCompared'
  | 'rowsDiffering'
  | 'columns'
  | 'differingColumns'
  | 'onlyInA'
  | 'onlyInB'
  | 'keysOnlyInA'
  | 'keysOnlyInB'
  | 'firstDiffering'
  | 'problems'
>

const KEYS_KEPT = 20

export const toleranceText = (t: Tolerance | undefined): string =>
  t === undefined || t.kind === 'exact' ? 'exact' : `${t.kind}:${t.value}`

const keyText = (v: CellValue | undefined) => (v === null || v === undefined ? '' : String(v))

/** Row index by key value; a repeated or missing key is a problem (the first row is kept). */
function indexByKey(rows: DataRow[], key: string, side: string, problems: string[]): Map<string, number> {
  const index = new Map<string, number>()
  let repeated = 0
  let empty = 0
  rows.forEach((r, i) => {
    const v = r[key]
    if (v === null || v === undefined) empty++
    else if (index.has(keyText(v))) {
      if (repeated++ === 0) problems.push(`${side}: key ${key} ${JSON.stringify(v)} is on more than one row`)
    } else index.set(keyText(v), i)
  })
  if (repeated > 1) problems.push(`${side}: ${repeated} rows repeat a key of ${key} in all`)
  if (empty > 0) problems.push(`${side}: ${empty} rows have no ${key}`)
  return index
}

/** Pairs of row indexes [a, b, fixture row] to compare, matched by key or by position. */
function pairRows(
  sides: Sides,
  fixture: FixtureView,
  key: string | null,
  out: Outcome,
): [number, number, number | null][] {
  const { a, b } = sides
  if (key === null) {
    if (a.rows.length !== b.rows.length)
      out.problems.push(
        `a wrote ${a.rows.length} rows and b ${b.rows.length}: rows are paired by position (give --key COLUMN to pair them by a key)`,
      )
    if (a.rows.length !== fixture.rows.length || b.rows.length !== fixture.rows.length)
      out.problems.push(
        `the fixture has ${fixture.rows.length} rows; a wrote ${a.rows.length} and b ${b.rows.length}`,
      )
    const n = Math.min(a.rows.length, b.rows.length)
    return Array.from({ length: n }, (_, i) => [i, i, i < fixture.rows.length ? i : null])
  }
  const inA = indexByKey(a.rows, key, 'a', out.problems)
  const inB = indexByKey(b.rows, key, 'b', out.problems)
  const inFixture = new Map<string, number>()
  fixture.rows.forEach((r, i) => {
    if (r[key] !== null && r[key] !== undefined && !inFixture.has(keyText(r[key])))
      inFixture.set(keyText(r[key]), i)
  })
  const pairs: [number, number, number | null][] = []
  for (const [k, ia] of inA) {
    const ib = inB.get(k)
    if (ib === undefined) out.keysOnlyInA.push(a.rows[ia]![key]!)
    else pairs.push([ia, ib, inFixture.get(k) ?? (inFixture.size === 0 ? ia : null)])
  }
  for (const [k, ib] of inB) if (!inA.has(k)) out.keysOnlyInB.push(b.rows[ib]![key]!)
  for (const [side, list] of [
    ['a', out.keysOnlyInA],
    ['b', out.keysOnlyInB],
  ] as const)
    if (list.length > 0)
      out.problems.push(
        `${list.length} ${key} values only in ${side}'s features: ${list
          .slice(0, 5)
          .map((v) => JSON.stringify(v))
          .join(', ')}${list.length > 5 ? ', …' : ''}`,
      )
  out.keysOnlyInA.splice(KEYS_KEPT)
  out.keysOnlyInB.splice(KEYS_KEPT)
  return pairs
}

/** Compares the feature rows of a and b (see the file comment). */
export function compareSides(
  sides: Sides,
  fixture: FixtureView,
  key: string | null,
  tolerances: Record<string, Tolerance>,
  keep: number,
): Outcome {
  const out: Outcome = {
    rowsCompared: 0,
    rowsDiffering: 0,
    columns: [],
    differingColumns: [],
    onlyInA: sides.a.columns.filter((c) => !sides.b.columns.includes(c)),
    onlyInB: sides.b.columns.filter((c) => !sides.a.columns.includes(c)),
    keysOnlyInA: [],
    keysOnlyInB: [],
    firstDiffering: [],
    problems: [],
  }
  const common = sides.a.columns.filter((c) => sides.b.columns.includes(c))
  const unknown = Object.keys(tolerances).filter((c) => !common.includes(c))
  if (unknown.length > 0)
    throw new GoldgenError(
      'USAGE',
      `--tolerance names ${unknown.map((c) => JSON.stringify(c)).join(', ')}, which ${unknown.length > 1 ? 'are not columns' : 'is not a column'} both pipelines write (they both write: ${common.join(', ') || 'none'})`,
    )
  if (key !== null) {
    for (const [side, s] of [
      ['a', sides.a],
      ['b', sides.b],
    ] as const)
      if (s.rows.length > 0 && !s.columns.includes(key))
        out.problems.push(`${side}'s features have no key column ${JSON.stringify(key)}`)
    if (out.problems.length > 0) return out
  }
  const pairs = pairRows(sides, fixture, key, out)
  if (key !== null && pairs.length === 0 && fixture.rows.length > 0)
    out.problems.push(`no row of a has a ${key} that b also has: nothing was compared`)
  const project = (row: DataRow) => Object.fromEntries(common.map((c) => [c, row[c] ?? null]))
  const left = pairs.map(([ia]) => project(sides.a.rows[ia]!))
  const right = pairs.map(([, ib]) => project(sides.b.rows[ib]!))
  // Every differing row is kept here so each column's count is exact; the report keeps `keep`.
  const compared = compareRows(
    left,
    right,
    tolerances,
    (i) => {
      const f = pairs[i]![2]
      return f === null ? [] : fixture.tags(f)
    },
    Number.POSITIVE_INFINITY,
  )
  const counts = new Map<string, number>()
  for (const f of compared.firstFailures)
    for (const c of f.columns) counts.set(c.column, (counts.get(c.column) ?? 0) + 1)
  out.rowsCompared = compared.rowsCompared
  out.rowsDiffering = compared.rowsFailing
  out.columns = common.map(
    (column): ColumnResult => ({
      column,
      tolerance: toleranceText(tolerances[column]),
      differing: counts.get(column) ?? 0,
      worst: compared.worst[column] ?? null,
    }),
  )
  out.differingColumns = out.columns.filter((c) => c.differing > 0).map((c) => c.column)
  out.firstDiffering = compared.firstFailures.slice(0, keep).map((f): DifferingRow => {
    const fixtureRow = pairs[f.row]![2]
    return {
      row: fixtureRow,
      ...(key === null ? {} : { key: left[f.row]![key] ?? null }),
      tags: f.tags,
      columns: f.columns.map((c) => ({
        column: c.column,
        a: c.expected,
        b: c.actual,
        deviation: c.deviation,
      })),
    }
  })
  return out
}
