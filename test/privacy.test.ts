/**
 * Differential privacy: the exact samplers against their distributions (and rejection of wrong
 * scales), the accountant against an independent computation, sensitivity properties, an
 * empirical privacy-loss audit, and the fit / privatize / ledger behaviour a user relies on.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { validateDef } from '../schemas/parse.ts'
import { planDataset } from '../src/api/plan.ts'
import { GoldgenError } from '../src/core/errors.ts'
import { createDataset } from '../src/engine/dataset.ts'
import { readCells } from '../src/infer/infer.ts'
import {
  Accountant,
  epsilonToZcdp,
  gaussianSigma2,
  pureRho,
  zcdpToEpsilon,
} from '../src/privacy/accountant.ts'
import { parseDomain } from '../src/privacy/domain.ts'
import { counts2, discretize, fitModel, pairScore } from '../src/privacy/fit.ts'
import { privatizeRows } from '../src/privacy/privatize.ts'
import { insecureSeededBits, rationalOf, Sampler, secureBits } from '../src/privacy/samplers.ts'
import { ROOT, runGoldgen, tempDir } from './helpers.ts'

const ADULT = join(ROOT, 'examples/data/adult.csv')
const DOMAIN = join(ROOT, 'bench/adult-domain.yaml')
const dir = tempDir()
const N = 20_000
/** χ² critical value for 25 degrees of freedom at α = 0.001. */
const CHI2_25 = 52.62

/** χ² of samples against a pmf over [-12, 12] with the two tails as cells (26 degrees of freedom − 1). */
function chiSquare(samples: number[], pmf: (x: number) => number): number {
  const cells = new Map<number, number>()
  for (const x of samples) {
    const k = Math.max(-13, Math.min(13, x))
    cells.set(k, (cells.get(k) ?? 0) + 1)
  }
  const expected = (k: number) => {
    if (k > -13 && k < 13) return pmf(k)
    let tail = 0
    for (let x = 13; x < 400; x++) tail += pmf(k < 0 ? -x : x)
    return tail
  }
  let chi = 0
  for (let k = -13; k <= 13; k++) {
    const e = expected(k) * samples.length
    chi += ((cells.get(k) ?? 0) - e) ** 2 / e
  }
  return chi
}

const laplacePmf = (scale: number) => {
  const q = Math.exp(-1 / scale)
  return (x: number) => ((1 - q) / (1 + q)) * q ** Math.abs(x)
}
const gaussianPmf = (sigma2: number) => {
  let z = 0
  for (let x = -400; x <= 400; x++) z += Math.exp(-(x * x) / (2 * sigma2))
  return (x: number) => Math.exp(-(x * x) / (2 * sigma2)) / z
}

describe('exact samplers', () => {
  const sampler = new Sampler(insecureSeededBits('samplers'))

  it('discrete Laplace follows its distribution, and a test at ±30% of the scale rejects it', () => {
    const samples = Array.from({ length: N }, () => Number(sampler.discreteLaplace(rationalOf(3))))
    expect(chiSquare(samples, laplacePmf(3))).toBeLessThan(CHI2_25)
    expect(chiSquare(samples, laplacePmf(3 * 1.3))).toBeGreaterThan(CHI2_25)
    expect(chiSquare(samples, laplacePmf(3 * 0.7))).toBeGreaterThan(CHI2_25)
  })

  it('discrete Gaussian follows its distribution, and a test at ±30% of σ rejects it', () => {
    const samples = Array.from({ length: N }, () => Number(sampler.discreteGaussian(rationalOf(9))))
    expect(chiSquare(samples, gaussianPmf(9))).toBeLessThan(CHI2_25)
    expect(chiSquare(samples, gaussianPmf((3 * 1.3) ** 2))).toBeGreaterThan(CHI2_25)
    expect(chiSquare(samples, gaussianPmf((3 * 0.7) ** 2))).toBeGreaterThan(CHI2_25)
  })

  it('a fractional scale and σ² are exact rationals too', () => {
    const samples = Array.from({ length: N }, () => Number(sampler.discreteGaussian(rationalOf(2.5))))
    expect(chiSquare(samples, gaussianPmf(2.5))).toBeLessThan(CHI2_25)
    expect(rationalOf(0.1)).toEqual({ num: 3602879701896397n, den: 36028797018963968n })
  })

  it('Bernoulli(exp(-γ)) has mean exp(-γ)', () => {
    for (const gamma of [0.3, 1, 2.5]) {
      let hits = 0
      for (let i = 0; i < N; i++) if (sampler.bernoulliExp(rationalOf(gamma))) hits++
      const p = Math.exp(-gamma)
      expect(Math.abs(hits / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N))
    }
  })

  it('the exponential mechanism and randomized response pick with exp(−η·loss) odds', () => {
    const counts = [0, 0, 0]
    for (let i = 0; i < N; i++) counts[sampler.exponentialMechanism([0n, 1n, 2n], rationalOf(1))]!++
    const z = 1 + Math.exp(-1) + Math.exp(-2)
    counts.forEach((c, i) => {
      const p = Math.exp(-i) / z
      expect(Math.abs(c / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N))
    })
    let kept = 0
    for (let i = 0; i < N; i++) if (sampler.randomizedResponse(2, 4, rationalOf(1)) === 2) kept++
    const p = Math.E / (Math.E + 3)
    expect(Math.abs(kept / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N))
  })

  it('uses crypto by default, so two samplers differ; the insecure seeded source repeats', () => {
    const a = new Sampler(secureBits)
    const b = new Sampler(secureBits)
    const draw = (s: Sampler) => Array.from({ length: 20 }, () => s.discreteLaplace(rationalOf(100)))
    expect(draw(a)).not.toEqual(draw(b))
    expect(draw(new Sampler(insecureSeededBits(5)))).toEqual(draw(new Sampler(insecureSeededBits(5))))
  })
})

