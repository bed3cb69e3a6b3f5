/**
 * Slices: the groups of rows a metric is computed on besides all rows. `--slice COL` makes one
 * slice per value of COL (`segment=business`; missing values make `segment=null`); `--slice
 * "COL:bins=[a,b,c]"` makes half-open bins `[a,b)`, `[b,c)` (`age=[18,30)`), always listed even
 * when empty, plus `age<a` and `age>=c` for values outside the edges and `age=null` for missing
 * values, listed when they hold rows. Several --slice options slice independently (not crossed).
 */
import type { CellValue } from '../core/values.ts'
import type { SliceSpec } from './expression.ts'

/** One slice: its name and the row indices in it. */
export interface Slice {
  name: string
  rows: number[]
}

/** More distinct values than this in a category slice is a mistake (bins are meant). */
export const MAX_CATEGORIES = 200

/** What is wrong with a slice column, naming it; thrown by `slicesOf`. */
export class SliceProblem extends Error {}

const missing = (v: CellValue | undefined) =>
  v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))

function categories(column: string, values: readonly (CellValue | undefined)[]): Slice[] {
  const groups = new Map<string, { value: CellValue; rows: number[] }>()
  const nulls: number[] = []
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (missing(v)) {
      nulls.push(i)
      continue
    }
    const key = `${typeof v}:${String(v)}`
    let g = groups.get(key)
    if (g === undefined) {
      if (groups.size === MAX_CATEGORIES)
        throw new SliceProblem(
          `the slice column ${JSON.stringify(column)} has more than ${MAX_CATEGORIES} distinct values; slice a numeric column with "${column}:bins=[…]"`,
        )
      g = { value: v!, rows: [] }
      groups.set(key, g)
    }
    g.rows.push(i)
  }
  const sorted = [...groups.values()].sort((a, b) =>
    typeof a.value === 'number' && typeof b.value === 'number'
      ? a.value - b.value
      : String(a.value) < String(b.value)
        ? -1
        : String(a.value) > String(b.value)
          ? 1
          : 0,
  )
  const out = sorted.map((g) => ({ name: `${column}=${String(g.value)}`, rows: g.rows }))
  if (nulls.length > 0) out.push({ name: `${column}=null`, rows: nulls })
  return out
}

function bins(column: string, edges: readonly number[], values: readonly (CellValue | undefined)[]): Slice[] {
  const inside: Slice[] = edges
    .slice(0, -1)
    .map((e, k) => ({ name: `${column}=[${e},${edges[k + 1]})`, rows: [] }))
  const below: Slice = { name: `${column}<${edges[0]}`, rows: [] }
  const above: Slice = { name: `${column}>=${edges.at(-1)}`, rows: [] }
  const nulls: Slice = { name: `${column}=null`, rows: [] }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (missing(v)) nulls.rows.push(i)
    else if (typeof v !== 'number')
      throw new SliceProblem(
        `the slice column ${JSON.stringify(column)} must hold numbers to be binned; row ${i} has ${JSON.stringify(v)}`,
      )
    else if (v < edges[0]!) below.rows.push(i)
    else if (v >= edges.at(-1)!) above.rows.push(i)
    else {
      // The last edge not above v: binary search over the (increasing) edges.
      let lo = 0
      let hi = edges.length - 1
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1
        if (edges[mid]! <= v) lo = mid
        else hi = mid
      }
      inside[lo]!.rows.push(i)
    }
  }
  return [
    ...(below.rows.length > 0 ? [below] : []),
    ...inside,
    ...[above, nulls].filter((s) => s.rows.length > 0),
  ]
}

/** The slices of one --slice option over the column's values (one per row). */
export function slicesOf(spec: SliceSpec, values: readonly (CellValue | undefined)[]): Slice[] {
  return spec.bins === undefined ? categories(spec.column, values) : bins(spec.column, spec.bins, values)
}
