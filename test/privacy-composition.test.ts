/**
 * `privatize` reports the tightest valid (ε, δ) of its columns and names the composition that
 * gave it: basic composition (the columns' ε and δ add up) or zCDP (ρ adds up, converted with
 * CKS20 at the same δ). Checked against an independent computation of both bounds: a plain grid
 * over the Rényi order instead of the accountant's golden-section search, and its own bisection
 * for the Gaussian columns' ρ. The ledger reports the same ε for the release.
 */
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ledgerEntryOf, openRegistry } from '../registry/service.ts'
import { validateDef } from '../schemas/parse.ts'
import { privatizeRows } from '../src/privacy/privatize.ts'
import { tempDir } from './helpers.ts'

/**
 * CKS20 Corollary 13, minimised over a grid of Rényi orders α (independent of the accountant):
 * a coarse grid of log10(α − 1) over [−6, 6], then a fine one around its best point.
 */
function cks20(rho: number, delta: number): number {
  const at = (x: number) => {
    const alpha = 1 + 10 ** x
    return (
      alpha * rho +
      (Math.log(1 / delta) + (alpha - 1) * Math.log(1 - 1 / alpha) - Math.log(alpha)) / (alpha - 1)
    )
  }
  let bestX = -6
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i <= 2000; i++) {
    const x = -6 + (i / 2000) * 12
    if (at(x) < best) [best, bestX] = [at(x), x]
  }
  const step = 12 / 2000
  for (let i = 0; i <= 2000; i++) {
    const x = bestX - step + (i / 2000) * 2 * step
    if (at(x) < best) best = at(x)
  }
  return Math.min(best, rho + 2 * Math.sqrt(rho * Math.log(1 / delta)))
}

/** The largest ρ whose CKS20 ε at δ is at most ε: what a Gaussian column declared (ε, δ) costs. */
const rhos = new Map<string, number>()
function rhoFor(epsilon: number, delta: number): number {
  const key = `${epsilon}:${delta}`
  if (!rhos.has(key)) rhos.set(key, bisectRho(epsilon, delta))
  return rhos.get(key)!
}
function bisectRho(epsilon: number, delta: number): number {
  let lo = 0
  let hi = epsilon * epsilon
  while (cks20(hi, delta) < epsilon) hi *= 2
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2
    if (cks20(mid, delta) <= epsilon) lo = mid
    else hi = mid
  }
  return lo
}

type Column = { mechanism: 'laplace' | 'gaussian'; epsilon: number; delta?: number }

/** Both bounds computed here, and the smaller one. */
function expected(columns: Column[]) {
  const basic = columns.reduce((s, c) => s + c.epsilon, 0)
  const delta = columns.reduce((s, c) => s + (c.delta ?? 0), 0)
  const rho = columns.reduce(
    (s, c) => s + (c.mechanism === 'laplace' ? (c.epsilon * c.epsilon) / 2 : rhoFor(c.epsilon, c.delta!)),
    0,
  )
  const zcdp = cks20(rho, delta)
  return { basic, zcdp, delta }
}

function release(columns: Column[]) {
  const names = columns.map((_, i) => `c${i}`)
  const def = validateDef({
    goldgen: 1,
    columns: Object.fromEntries(
      columns.map((c, i) => [
        `c${i}`,
        {
          type: 'int',
          min: 0,
          max: 100,
          dp: {
            epsilon: c.epsilon,
            ...(c.mechanism === 'gaussian' ? { mechanism: 'gaussian', delta: c.delta } : {}),
          },
        },
      ]),
    ),
  })
  const rows = Array.from({ length: 20 }, (_, r) => names.map((_, i) => String((r * 7 + i) % 101)))
  return privatizeRows(names, rows, def, { source: { name: 'people.csv', sha256: 'ab'.repeat(32) } }).privacy
}

