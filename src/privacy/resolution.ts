/**
 * The resolution of numeric columns whose domain gives only `{ min, max }` (no `bins`), chosen
 * by `goldgen fit`:
 *
 * - an integer column whose range holds at most FULL_RESOLUTION values gets one bin per value
 *   (from the public domain alone: no budget);
 * - any other column gets bins placed from the data, privately: a hierarchy of noisy
 *   histograms (LEVELS levels of FANOUT equal-width cells; each level refines only the cells
 *   whose noisy count is worth two bins or more, an integer cell stops at width 1), then the leaves are merged
 *   in order into about TARGET_BINS bins of equal noisy mass, a heavy leaf staying a bin of its
 *   own. A value that holds a large share of rows (0 in capital-gain) thus ends in a bin of
 *   width 1 (integers) or a sliver of the range (floats), so sampling uniformly inside bins
 *   keeps the point mass.
 *
 * Privacy: neighbouring datasets differ in one row; at each level that row is in at most one
 * counted cell, so each level's table has L1 and L2 sensitivity 1. Every level of every column
 * is one spend of the resolution share (RESOLUTION_SHARE of the budget), split evenly: the
 * accountant records each, and the rest of the fit spends the remainder.
 */
import type { Domain, DomainColumn } from './domain.ts'

export const FULL_RESOLUTION = 32
export const RESOLUTION_SHARE = 0.1
const LEVELS = 3
const FANOUT = 64
const TARGET_BINS = 64
const MAX_REFINED = 16

type RangeColumn = Extract<DomainColumn, { kind: 'range' }>

/** Adds noise to counts at a given cost, recording the spend (the fit's own mechanism). */
export type Noisy = (counts: number[], cost: number, what: string) => { values: number[] }

/** Whether a column's bins are for the fit to choose, and whether that costs budget. */
export function needsResolution(c: DomainColumn): 'free' | 'private' | undefined {
  if (c.kind !== 'range' || c.auto !== true) return undefined
  return c.integer && c.max - c.min + 1 <= FULL_RESOLUTION ? 'free' : 'private'
}

/** One bin per integer: edges min, min+1, …, max, and max + ½ so the last bin holds max alone. */
export function fullResolution(c: RangeColumn): RangeColumn {
  const edges: number[] = []
  for (let v = c.min; v <= c.max; v++) edges.push(v)
  edges.push(c.max + 0.5)
  return { ...c, auto: false, bins: edges.length - 1, edges }
}

interface Cell {
  lo: number
  hi: number
  count: number
}

/**
 * Bins for one column from its values (null = missing or outside the domain), spending
 * `cost` (ρ or ε) in LEVELS equal parts through `noisy`.
 */
