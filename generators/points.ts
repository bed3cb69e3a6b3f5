/**
 * Exact values in numeric distributions: the `discrete` distribution (these values, each with
 * its weight) and the point masses a `histogram` may carry beside its bins (`points` with
 * `point_weights`), so a value that holds a large share of rows — 0 in a precipitation column —
 * is drawn exactly instead of being spread over a bin. Checks and samplers.
 */
import type { Rng } from '../src/core/random.ts'
import { cumulative, searchCdf } from './math.ts'
import type { SpecIssue } from './types.ts'

export interface PointSet {
  values: readonly number[]
  weights: readonly number[]
}

/** Issues of a set of exact values (distinct, integral for int columns, one weight each). */
export function checkPoints(
  values: readonly number[],
  weights: readonly number[] | undefined,
  integer: boolean,
  path: (string | number)[],
  weightsKey: string,
): SpecIssue[] {
  if (weights === undefined)
    return [{ path: [...path.slice(0, -1), weightsKey], message: `expected ${weightsKey} beside the values` }]
  if (weights.length !== values.length) {
    return [
      {
        path: [...path.slice(0, -1), weightsKey],
        message: `expected ${values.length} weights (one per value), got ${weights.length}`,
      },
    ]
  }
  const seen = new Set<number>()
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (integer && !Number.isInteger(v))
      return [{ path: [...path, i], message: `an int column's values must be integers, got ${v}` }]
    if (seen.has(v)) return [{ path: [...path, i], message: `the value ${v} is listed twice` }]
    seen.add(v)
  }
  return []
}

/** The points inside [lo, hi], with their weights (the others cannot be drawn). */
export function pointsWithin(points: PointSet, lo: number, hi: number): PointSet {
  const values: number[] = []
  const weights: number[] = []
  points.values.forEach((v, i) => {
    if (v >= lo && v <= hi) {
      values.push(v)
      weights.push(points.weights[i]!)
    }
  })
  return { values, weights }
}

/** Draws exactly the given values in proportion to their weights. */
export function discreteFill(
  points: PointSet,
  lo: number,
  hi: number,
): (out: Float64Array | Int32Array, rng: Rng) => void {
  const inside = pointsWithin(points, lo, hi)
  if (!inside.weights.some((w) => w > 0))
    throw new Error(`the discrete values have no mass in [${lo}, ${hi}]`)
  const cdf = cumulative(inside.weights)
  const values = inside.values
  return (out, rng) => {
    for (let i = 0; i < out.length; i++) out[i] = values[searchCdf(cdf, rng.next())]!
  }
}
