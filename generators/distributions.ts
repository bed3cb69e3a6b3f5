/**
 * Samplers for the int and float distributions, truncated to [min, max] exactly (never clamped
 * into spikes). Normal and lognormal draws use a ziggurat with rejection when [min, max] holds
 * at least 30% of the mass, and inverse-CDF sampling (u uniform on [F(min), F(max)], x = F⁻¹(u))
 * otherwise; the other distributions always use inverse-CDF sampling or a cumulative table.
 */
import type { DistributionDef } from '../schemas/language.ts'
import type { Rng } from '../src/core/random.ts'
import { createZiggurat, cumulative, logGamma, normalCdf, normalQuantile, searchCdf } from './math.ts'
import { checkPoints, discreteFill, pointsWithin } from './points.ts'
import type { SpecIssue } from './types.ts'

export interface NumericSpec {
  min?: number | undefined
  max?: number | undefined
  distribution?: DistributionDef | undefined
}

export const INT32_MIN = -2147483648
export const INT32_MAX = 2147483647

/** The single distribution named in a spec (uniform when none is given). */
export function distributionOf(spec: NumericSpec): { name: string; params: Record<string, unknown> } {
  const d = spec.distribution
  if (d === undefined) return { name: 'uniform', params: {} }
  const [name, params] = Object.entries(d).find(([, v]) => v !== undefined) ?? ['uniform', {}]
  return { name, params: params as Record<string, unknown> }
}

/** Checks that the language cannot express; paths are relative to the column. */
export function checkNumeric(spec: NumericSpec, integer: boolean): SpecIssue[] {
  const issues: SpecIssue[] = []
  const { min, max, distribution } = spec
  if (distribution !== undefined) {
    const names = Object.keys(distribution).filter(
      (k) => distribution[k as keyof DistributionDef] !== undefined,
    )
    if (names.length !== 1) {
      issues.push({
        path: ['distribution'],
        message: `expected exactly one distribution (uniform, normal, lognormal, exponential, poisson, zipf, histogram, discrete), got ${names.length === 0 ? 'none' : names.join(' and ')}`,
      })
      return issues
    }
  }
  if (min !== undefined && max !== undefined && min > max) {
    issues.push({ path: ['min'], message: `min (${min}) must not be greater than max (${max})` })
    return issues
  }
  const { name, params } = distributionOf(spec)
  if (name === 'uniform' && (min === undefined || max === undefined)) {
    issues.push({
      path: [min === undefined ? 'min' : 'max'],
      message:
        'the uniform distribution (the default) needs both min and max; give them, or choose another distribution',
    })
  }
  if (name === 'uniform' && min !== undefined && max !== undefined && !Number.isFinite(max - min)) {
    issues.push({ path: ['max'], message: 'max - min must be a finite number' })
  }
  if ((name === 'poisson' || name === 'zipf') && !integer) {
    issues.push({
      path: ['distribution', name],
      message: `${name} is a distribution of integers; use it on an int column`,
    })
  }
  if (name === 'histogram') {
    const { bins, weights } = params as { bins: number[]; weights: number[] }
    for (let i = 1; i < bins.length; i++) {
      if (!(bins[i]! > bins[i - 1]!)) {
        issues.push({
          path: ['distribution', 'histogram', 'bins', i],
          message: 'bin edges must be strictly increasing',
        })
        return issues
      }
    }
    if (weights.length !== bins.length - 1) {
      issues.push({
        path: ['distribution', 'histogram', 'weights'],
        message: `expected ${bins.length - 1} weights (one per bin between ${bins.length} edges), got ${weights.length}`,
      })
      return issues
    }
    const { points, point_weights } = params as { points?: number[]; point_weights?: number[] }
    if (points !== undefined) {
      issues.push(
        ...checkPoints(
          points,
          point_weights,
          integer,
          ['distribution', 'histogram', 'points'],
          'point_weights',
        ),
      )
    } else if (point_weights !== undefined) {
      issues.push({
        path: ['distribution', 'histogram', 'point_weights'],
        message: 'point_weights needs points beside it',
      })
    }
    if (issues.length > 0) return issues
  }
  if (name === 'discrete') {
    const { values, weights } = params as { values: number[]; weights: number[] }
    issues.push(...checkPoints(values, weights, integer, ['distribution', 'discrete', 'values'], 'weights'))
    if (issues.length > 0) return issues
  }
  if (issues.length === 0) {
    try {
      createFill(spec, integer)
    } catch (e) {
      issues.push({ path: ['distribution'], message: (e as Error).message })
    }
  }
  return issues
}

/** Fills a typed array with draws; one loop per distribution keeps each hot loop monomorphic. */
export type Fill = (out: Float64Array | Int32Array, rng: Rng) => void