describe('accountant', () => {
  /** CKS20 Corollary 13 by brute force over a fine grid of Rényi orders (an independent computation). */
  const gridEpsilon = (rho: number, delta: number) => {
    let best = Number.POSITIVE_INFINITY
    for (let i = 1; i <= 40_000; i++) {
      const alpha = 1 + 10 ** (-6 + (i / 40_000) * 10)
      const e =
        alpha * rho +
        (Math.log(1 / delta) + (alpha - 1) * Math.log(1 - 1 / alpha) - Math.log(alpha)) / (alpha - 1)
      if (e < best) best = e
    }
    return best
  }

  it('converts ρ-zCDP to (ε, δ) as CKS20 does, never above the classic ρ + 2√(ρ ln 1/δ)', () => {
    for (const rho of [0.001, 0.01, 0.1, 0.5, 2]) {
      for (const delta of [1e-5, 1e-9]) {
        const e = zcdpToEpsilon(rho, delta)
        expect(Math.abs(e - gridEpsilon(rho, delta))).toBeLessThan(1e-3)
        expect(e).toBeLessThanOrEqual(rho + 2 * Math.sqrt(rho * Math.log(1 / delta)) + 1e-12)
      }
    }
    // A known value: ρ = 0.5, δ = 1e-9 is (6.94)-DP by the classic bound and tighter here.
    expect(0.5 + 2 * Math.sqrt(0.5 * Math.log(1e9))).toBeCloseTo(6.938, 3)
    expect(zcdpToEpsilon(0.5, 1e-9)).toBeLessThan(6.938)
  })

  it('inverts: the ρ for (ε, δ) converts back to ε', () => {
    for (const [eps, delta] of [
      [0.3, 1e-9],
      [1, 1e-9],
      [3, 1e-6],
    ] as const) {
      expect(zcdpToEpsilon(epsilonToZcdp(eps, delta), delta)).toBeCloseTo(eps, 6)
    }
  })

  it('composes by adding ρ (or ε in pure mode) and refuses to spend past the budget', () => {
    const a = new Accountant({ mode: 'zcdp', epsilon: 1, delta: 1e-9 })
    const half = a.total / 2
    a.spend({ mechanism: 'g', rho: half, what: 'first' })
    a.spend({ mechanism: 'g', rho: half, what: 'second' })
    expect(a.summary().epsilon).toBeCloseTo(1, 6)
    expect(() => a.spend({ mechanism: 'g', rho: a.total / 100, what: 'third' })).toThrow(GoldgenError)
    expect(a.spends).toHaveLength(2)
    const pure = new Accountant({ mode: 'pure', epsilon: 1 })
    pure.spend({ mechanism: 'l', epsilon: 0.4, what: 'x' })
    pure.spend({ mechanism: 'l', epsilon: 0.6, what: 'y' })
    expect(pure.summary()).toEqual({ rho: null, epsilon: 1, delta: 0 })
    expect(gaussianSigma2(1, 0.5)).toBe(1)
    expect(pureRho(1)).toBe(0.5)
  })
})

