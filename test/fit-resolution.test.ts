/**
 * `goldgen fit` with numeric columns declared by `{ min, max }` alone: small integer ranges at
 * full resolution (no budget), other columns binned from private noisy histograms whose spends
 * the accountant records exactly, and point masses (0 on most rows) surviving generation.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { planDataset } from '../src/api/plan.ts'
import { createDataset } from '../src/engine/dataset.ts'
import { parseDomain } from '../src/privacy/domain.ts'
import { fitModel } from '../src/privacy/fit.ts'
import { FULL_RESOLUTION, RESOLUTION_SHARE, resolveDomain } from '../src/privacy/resolution.ts'
import { insecureSeededBits } from '../src/privacy/samplers.ts'

const n = 4000
// gain: 0 on 90% of rows, else spread over 1..99999; level: 1..10; x: a float on [0, 1).
const rows = Array.from({ length: n }, (_, i) => [
  i % 10 === 0 ? String(1 + ((i * 7919) % 99_999)) : '0',
  String(1 + (i % 10)),
  String(((i * 0.6180339887) % 1).toFixed(4)),
])
const names = ['gain', 'level', 'x']
const domain = parseDomain(
  { gain: { min: 0, max: 100_000 }, level: { min: 1, max: 10 }, x: { min: 0, max: 1, type: 'float' } },
  'd.yaml',
)
const fit = (seed: number, epsilon = 1) =>
  fitModel(names, rows, {
    budget: { mode: 'zcdp', epsilon, delta: 1e-9 },
    domain,
    bits: insecureSeededBits(seed),
    source: { name: 't.csv', sha256: 'x' },
  })

const generated = (def: ReturnType<typeof fit>['def']) => {
  const plan = planDataset(def, { seed: 3 })
  const dataset = createDataset(plan)
  const blocks = dataset.read(0, plan.rows)
  // Present values only (a fitted model also reproduces the noisy share of missing cells).
  const present = (i: number) =>
    Array.from(blocks[i]!.values as ArrayLike<number | null>).filter((v): v is number => v !== null)
  const byName = new Map(dataset.columns.map((c, i) => [c.name, present(i)]))
  return names.map((name) => byName.get(name)!)
}

describe('fit resolution of { min, max } domains', () => {
  it('small integer ranges get one bin per value, free; others private bins, each level an accounted spend', () => {
    const spends: { cost: number; what: string }[] = []
    const { domain: resolved, spent } = resolveDomain(names, rows, domain, 0.01, (counts, cost, what) => {
      spends.push({ cost, what })
      return { values: counts }
    })
    const level = resolved.get('level')!
    expect(level.kind === 'range' && level.bins).toBe(10)
    expect(10).toBeLessThanOrEqual(FULL_RESOLUTION)
    expect(spends.every((s) => !s.what.includes('level,'))).toBe(true)
    expect(spends.filter((s) => s.what.startsWith('resolution of gain'))).toHaveLength(3)
    expect(spent).toBeCloseTo(0.01 * RESOLUTION_SHARE, 12)
    expect(spends.reduce((s, x) => s + x.cost, 0)).toBeCloseTo(spent, 12)
    // Without noise, 0 gets a bin of its own: [0, 1).
    const gain = resolved.get('gain')!
    expect(gain.kind === 'range' && gain.edges.slice(0, 2)).toEqual([0, 1])
  })

  it('the whole budget is spent exactly, the resolution spends included', () => {
    const result = fit(1)
    const rho = result.privacy.spends.reduce((s, x) => s + (x.rho ?? 0), 0)
    expect(result.privacy.rho).toBeCloseTo(rho, 12)
    expect(result.privacy.epsilon).toBeCloseTo(1, 6)
    expect(result.privacy.spends.filter((s) => s.what.startsWith('resolution of'))).toHaveLength(6)
  })

  it('point masses survive: generated gain is 0 on about 90% of rows, and every bin edge is increasing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
        const result = fit(seed, 4)
        for (const c of Object.values(result.def.model!.columns)) {
          if (c.bins === undefined) continue
          for (let i = 1; i < c.bins.length; i++) expect(c.bins[i]!).toBeGreaterThan(c.bins[i - 1]!)
        }
        const [gain, level] = generated(result.def)
        const zeros = gain!.filter((v) => v === 0).length / gain!.length
        expect(zeros).toBeGreaterThan(0.85)
        expect(zeros).toBeLessThan(0.95)
        for (const v of level!) expect(Number.isInteger(v) && v >= 1 && v <= 10, String(v)).toBe(true)
      }),
      { numRuns: 4 },
    )
  })
})