/** How raw draws become stored values: rounding (integers, `precision`) and [lo, hi] against float edges. */
function finisher(
  lo: number,
  hi: number,
  integer: boolean,
  precision: number | undefined,
): (x: number) => number {
  if (integer) {
    return (x) => {
      const r = Math.round(x)
      return r < lo ? lo : r > hi ? hi : r
    }
  }
  if (precision === undefined) return (x) => (x < lo ? lo : x > hi ? hi : x) || 0 // no -0
  const f = 10 ** precision
  const gridLo = Math.ceil(lo * f) / f
  const gridHi = Math.floor(hi * f) / f
  return (x) => {
    const r = Math.round(x * f) / f
    return (r < gridLo ? gridLo : r > gridHi ? gridHi : r) || 0
  }
}

/** Parameters of a draw from a normal truncated to [a, b] (in its own units). */
interface TruncatedNormal {
  mean: number
  sd: number
  /** Bounds in standard units (mirrored into the lower tail when `mirror`). */
  za: number
  zb: number
  /** Draw by rejection from untruncated ziggurat draws (the interval holds ≥ 30% of the mass). */
  reject: boolean
  pa: number
  width: number
  mirror: boolean
  /** Set when the interval is so far in the tail that Φ underflows: z = edge - Exp(1)/rate. */
  tailRate: number
}

/** Below this share of the mass inside [a, b], rejection would loop too often: use inverse-CDF. */
const REJECTION_MIN_MASS = 0.3
const ziggurat = createZiggurat()

function truncatedNormal(mean: number, sd: number, a: number, b: number): TruncatedNormal {
  let za = (a - mean) / sd
  let zb = (b - mean) / sd
  // Work in the lower tail, where Φ keeps relative precision.
  const mirror = za > 0
  if (mirror) [za, zb] = [-zb, -za]
  const pa = normalCdf(za)
  const pb = normalCdf(zb)
  // Far in the lower tail the truncated normal is, to first order, the bound minus an exponential with rate |bound|.
  const tailRate = pb > pa ? 0 : Math.abs(zb)
  return { mean, sd, za, zb, reject: pb - pa >= REJECTION_MIN_MASS, pa, width: pb - pa, mirror, tailRate }
}

function drawNormal(t: TruncatedNormal, rng: Rng): number {
  let z: number
  if (t.reject) {
    // Exact: an untruncated draw, kept when it falls inside (at most 1/0.3 tries on average).
    do z = ziggurat(rng)
    while (z < t.za || z > t.zb)
  } else if (t.tailRate === 0) {
    z = normalQuantile(t.pa + rng.next() * t.width)
    if (z > t.zb) z = t.zb
  } else z = t.zb + Math.log1p(-rng.next()) / t.tailRate
  if (z < t.za) z = t.za
  return t.mean + t.sd * (t.mirror ? -z : z)
}

