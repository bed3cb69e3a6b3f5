/** Distribution shapes at large N: moments and frequencies within a few standard errors. */
import { describe, expect, it } from 'vitest'
import { logGamma, normalCdf, normalQuantile } from '../generators/math.ts'
import { columnValues, schema } from './helpers.ts'

const N = 200_000

function draw(spec: unknown, seed = 1, rows = N): number[] {
  return columnValues(schema({ goldgen: 1, columns: { x: spec } }), { seed, rows }).x as number[]
}
const min = (xs: number[]) => xs.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY)
const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY)
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const variance = (xs: number[]) => {
  const m = mean(xs)
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)
}
/** |observed - expected| within k standard errors of a mean of N draws with standard deviation sd. */
const expectMean = (xs: number[], expected: number, sd: number, k = 5) =>
  expect(Math.abs(mean(xs) - expected)).toBeLessThan((k * sd) / Math.sqrt(xs.length))

describe('numerical helpers', () => {
  it('inverts the normal CDF to double precision', () => {
    // Φ keeps relative precision in the lower tail; the samplers mirror upper-tail intervals there.
    for (let x = -8; x <= 0; x += 0.01) expect(normalQuantile(normalCdf(x))).toBeCloseTo(x, x < -5 ? 7 : 9)
    for (let x = 0; x <= 3; x += 0.01) expect(normalQuantile(normalCdf(x))).toBeCloseTo(x, 9)
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12)
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 12)
  })
  it('computes log-gamma', () => {
    for (let n = 1; n < 25; n++) {
      let f = 1
      for (let k = 2; k < n; k++) f *= k
      expect(logGamma(n)).toBeCloseTo(Math.log(f), 9)
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12)
  })
})