describe('sensitivity', () => {
  const domain = parseDomain({ a: ['x', 'y', 'z'], b: { min: 0, max: 10, bins: 5 } }, 'd.yaml')
  const row = fc.tuple(
    fc.constantFrom('x', 'y', 'z', null),
    fc.option(fc.integer({ min: -5, max: 15 }).map(String), { nil: null }),
  )

  it('removing one row changes each 1-way and 2-way marginal by exactly 1 (L1 and L2), and a pair score by at most 1', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 60 }),
        fc.nat(),
        fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 24, maxLength: 24 }),
        (rows, k, estimate) => {
          const removed = rows.filter((_, i) => i !== k % rows.length)
          const [a, b] = discretize(['a', 'b'], rows, domain)
          const [a2, b2] = discretize(['a', 'b'], removed, domain)
          const m = counts2(a!, b!, 6, 4)
          const m2 = counts2(a2!, b2!, 6, 4)
          const l1 = m.reduce((s, v, i) => s + Math.abs(v - m2[i]!), 0)
          expect(l1).toBe(1)
          const score = pairScore(m, estimate)
          const score2 = pairScore(m2, estimate)
          expect(score - score2 <= 1n && score2 - score <= 1n).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('empirical privacy-loss audit', () => {
  /** The largest |log P[M(D) ≤ t] / P[M(D') ≤ t]| over thresholds where both sides have ≥ 500 hits. */
  function auditedEpsilon(release: (count: number) => number, trials: number): number {
    const a = Array.from({ length: trials }, () => release(100)).sort((x, y) => x - y)
    const b = Array.from({ length: trials }, () => release(101)).sort((x, y) => x - y)
    const below = (sorted: number[], t: number) => {
      let lo = 0
      let hi = sorted.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (sorted[mid]! <= t) lo = mid + 1
        else hi = mid
      }
      return lo
    }
    let worst = 0
    for (let t = 60; t <= 140; t++) {
      for (const [p, q] of [
        [below(a, t), below(b, t)],
        [trials - below(a, t), trials - below(b, t)],
      ] as const) {
        if (p >= 500 && q >= 500) worst = Math.max(worst, Math.abs(Math.log(p / q)))
      }
    }
    return worst
  }

  it('a noisy count at ε = 1 leaks about ε = 1 between neighbouring datasets, no more', () => {
    const sampler = new Sampler(secureBits)
    const scale = rationalOf(1)
    const measured = auditedEpsilon((c) => c + Number(sampler.discreteLaplace(scale)), 40_000)
    expect(measured).toBeLessThan(1.15)
    expect(measured).toBeGreaterThan(0.8)
    // The audit has power: half the noise shows up as about twice the loss.
    const weak = auditedEpsilon((c) => c + Number(sampler.discreteLaplace(rationalOf(0.5))), 40_000)
    expect(weak).toBeGreaterThan(1.6)
  })
})