/** Builds the fill loop for a numeric column; throws an Error with a user-facing message when [min, max] has no mass. */
export function createFill(spec: NumericSpec, integer: boolean, precision?: number): Fill {
  const { name, params } = distributionOf(spec)
  let lo = spec.min ?? Number.NEGATIVE_INFINITY
  let hi = spec.max ?? Number.POSITIVE_INFINITY
  if (integer) {
    lo = Math.max(lo, INT32_MIN)
    hi = Math.min(hi, INT32_MAX)
    if (spec.min !== undefined && spec.min < INT32_MIN) lo = spec.min
    if (spec.max !== undefined && spec.max > INT32_MAX) hi = spec.max
  }
  const finish = finisher(lo, hi, integer, precision)
  // Integers are drawn from the continuous law on [lo - ½, hi + ½] and rounded.
  const a = integer ? lo - 0.5 : lo
  const b = integer ? hi + 0.5 : hi
  switch (name) {
    case 'uniform': {
      if (integer) {
        const span = hi - lo + 1
        return (out, rng) => {
          for (let i = 0; i < out.length; i++) out[i] = lo + rng.below(span)
        }
      }
      const width = hi - lo
      return (out, rng) => {
        for (let i = 0; i < out.length; i++) out[i] = finish(lo + rng.next() * width)
      }
    }
    case 'normal': {
      const { mean, sd } = params as { mean: number; sd: number }
      const t = truncatedNormal(mean, sd, a, b)
      return (out, rng) => {
        for (let i = 0; i < out.length; i++) out[i] = finish(drawNormal(t, rng))
      }
    }
    case 'lognormal': {
      const { mu, sigma } = params as { mu: number; sigma: number }
      if (b <= 0) throw new Error('lognormal values are positive, but max is ≤ 0')
      const t = truncatedNormal(mu, sigma, a <= 0 ? Number.NEGATIVE_INFINITY : Math.log(a), Math.log(b))
      return (out, rng) => {
        for (let i = 0; i < out.length; i++) out[i] = finish(Math.exp(drawNormal(t, rng)))
      }
    }
    case 'exponential': {
      const { rate } = params as { rate: number }
      if (b < 0) throw new Error('exponential values are ≥ 0, but max is < 0')
      const fa = -Math.expm1(-rate * Math.max(a, 0))
      const fb = -Math.expm1(-rate * b)
      return (out, rng) => {
        for (let i = 0; i < out.length; i++)
          out[i] = finish(-Math.log1p(-(fa + rng.next() * (fb - fa))) / rate)
      }
    }
    case 'poisson': {
      const { lambda } = params as { lambda: number }
      const spread = 40 * Math.sqrt(lambda) + 40
      const from = Math.max(0, Math.ceil(lo), Math.floor(lambda - spread))
      const to = Math.min(Math.floor(hi), Math.ceil(lambda + spread))
      if (from > to) throw new Error(`poisson(${lambda}) has no mass in [${lo}, ${hi}]`)
      const logL = Math.log(lambda)
      return discrete(from, to, (k) => Math.exp(k * logL - lambda - logGamma(k + 1)), `poisson(${lambda})`)
    }
    case 'zipf': {
      const { s, n } = params as { s: number; n: number }
      const from = Math.max(1, Math.ceil(lo))
      const to = Math.min(n, Math.floor(hi))
      if (from > to) throw new Error(`zipf over 1..${n} has no values in [${lo}, ${hi}]`)
      return discrete(from, to, (k) => k ** -s, `zipf(${s}, ${n})`)
    }
    case 'histogram': {
      const { bins, weights, points, point_weights } = params as {
        bins: number[]
        weights: number[]
        points?: number[]
        point_weights?: number[]
      }
      const exact =
        points === undefined ? undefined : pointsWithin({ values: points, weights: point_weights! }, lo, hi)
      return histogram(bins, weights, lo, hi, integer, finish, exact)
    }
    case 'discrete': {
      const { values, weights } = params as { values: number[]; weights: number[] }
      return discreteFill({ values, weights }, lo, hi)
    }
    default:
      throw new Error(`unknown distribution ${name}`)
  }
}

function discrete(from: number, to: number, pmf: (k: number) => number, what: string): Fill {
  const size = to - from + 1
  if (size > 20_000_000)
    throw new Error(`${what} over ${size} values is too wide; narrow it with min and max`)
  const weights = new Float64Array(size)
  let total = 0
  for (let i = 0; i < size; i++) {
    weights[i] = pmf(from + i)
    total += weights[i]!
  }
  if (!(total > 0)) throw new Error(`${what} has no mass in [${from}, ${to}]`)
  const cdf = cumulative(weights)
  return (out, rng) => {
    for (let i = 0; i < out.length; i++) out[i] = from + searchCdf(cdf, rng.next())
  }
}

function histogram(
  bins: number[],
  weights: number[],
  lo: number,
  hi: number,
  integer: boolean,
  finish: (x: number) => number,
  exact?: { values: readonly number[]; weights: readonly number[] },
): Fill {
  // Clip every bin to [lo, hi]; its weight shrinks with the share of it that remains.
  const starts: number[] = []
  const ends: number[] = []
  const clipped: number[] = []
  for (let i = 0; i < weights.length; i++) {
    const a = bins[i]!
    const b = bins[i + 1]!
    if (integer) {
      // Bin i holds the integers in [a, b); the last bin includes b.
      const lastInBin = i === weights.length - 1 ? Math.floor(b) : Math.ceil(b) - 1
      const first = Math.max(Math.ceil(a), lo)
      const last = Math.min(lastInBin, hi)
      const all = lastInBin - Math.ceil(a) + 1
      starts.push(first)
      ends.push(last)
      clipped.push(last >= first && all > 0 ? (weights[i]! * (last - first + 1)) / all : 0)
    } else {
      const first = Math.max(a, lo)
      const last = Math.min(b, hi)
      starts.push(first)
      ends.push(last)
      clipped.push(last > first ? (weights[i]! * (last - first)) / (b - a) : 0)
    }
  }
  // Point masses are cells after the bins: without them the table (and every draw) is unchanged.
  const binCount = clipped.length
  if (exact !== undefined) clipped.push(...exact.weights)
  if (!clipped.some((w) => w > 0)) throw new Error(`the histogram has no mass in [${lo}, ${hi}]`)
  const cdf = cumulative(clipped)
  return (out, rng) => {
    for (let i = 0; i < out.length; i++) {
      const k = searchCdf(cdf, rng.next())
      if (k >= binCount) {
        out[i] = exact!.values[k - binCount]!
        continue
      }
      const a = starts[k]!
      const b = ends[k]!
      out[i] = integer ? a + rng.below(b - a + 1) : finish(Math.min(a + rng.next() * (b - a), b))
    }
  }
}