export function privateResolution(
  c: RangeColumn,
  name: string,
  values: readonly (number | null)[],
  cost: number,
  noisy: Noisy,
): RangeColumn {
  // Integers live in [min, max + 1) as unit cells; floats in [min, max].
  const top = c.integer ? c.max + 1 : c.max
  const present = values
    .filter((v): v is number => v !== null)
    .map((v) => Math.min(c.max, Math.max(c.min, v)))
  let frontier: Cell[] = [{ lo: c.min, hi: top, count: Number.POSITIVE_INFINITY }]
  const leaves: Cell[] = []
  let total = 0
  for (let level = 0; level < LEVELS; level++) {
    const split = (cell: Cell): Cell[] => {
      const width = cell.hi - cell.lo
      const parts = c.integer ? Math.min(FANOUT, width) : FANOUT
      const step = width / parts
      return Array.from({ length: parts }, (_, i) => {
        const lo = c.integer ? cell.lo + Math.round(i * step) : cell.lo + i * step
        const hi =
          i === parts - 1
            ? cell.hi
            : c.integer
              ? cell.lo + Math.round((i + 1) * step)
              : cell.lo + (i + 1) * step
        return { lo, hi, count: 0 }
      }).filter((x) => x.hi > x.lo)
    }
    const children = frontier.flatMap(split)
    // True counts of the refined cells (a row outside them is not counted at this level).
    const starts = children.map((x) => x.lo)
    const counts = new Array<number>(children.length).fill(0)
    for (const v of present) {
      const k = binarySearch(starts, v)
      if (k >= 0 && v < children[k]!.hi) counts[k]!++
      else if (k >= 0 && v === c.max && children[k]!.hi === top && !c.integer) counts[k]!++
    }
    const noised = noisy(counts, cost / LEVELS, `resolution of ${name}, level ${level + 1}`).values
    children.forEach((x, i) => {
      x.count = Math.max(0, noised[i]!)
    })
    // The row count from the unclipped noisy counts (their noise has mean 0).
    if (level === 0)
      total = Math.max(
        1,
        noised.reduce((s, x) => s + x, 0),
      )
    // A cell worth two bins or more is refined (at most MAX_REFINED per level, the heaviest).
    const heavy = (2 * total) / TARGET_BINS
    const refined = new Set(
      children
        .filter((x) => x.count >= heavy && (!c.integer || x.hi - x.lo > 1))
        .sort((a, b) => b.count - a.count)
        .slice(0, MAX_REFINED),
    )
    const next: Cell[] = []
    for (const x of children) {
      if (level < LEVELS - 1 && refined.has(x)) next.push(x)
      else leaves.push(x)
    }
    frontier = next
  }
  leaves.push(...frontier)
  leaves.sort((a, b) => a.lo - b.lo)
  const edges = mergeLeaves(leaves, total / TARGET_BINS)
  if (c.integer) edges[edges.length - 1] = c.max + 0.5
  return { ...c, auto: false, bins: edges.length - 1, edges }
}

/** Edges of bins of about `target` mass each, in order; a leaf of at least `target` stays alone. */
function mergeLeaves(leaves: readonly Cell[], target: number): number[] {
  const edges = [leaves[0]!.lo]
  let mass = 0
  leaves.forEach((leaf, i) => {
    const last = i === leaves.length - 1
    if (leaf.count >= target && mass > 0 && edges.at(-1)! < leaf.lo) {
      // Close the bin before a heavy leaf so the leaf stands alone.
      edges.push(leaf.lo)
      mass = 0
    }
    mass += leaf.count
    if ((mass >= target || last) && edges.at(-1)! < leaf.hi) {
      edges.push(leaf.hi)
      mass = 0
    }
  })
  return edges
}

/** The last index whose start is ≤ v, or -1. */
function binarySearch(starts: readonly number[], v: number): number {
  let lo = 0
  let hi = starts.length - 1
  if (hi < 0 || v < starts[0]!) return -1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= v) lo = mid
    else hi = mid - 1
  }
  return lo
}

/**
 * The domain with every `{ min, max }`-only numeric column resolved; `spent` is the share of
 * `total` (ρ or ε) the private placements used, each recorded through `noisy`.
 */
export function resolveDomain(
  names: readonly string[],
  rows: readonly (readonly (string | null)[])[],
  domain: Domain,
  total: number,
  noisy: Noisy,
): { domain: Domain; spent: number } {
  const wanted = [...domain].filter(([, c]) => needsResolution(c) === 'private').length
  const cost = wanted > 0 ? (total * RESOLUTION_SHARE) / wanted : 0
  const out: Domain = new Map()
  for (const [name, c] of domain) {
    const need = needsResolution(c)
    if (c.kind !== 'range' || need === undefined) out.set(name, c)
    else if (need === 'free') out.set(name, fullResolution(c))
    else {
      const index = names.indexOf(name)
      const values = rows.map((r) => {
        const text = index < 0 ? null : (r[index] ?? null)
        const x = text === null || text.trim() === '' ? Number.NaN : Number(text)
        return Number.isNaN(x) ? null : x
      })
      out.set(name, privateResolution(c, name, values, cost, noisy))
    }
  }
  return { domain: out, spent: cost * wanted }
}