describe('goldgen fit', () => {
  const loadAdult = async () => readCells(ADULT, {})

  it('never produces a category outside the declared domain, and keeps missing rates', async () => {
    const { names, rows } = await loadAdult()
    const domain = parseDomain(
      { workclass: ['Private', 'State-gov'], sex: ['Female', 'Male'], age: { min: 16, max: 91, bins: 5 } },
      'd.yaml',
    )
    const fit = fitModel(names, rows, {
      budget: { mode: 'zcdp', epsilon: 3, delta: 1e-9 },
      domain,
      bits: insecureSeededBits('domain'),
      source: { name: 'adult.csv', sha256: 'test' },
    })
    const plan = planDataset(validateDef(JSON.parse(JSON.stringify(fit.def))), { rows: 20_000, seed: 3 })
    const [workclass] = createDataset(plan).read(0, 20_000)
    const seen = new Set(workclass!.values)
    for (const v of seen) expect([null, 'Private', 'State-gov']).toContain(v)
    // Values outside the domain count as missing, and missing is a cell of the marginal.
    const real =
      rows.filter((r) => !['Private', 'State-gov'].includes(r[names.indexOf('workclass')] as string)).length /
      rows.length
    const synthetic = (workclass!.values as unknown[]).filter((v) => v === null).length / 20_000
    expect(Math.abs(real - synthetic)).toBeLessThan(0.02)
  })

  it('two fits with the same arguments get different noise unless the insecure switch is on', async () => {
    const { names, rows } = await loadAdult()
    const domain = parseDomain(
      {
        sex: ['Female', 'Male'],
        income: ['<=50K', '>50K'],
        race: ['White', 'Black', 'Asian-Pac-Islander', 'Amer-Indian-Eskimo', 'Other'],
      },
      'd.yaml',
    )
    const args = {
      budget: { mode: 'zcdp' as const, epsilon: 1, delta: 1e-9 },
      domain,
      source: { name: 'adult.csv', sha256: 'x' },
    }
    const a = fitModel(names, rows, args)
    const b = fitModel(names, rows, args)
    expect(a.def.model).not.toEqual(b.def.model)
    expect(a.privacy.guarantee).toBe(true)
    const c = fitModel(names, rows, { ...args, bits: insecureSeededBits(1) })
    const d = fitModel(names, rows, { ...args, bits: insecureSeededBits(1) })
    expect(c.def.model).toEqual(d.def.model)
    expect(c.def.rows).toBe(d.def.rows)
    expect(c.privacy.guarantee).toBe(false)
  })

  it('spends exactly the declared budget, in zCDP and in pure mode', async () => {
    const { names, rows } = await loadAdult()
    const domain = parseDomain({ sex: ['Female', 'Male'], income: ['<=50K', '>50K'] }, 'd.yaml')
    const z = fitModel(names, rows, {
      budget: { mode: 'zcdp', epsilon: 0.5, delta: 1e-6 },
      domain,
      source: { name: 'a', sha256: 'x' },
    })
    expect(z.privacy.epsilon).toBeCloseTo(0.5, 6)
    expect(z.privacy.delta).toBe(1e-6)
    const p = fitModel(names, rows, {
      budget: { mode: 'pure', epsilon: 0.5 },
      domain,
      source: { name: 'a', sha256: 'x' },
    })
    expect(p.privacy).toMatchObject({ rho: null, delta: 0 })
    expect(p.privacy.epsilon).toBeCloseTo(0.5, 9)
    expect(p.privacy.spends.map((s) => s.mechanism)).toEqual([
      'discrete Laplace',
      'discrete Laplace',
      'exponential mechanism',
      'discrete Laplace',
    ])
  })

  it('the CLI refuses without a domain, marks insecure output, and the ledger adds up releases per source', async () => {
    const registry = join(dir, 'registry')
    const noDomain = await runGoldgen(['fit', ADULT, '--epsilon', '1'])
    expect(noDomain.code).toBe(2)
    expect(noDomain.stderr).toContain('fit needs --domain')
    const out = join(dir, 'adult-dp.yaml')
    const first = await runGoldgen([
      'fit',
      ADULT,
      '--epsilon',
      '1',
      '--delta',
      '1e-9',
      '--domain',
      DOMAIN,
      '-o',
      out,
      '--registry',
      registry,
    ])
    expect(first.code, first.stderr).toBe(0)
    const def = parseYaml(readFileSync(out, 'utf8'))
    expect(def.privacy.guarantee).toBe(true)
    expect(Object.keys(def.model.columns)).toHaveLength(15)
    const insecure = await runGoldgen([
      'fit',
      ADULT,
      '--epsilon',
      '0.5',
      '--domain',
      DOMAIN,
      '-o',
      join(dir, 'x.yaml'),
      '--insecure-seeded-noise',
      '7',
      '--registry',
      registry,
    ])
    expect(insecure.stderr).toContain('NO differential-privacy guarantee')
    expect(readFileSync(join(dir, 'x.yaml'), 'utf8')).toContain('# WARNING: --insecure-seeded-noise is on')
    await runGoldgen([
      'fit',
      ADULT,
      '--epsilon',
      '2',
      '--delta',
      '1e-9',
      '--domain',
      DOMAIN,
      '-o',
      join(dir, 'y.yaml'),
      '--registry',
      registry,
    ])
    const ledger = JSON.parse((await runGoldgen(['ledger', ADULT, '--registry', registry, '--json'])).stdout)
    expect(ledger).toHaveLength(1)
    expect(ledger[0].releases).toBe(3)
    expect(ledger[0].withoutGuarantee).toBe(1)
    // ρ adds up over the two releases with a guarantee: ε grows, but less than 1 + 2.
    expect(ledger[0].rho).toBeCloseTo(epsilonToZcdp(1, 1e-9) + epsilonToZcdp(2, 1e-9), 9)
    expect(ledger[0].epsilon).toBeGreaterThan(2)
    expect(ledger[0].epsilon).toBeLessThan(3)
    // Publishing the fitted schema records its release once, however often it is published.
    expect((await runGoldgen(['publish', out, '-d', 'adult-dp', '--registry', registry])).code).toBe(0)
    const text = (await runGoldgen(['ledger', '--registry', registry])).stdout
    expect(text).toMatch(/adult\.csv \(sha256 [0-9a-f]{16}…\): 3 releases/)
    // The generated data's manifest carries the privacy record.
    const data = join(dir, 'dp.csv')
    expect((await runGoldgen(['generate', out, '-o', data])).code).toBe(0)
    expect(JSON.parse(readFileSync(`${data}.manifest.json`, 'utf8')).privacy.source.name).toBe('adult.csv')
  })
})

