/**
 * The distribution `goldgen infer` writes for a numeric, date or datetime column, keeping what
 * the data shows: few distinct values as exact per-value weights (`discrete`); otherwise a
 * histogram whose edges follow the data's quantiles (joined with equal-width edges, so wide and
 * skewed ranges are resolved at both ends), with every value that holds a large share of rows
 * (0 in a precipitation column) as a point mass of its own, drawn exactly.
 */
import type { DistributionDef } from '../../schemas/language.ts'

export interface DistributionOptions {
  /** Histogram bins from quantiles (default 40). */
  bins?: number | undefined
  /** At most this many distinct values are written as exact weights. */
  maxExact: number
  /** Values are integers (int columns, days, milliseconds): edges are rounded to integers. */
  integer: boolean
}

/** Most point masses kept in one histogram (the heaviest). */
const MAX_POINTS = 100

const round = (x: number) => Number(x.toPrecision(12))

/** Counts of each distinct value, ascending. */
function tally(sorted: readonly number[]): { values: number[]; counts: number[] } {
  const values: number[] = []
  const counts: number[] = []
  for (const x of sorted) {
    if (values.length > 0 && values.at(-1) === x) counts[counts.length - 1]!++
    else {
      values.push(x)
      counts.push(1)
    }
  }
  return { values, counts }
}

/** The distribution of finite values sorted ascending (at least two distinct). */
export function inferDistribution(sorted: readonly number[], options: DistributionOptions): DistributionDef {
  const { values, counts } = tally(sorted)
  if (values.length <= options.maxExact) return { discrete: { values, weights: counts } }
  const k = options.bins ?? 40
  // A value holding at least half a bin's share of the rows is a point mass of its own.
  const threshold = Math.max(3, sorted.length / (2 * k))
  const heavy = values
    .map((v, i) => ({ v, c: counts[i]! }))
    .filter((p) => p.c >= threshold)
    .sort((a, b) => b.c - a.c)
    .slice(0, MAX_POINTS)
    .sort((a, b) => a.v - b.v)
  const isPoint = new Set(heavy.map((p) => p.v))
  const rest = sorted.filter((x) => !isPoint.has(x))
  const restDistinct = new Set(rest).size
  if (restDistinct < 2) return { discrete: { values, weights: counts } }
  const edges = histogramEdges(rest, k, options.integer)
  const weights = new Array<number>(edges.length - 1).fill(0)
  let b = 0
  for (const x of rest) {
    while (b < weights.length - 1 && x >= edges[b + 1]!) b++
    weights[b]!++
  }
  return {
    histogram: {
      bins: edges,
      weights,
      ...(heavy.length > 0 ? { points: heavy.map((p) => p.v), point_weights: heavy.map((p) => p.c) } : {}),
    },
  }
}

/**
 * Equal-frequency edges (quantiles) joined with equal-width edges over [min, max], merged where
 * they coincide. Integer edges stay integers (a bin holds the integers in [a, b); the last
 * includes its upper edge).
 */
export function histogramEdges(sorted: readonly number[], k: number, integer: boolean): number[] {
  const min = sorted[0]!
  const max = sorted.at(-1)!
  const candidates = [min, max]
  for (let i = 1; i < k; i++) candidates.push(sorted[Math.floor((i * sorted.length) / k)]!)
  const wide = Math.max(1, Math.floor(k / 2))
  for (let i = 1; i < wide; i++) {
    const e = min + ((max - min) * i) / wide
    candidates.push(integer ? Math.round(e) : round(e))
  }
  const edges = [...new Set(candidates)].filter((e) => e >= min && e <= max).sort((a, b) => a - b)
  return edges
}