describe('distributions', () => {
  it('uniform float: mean and variance of U(a, b)', () => {
    const xs = draw({ type: 'float', min: -2, max: 6 })
    expectMean(xs, 2, Math.sqrt(64 / 12))
    expect(variance(xs)).toBeCloseTo(64 / 12, 1)
  })
  it('uniform int: every value about equally often', () => {
    const xs = draw({ type: 'int', min: 1, max: 6 })
    for (let v = 1; v <= 6; v++) {
      const share = xs.filter((x) => x === v).length / N
      expect(Math.abs(share - 1 / 6)).toBeLessThan(5 * Math.sqrt(((1 / 6) * (5 / 6)) / N))
    }
  })
  it('normal: mean and standard deviation', () => {
    const xs = draw({ type: 'float', distribution: { normal: { mean: 41, sd: 12 } } })
    expectMean(xs, 41, 12)
    expect(Math.sqrt(variance(xs))).toBeCloseTo(12, 1)
  })
  it('truncated normal: the mean of N(0,1) on [0, ∞) is √(2/π), with no spike at the bound', () => {
    const xs = draw({ type: 'float', min: 0, distribution: { normal: { mean: 0, sd: 1 } } })
    expect(min(xs)).toBeGreaterThanOrEqual(0)
    expectMean(xs, Math.sqrt(2 / Math.PI), Math.sqrt(1 - 2 / Math.PI))
    expect(xs.filter((x) => x === 0).length).toBeLessThan(5)
  })
  it('truncated normal has the analytic mean on wide (rejection) and narrow (inverse-CDF) intervals', () => {
    const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI)
    for (const [a, b] of [
      [-1, 2], // 82% of the mass: rejection from ziggurat draws
      [1.5, 2.5], // 6%: inverse CDF
      [-0.2, 0.1], // 12%: inverse CDF around the centre
      [3, 8], // far tail, upper side (mirrored)
    ] as const) {
      const xs = draw({ type: 'float', min: a, max: b, distribution: { normal: { mean: 0, sd: 1 } } }, 11)
      const mass = normalCdf(b) - normalCdf(a)
      const m = (phi(a) - phi(b)) / mass
      const v = 1 + (a * phi(a) - b * phi(b)) / mass - m * m
      expect(min(xs)).toBeGreaterThanOrEqual(a)
      expect(max(xs)).toBeLessThanOrEqual(b)
      expectMean(xs, m, Math.sqrt(v))
      expect(Math.abs(variance(xs) - v)).toBeLessThan(0.05 * v)
    }
  })
  it('normal draws follow Φ (empirical CDF at fixed points, ziggurat tails included)', () => {
    const xs = draw({ type: 'float', distribution: { normal: { mean: 0, sd: 1 } } }, 12, 400_000)
    for (const x of [-3.6, -2, -1, -0.3, 0, 0.5, 1.5, 3, 3.6]) {
      const p = normalCdf(x)
      const share = xs.filter((v) => v <= x).length / xs.length
      expect(Math.abs(share - p), `at ${x}`).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / xs.length) + 1e-6)
    }
  })
  it('truncated int normal keeps [min, max] and the discretized shape', () => {
    const xs = draw({ type: 'int', min: 18, max: 90, distribution: { normal: { mean: 41, sd: 12 } } })
    expect(min(xs)).toBeGreaterThanOrEqual(18)
    expect(max(xs)).toBeLessThanOrEqual(90)
    // P(X = 18) ≈ φ-mass of [17.5, 18.5] over the truncated mass; no pile-up at the bound.
    const z = (v: number) => normalCdf((v - 41) / 12)
    const expected = (z(18.5) - z(17.5)) / (z(90.5) - z(17.5))
    const share = xs.filter((x) => x === 18).length / N
    expect(Math.abs(share - expected)).toBeLessThan(5 * Math.sqrt(expected / N))
  })
  it('lognormal: mean exp(μ + σ²/2)', () => {
    const xs = draw({ type: 'float', distribution: { lognormal: { mu: 1, sigma: 0.5 } } })
    const m = Math.exp(1 + 0.125)
    const sd = Math.sqrt((Math.exp(0.25) - 1) * Math.exp(2 + 0.25))
    expectMean(xs, m, sd)
  })
  it('lognormal far in its tail still respects min (no failure, no spike)', () => {
    const xs = draw(
      { type: 'float', min: 1.5, distribution: { lognormal: { mu: 0, sigma: 0.01 } } },
      3,
      10_000,
    )
    expect(min(xs)).toBeGreaterThanOrEqual(1.5)
    expect(new Set(xs).size).toBeGreaterThan(9_900)
  })
  it('exponential: mean 1/rate', () => {
    const xs = draw({ type: 'float', distribution: { exponential: { rate: 0.25 } } })
    expect(min(xs)).toBeGreaterThanOrEqual(0)
    expectMean(xs, 4, 4)
  })
  it('poisson: mean and variance λ', () => {
    const xs = draw({ type: 'int', distribution: { poisson: { lambda: 3.5 } } })
    expectMean(xs, 3.5, Math.sqrt(3.5))
    expect(variance(xs)).toBeCloseTo(3.5, 1)
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true)
  })
  it('zipf: P(k) ∝ k^-s', () => {
    const xs = draw({ type: 'int', distribution: { zipf: { s: 1.2, n: 100 } } })
    let h = 0
    for (let k = 1; k <= 100; k++) h += k ** -1.2
    for (const k of [1, 2, 10]) {
      const p = k ** -1.2 / h
      const share = xs.filter((x) => x === k).length / N
      expect(Math.abs(share - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N))
    }
  })
  it('histogram: bin shares follow the weights', () => {
    const xs = draw({
      type: 'float',
      distribution: { histogram: { bins: [0, 1, 5, 10], weights: [1, 2, 1] } },
    })
    const shares = [0, 1, 5].map((lo, i) => xs.filter((x) => x >= lo && x < [1, 5, 10][i]!).length / N)
    for (const [i, p] of [0.25, 0.5, 0.25].entries()) {
      expect(Math.abs(shares[i]! - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N))
    }
  })
  it('category: shares follow the weights', () => {
    const xs = columnValues(
      schema({
        goldgen: 1,
        columns: { c: { type: 'category', values: { US: 0.5, DE: 0.2, FR: 0.2, JP: 0.1 } } },
      }),
      { rows: N },
    ).c!
    for (const [v, p] of [
      ['US', 0.5],
      ['DE', 0.2],
      ['FR', 0.2],
      ['JP', 0.1],
    ] as const) {
      const share = xs.filter((x) => x === v).length / N
      expect(Math.abs(share - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N))
    }
  })
  it('bool: share of true is p', () => {
    const xs = draw({ type: 'bool', p: 0.8 })
    expectMean(xs, 0.8, 0.4)
  })
  it('date: uniform over the days of [min, max]', () => {
    const xs = draw({ type: 'date', min: '2024-01-01', max: '2024-12-31' })
    const first = Date.UTC(2024, 0, 1) / 86_400_000
    expect(min(xs)).toBe(first)
    expect(max(xs)).toBe(first + 365)
    expectMean(xs, first + 182.5, Math.sqrt((366 ** 2 - 1) / 12))
  })
})
