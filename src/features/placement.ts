/**
 * Where features land: sparse row sets (rows with a value each, sorted by row) placed by seeded
 * permutations of the full dataset's rows, and per-block look-ups into them. A row's fate
 * depends on its absolute index, never on how the work was split.
 */

import { permutation } from '../../generators/permutation.ts'
import type { ColumnBlock } from '../core/blocks.ts'

/** Rows with a value each, sorted by row, for placement lookups by block. */
export interface SparseRows {
  rows: Float64Array
  values: Float64Array
}

export function sparse(entries: Map<number, number>): SparseRows {
  const rows = Float64Array.from(entries.keys()).sort()
  return { rows, values: Float64Array.from(rows, (r) => entries.get(r)!) }
}

/** Index range [i, j) of the entries whose rows fall in [from, to). */
export function range(s: SparseRows, from: number, to: number): [number, number] {
  const lower = (x: number) => {
    let lo = 0
    let hi = s.rows.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (s.rows[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  return [lower(from), lower(to)]
}

/** The `count` rows that a seeded permutation of [0, total) puts first, skipping `taken`. */
export function pickRows(
  total: number,
  count: number,
  seed: number,
  key: string,
  purpose: string,
  taken: Set<number>,
): number[] {
  const permute = permutation(total, seed, key, purpose)
  const out: number[] = []
  for (let j = 0; out.length < count && j < total; j++) {
    const row = permute(j)
    if (!taken.has(row)) out.push(row)
  }
  return out
}

/** A per-row mask (1 = protected) of the sparse rows in [start, start + length). */
export function maskOf(
  length: number,
  start: number,
  ...sets: (SparseRows | undefined)[]
): Uint8Array | undefined {
  let mask: Uint8Array | undefined
  for (const s of sets) {
    if (s === undefined) continue
    const [a, b] = range(s, start, start + length)
    if (a === b) continue
    mask ??= new Uint8Array(length)
    for (let j = a; j < b; j++) mask[s.rows[j]! - start] = 1
  }
  return mask
}

/** Writes a value in a block's own representation. */
export function setValue(block: ColumnBlock, i: number, value: number | string): void {
  ;(block.values as unknown as (number | string)[])[i] = value
}