describe('the ε privatize reports', () => {
  it('is basic composition when that is tighter: two Laplace columns and one Gaussian', () => {
    const columns: Column[] = [
      { mechanism: 'laplace', epsilon: 0.5 },
      { mechanism: 'laplace', epsilon: 0.5 },
      { mechanism: 'gaussian', epsilon: 0.5, delta: 1e-6 },
    ]
    const want = expected(columns)
    expect(want.basic).toBeCloseTo(1.5, 12)
    expect(want.zcdp).toBeGreaterThan(3) // what was reported before: the zCDP conversion alone
    const p = release(columns)
    expect(p.epsilon).toBeCloseTo(1.5, 9)
    expect(p.delta).toBeCloseTo(1e-6, 15)
    expect(p.composition).toBe('basic composition')
  })

  it('is the zCDP conversion when that is tighter: many Gaussian columns', () => {
    const columns: Column[] = Array.from({ length: 20 }, () => ({
      mechanism: 'gaussian',
      epsilon: 0.1,
      delta: 1e-8,
    }))
    const want = expected(columns)
    expect(want.zcdp).toBeLessThan(want.basic)
    const p = release(columns)
    expect(p.composition).toBe('zCDP (CKS20)')
    expect(p.delta).toBeCloseTo(2e-7, 15)
    expect(Math.abs(p.epsilon - want.zcdp) / want.zcdp).toBeLessThan(1e-3)
  })

  it('is always the smaller of the two valid bounds (property)', () => {
    const column = fc.oneof(
      fc.record({
        mechanism: fc.constant('laplace' as const),
        epsilon: fc.double({ min: 0.05, max: 2, noNaN: true }),
      }),
      fc.record({
        mechanism: fc.constant('gaussian' as const),
        // A few values, so that the independent bisection for each (ε, δ) runs once.
        epsilon: fc.constantFrom(0.05, 0.1, 0.3, 0.7, 1.5),
        delta: fc.constantFrom(1e-9, 1e-7, 1e-5),
      }),
    )
    fc.assert(
      fc.property(fc.array(column, { minLength: 1, maxLength: 6 }), (columns) => {
        const p = release(columns)
        const want = expected(columns)
        if (columns.every((c) => c.mechanism === 'laplace')) {
          expect(p.epsilon).toBeCloseTo(want.basic, 9)
          expect(p.delta).toBe(0)
          return
        }
        const tightest = Math.min(want.basic, want.zcdp)
        expect(Math.abs(p.epsilon - tightest) / tightest).toBeLessThan(1e-3)
        expect(p.delta).toBeCloseTo(want.delta, 15)
        // Where both bounds agree (one Gaussian column alone), either name is right.
        if (Math.abs(want.basic - want.zcdp) / tightest > 1e-3)
          expect(p.composition).toBe(want.basic < want.zcdp ? 'basic composition' : 'zCDP (CKS20)')
      }),
      { numRuns: 25 },
    )
  })
})

describe('the ledger', () => {
  it('keeps ρ and reports the release with the same ε and composition privatize did', async () => {
    const dir = tempDir()
    const registry = await openRegistry({ dir: join(dir, 'reg') })
    try {
      const p = release([
        { mechanism: 'laplace', epsilon: 0.5 },
        { mechanism: 'laplace', epsilon: 0.5 },
        { mechanism: 'gaussian', epsilon: 0.5, delta: 1e-6 },
      ])
      await registry.recordPrivacy(ledgerEntryOf(p, 'people-private.csv'))
      const [source] = await registry.ledger()
      expect(source!.rho).toBeCloseTo(p.rho!, 12)
      expect(source!.epsilon).toBeCloseTo(1.5, 9)
      expect(source!.composition).toBe('basic composition')
      // A δ below the release's own δ cannot use it: the zCDP conversion is reported then.
      const [strict] = await registry.ledger({ delta: 1e-9 })
      expect(strict!.composition).toBe('zCDP (CKS20)')
      expect(Math.abs(strict!.epsilon - cks20(p.rho!, 1e-9)) / strict!.epsilon).toBeLessThan(1e-3)
    } finally {
      registry.close()
    }
  })
})
