/**
 * Samplers for the int and float distributions, truncated to [min, max] exactly:
 * each draws u uniformly from [F(min), F(max)] and returns F⁻¹(u) (inverse-CDF sampling),
 * so bounds always hold with no rejection loop and no clamping spikes.
 */

import type { DistributionDef } from '../schemas/language.ts'
import type { Rng } from '../src/engine/random.ts'
import { cumulative, logGamma, normalCdf, normalQuantile, searchCdf } from './math.ts'
import type { SpecIssue } from './types.ts'

export type Sampler = (rng: Rng) => number

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
        message: `expected exactly one distribution (uniform, normal, lognormal, exponential, poisson, zipf, histogram), got ${names.length === 0 ? 'none' : names.join(' and ')}`,
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
  }
  if (issues.length === 0) {
    try {
      createSampler(spec, integer)
    } catch (e) {
      issues.push({ path: ['distribution'], message: (e as Error).message })
    }
  }
  return issues
}

/** Builds a sampler; throws an Error with a user-facing message when [min, max] has no mass. */
export function createSampler(spec: NumericSpec, integer: boolean): Sampler {
  const { name, params } = distributionOf(spec)
  let lo = spec.min ?? Number.NEGATIVE_INFINITY
  let hi = spec.max ?? Number.POSITIVE_INFINITY
  if (integer) {
    lo = Math.max(lo, INT32_MIN)
    hi = Math.min(hi, INT32_MAX)
    if (spec.min !== undefined && spec.min < INT32_MIN) lo = spec.min
    if (spec.max !== undefined && spec.max > INT32_MAX) hi = spec.max
  }
  switch (name) {
    case 'uniform':
      return integer ? uniformInt(lo, hi) : (rng) => lo + rng.next() * (hi - lo)
    case 'normal': {
      const { mean, sd } = params as { mean: number; sd: number }
      return continuous(truncatedNormal(mean, sd), lo, hi, integer)
    }
    case 'lognormal': {
      const { mu, sigma } = params as { mu: number; sigma: number }
      const logLo = lo <= 0 ? Number.NEGATIVE_INFINITY : Math.log(integer ? Math.max(lo - 0.5, 0) : lo)
      const logHi = hi <= 0 ? Number.NEGATIVE_INFINITY : Math.log(integer ? hi + 0.5 : hi)
      if (logHi === Number.NEGATIVE_INFINITY) throw new Error('lognormal values are positive, but max is ≤ 0')
      const inner = truncatedNormal(mu, sigma)(logLo, logHi)
      return finish((rng) => Math.exp(inner(rng)), lo, hi, integer)
    }
    case 'exponential': {
      const { rate } = params as { rate: number }
      const a = Math.max(integer ? lo - 0.5 : lo, 0)
      const b = integer ? hi + 0.5 : hi
      if (b <= 0) throw new Error('exponential values are ≥ 0, but max is < 0')
      const fa = -Math.expm1(-rate * a)
      const fb = -Math.expm1(-rate * b)
      return finish((rng) => -Math.log1p(-(fa + rng.next() * (fb - fa))) / rate, lo, hi, integer)
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
      const { bins, weights } = params as { bins: number[]; weights: number[] }
      return histogram(bins, weights, lo, hi, integer)
    }
    default:
      throw new Error(`unknown distribution ${name}`)
  }
}

function uniformInt(lo: number, hi: number): Sampler {
  const span = hi - lo + 1
  return (rng) => lo + rng.below(span)
}

/** A continuous inverse-CDF sampler on [a, b] for a location-scale normal. */
function truncatedNormal(mean: number, sd: number): (a: number, b: number) => Sampler {
  return (a, b) => {
    let za = (a - mean) / sd
    let zb = (b - mean) / sd
    // Work in the lower tail, where Φ keeps relative precision.
    const mirror = za > 0
    if (mirror) [za, zb] = [-zb, -za]
    const pa = normalCdf(za)
    const pb = normalCdf(zb)
    if (!(pb > pa)) {
      // The interval lies so far in the lower tail that Φ underflows. There the truncated normal
      // is, to first order, the bound minus an exponential with rate |bound|.
      const edge = zb
      const rate = Math.abs(edge)
      return (rng) => {
        let z = edge + Math.log1p(-rng.next()) / rate
        if (z < za) z = za
        return mean + sd * (mirror ? -z : z)
      }
    }
    const width = pb - pa
    return (rng) => {
      let z = normalQuantile(pa + rng.next() * width)
      if (z < za) z = za
      else if (z > zb) z = zb
      return mean + sd * (mirror ? -z : z)
    }
  }
}

function continuous(
  make: (a: number, b: number) => Sampler,
  lo: number,
  hi: number,
  integer: boolean,
): Sampler {
  const sample = integer ? make(lo - 0.5, hi + 0.5) : make(lo, hi)
  return finish(sample, lo, hi, integer)
}

/** Rounds integer samples and keeps every value inside [lo, hi] against floating-point edges. */
function finish(sample: Sampler, lo: number, hi: number, integer: boolean): Sampler {
  if (integer) {
    return (rng) => {
      const x = Math.round(sample(rng))
      return x < lo ? lo : x > hi ? hi : x
    }
  }
  return (rng) => {
    const x = sample(rng)
    return x < lo ? lo : x > hi ? hi : x
  }
}

function discrete(from: number, to: number, pmf: (k: number) => number, what: string): Sampler {
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
  return (rng) => from + searchCdf(cdf, rng.next())
}

function histogram(bins: number[], weights: number[], lo: number, hi: number, integer: boolean): Sampler {
  // Clip every bin to [lo, hi]; its weight shrinks with the share of it that remains.
  const starts: number[] = []
  const ends: number[] = []
  const clipped: number[] = []
  for (let i = 0; i < weights.length; i++) {
    const a = bins[i]!
    const b = bins[i + 1]!
    if (integer) {
      // Bin i holds the integers in [a, b); the last bin includes b.
      const first = Math.max(Math.ceil(a), lo)
      const last = Math.min(i === weights.length - 1 ? Math.floor(b) : Math.ceil(b) - 1, hi)
      const all = (i === weights.length - 1 ? Math.floor(b) : Math.ceil(b) - 1) - Math.ceil(a) + 1
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
  if (!clipped.some((w) => w > 0)) throw new Error(`the histogram has no mass in [${lo}, ${hi}]`)
  const cdf = cumulative(clipped)
  return (rng) => {
    const i = searchCdf(cdf, rng.next())
    const a = starts[i]!
    const b = ends[i]!
    return integer ? a + rng.below(b - a + 1) : Math.min(a + rng.next() * (b - a), b)
  }
}