describe('goldgen privatize', () => {
  const names = ['age', 'plan', 'note']
  const rows = Array.from({ length: 4000 }, (_, i) => [
    String(20 + (i % 50)),
    ['basic', 'pro'][i % 2]!,
    i % 7 === 0 ? null : `n${i}`,
  ])
  const def = validateDef({
    goldgen: 1,
    columns: {
      age: { type: 'int', min: 0, max: 100, dp: { epsilon: 1 } },
      plan: { type: 'category', values: ['basic', 'pro'], dp: { epsilon: 2 } },
      note: { type: 'string' },
    },
  })

  it('noises dp columns within their bounds, composes ε, and lists what it left unprotected', () => {
    const r = privatizeRows(names, rows, def, { source: { name: 's', sha256: 'x' } })
    const ages = r.rows.map((row) => Number(row[0]))
    expect(ages.every((a) => Number.isInteger(a) && a >= 0 && a <= 100)).toBe(true)
    expect(ages.filter((a, i) => a !== Number(rows[i]![0])).length).toBeGreaterThan(3000)
    const plans = r.rows.map((row) => row[1])
    for (const p of plans) expect([null, 'basic', 'pro']).toContain(p)
    // Randomized response with ε = 2 over 3 cells keeps the true value with probability e²/(e² + 2).
    const kept = plans.filter((p, i) => p === rows[i]![1]).length / rows.length
    expect(Math.abs(kept - Math.exp(2) / (Math.exp(2) + 2))).toBeLessThan(0.03)
    expect(r.unprotected).toEqual(['note'])
    expect(r.rows.map((row) => row[2])).toEqual(rows.map((row) => row[2]))
    expect(r.privacy.epsilon).toBe(3)
    expect(r.privacy.delta).toBe(0)
  })

  it('requires declared bounds for numeric dp columns', () => {
    const unbounded = validateDef({
      goldgen: 1,
      columns: { age: { type: 'int', distribution: { poisson: { lambda: 3 } }, dp: { epsilon: 1 } } },
    })
    const e = (() => {
      try {
        privatizeRows(names, rows, unbounded, { source: { name: 's', sha256: 'x' }, file: 'p.yaml' })
      } catch (x) {
        return x as GoldgenError
      }
      return undefined
    })()
    expect(e).toBeInstanceOf(GoldgenError)
    expect(e!.issues[0]!.message).toContain('needs min and max')
  })

  it('the CLI writes the data and a manifest with the privacy record, and warns about unprotected columns', async () => {
    const data = join(dir, 'people.csv')
    writeFileSync(
      data,
      `${names.join(',')}\n${rows.map((r) => r.map((v) => v ?? '').join(',')).join('\n')}\n`,
    )
    const schema = join(dir, 'people.yaml')
    writeFileSync(schema, JSON.stringify(def))
    const out = join(dir, 'people-private.csv')
    const r = await runGoldgen(['privatize', data, '--schema', schema, '-o', out])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('NOT protected: note')
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'))
    expect(manifest.privacy.epsilon).toBe(3)
    expect(manifest.unprotected).toEqual(['note'])
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toBe('age,plan,note')
  })
})
