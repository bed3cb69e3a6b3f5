/**
 * `goldgen privatize`: a data file released with calibrated noise on the columns whose schema
 * spec has a `dp:` key. Neighbouring datasets differ in one row, so each protected value is
 * noised on its own over its declared bounds:
 *
 * - int/float with `min`/`max`: the value is clipped, put on the grid (1 for int, 10^-precision
 *   for float, default 0.01), and gets discrete Laplace noise of scale Δ/ε (pure ε-DP) or
 *   discrete Gaussian noise for (ε, δ) through zCDP, Δ = (max − min) in grid steps. A missing
 *   value is first replaced by a uniform value in the bounds, so missingness is not revealed.
 * - category: randomized response over the declared values plus "missing" (ε-DP).
 *
 * The guarantee covers the protected columns; other columns are copied as they are, and the
 * result lists them as unprotected.
 */
import type { ColumnDef, DatasetDef } from '../../schemas/language.ts'
import { GoldgenError, type Issue } from '../core/errors.ts'
import { epsilonToZcdp, gaussianSigma2, pureRho, zcdpToEpsilon } from './accountant.ts'
import type { PrivacyRecord } from './fit.ts'
import { type RandomBits, rationalOf, Sampler, secureBits } from './samplers.ts'

export interface PrivatizeResult {
  names: string[]
  rows: (string | null)[][]
  privacy: PrivacyRecord
  protectedColumns: string[]
  unprotected: string[]
}

type Noiser = (text: string | null) => string | null

/**
 * What noising one column costs: ρ always (pure ε counts ε²/2), its declared ε (ε-DP, or
 * (ε, δ)-DP for the Gaussian, which is calibrated so that its ρ converts to that ε at δ), and δ.
 */
interface ColumnSpend {
  mechanism: string
  what: string
  rho: number
  epsilon: number
  pure: boolean
  delta?: number
}

/** The two ways a release's columns compose, as `PrivacyRecord.composition` names them. */
export type Composition = 'basic composition' | 'zCDP (CKS20)'

/**
 * The tightest valid (ε, δ) of the columns together. Basic composition: the columns' ε add up,
 * and so do their δ. zCDP: their ρ add up (pure-ε columns count ε²/2), converted to ε at the
 * same δ with CKS20. Both bounds hold; the smaller ε is reported, with the composition it came
 * from. ρ is kept either way (the ledger composes releases with it).
 */
export function composeColumns(spends: readonly Pick<ColumnSpend, 'rho' | 'epsilon' | 'pure' | 'delta'>[]): {
  epsilon: number
  delta: number
  rho: number | null
  composition: Composition
} {
  const basic = spends.reduce((sum, s) => sum + s.epsilon, 0)
  if (spends.every((s) => s.pure))
    return { epsilon: basic, delta: 0, rho: null, composition: 'basic composition' }
  const rho = spends.reduce((sum, s) => sum + s.rho, 0)
  const deltas = spends.flatMap((s) => (s.delta === undefined ? [] : [s.delta]))
  const summed = deltas.reduce((sum, d) => sum + d, 0)
  // δ's that add up to 1 or more make basic composition vacuous: zCDP at the smallest δ then.
  if (!(summed < 1)) {
    const delta = Math.min(...deltas)
    return { epsilon: zcdpToEpsilon(rho, delta), delta, rho, composition: 'zCDP (CKS20)' }
  }
  const viaZcdp = zcdpToEpsilon(rho, summed)
  // Within rounding, the simpler account is named.
  return basic <= viaZcdp * (1 + 1e-9)
    ? { epsilon: basic, delta: summed, rho, composition: 'basic composition' }
    : { epsilon: viaZcdp, delta: summed, rho, composition: 'zCDP (CKS20)' }
}

export function privatizeRows(
  names: readonly string[],
  rows: readonly (readonly (string | null)[])[],
  def: DatasetDef,
  options: {
    bits?: RandomBits | undefined
    source: { name: string; sha256: string }
    file?: string | undefined
  },
): PrivatizeResult {
  const bits = options.bits ?? secureBits
  const sampler = new Sampler(bits)
  const columns = def.columns ?? {}
  const issues: Issue[] = []
  const noisers = new Map<string, Noiser>()
  const spends: ColumnSpend[] = []
  for (const [name, spec] of Object.entries(columns)) {
    const dp = 'dp' in spec ? spec.dp : undefined
    if (dp === undefined) continue
    if (!names.includes(name)) {
      issues.push({
        code: 'missing_column',
        path: ['columns', name],
        message: `the data has no column ${name}`,
      })
      continue
    }
    const n = noiser(name, spec as ColumnDef & { dp: NonNullable<typeof dp> }, sampler, issues)
    if (n === undefined) continue
    noisers.set(name, n.noise)
    spends.push(n.spend)
  }
  if (issues.length > 0)
    throw new GoldgenError('SCHEMA_INVALID', 'cannot privatize with this schema', {
      file: options.file,
      issues,
    })
  if (noisers.size === 0) {
    throw new GoldgenError('USAGE', 'no column of the schema has a `dp:` key; nothing would be protected', {
      file: options.file,
    })
  }
  const out = rows.map((row) =>
    names.map((name, c) => {
      const noise = noisers.get(name)
      // A protected column's output is the noised value only, null included.
      return noise === undefined ? (row[c] ?? null) : noise(row[c] ?? null)
    }),
  )
  const zcdp = spends.some((s) => !s.pure)
  const summary = composeColumns(spends)
  const unprotected = names.filter((n) => !noisers.has(n))
  return {
    names: [...names],
    rows: out,
    protectedColumns: [...noisers.keys()],
    unprotected,
    privacy: {
      id: Buffer.from(bits.bytes(16)).toString('hex'),
      mechanism: `per-value noise on ${[...noisers.keys()].join(', ')} (${zcdp ? 'zCDP' : 'pure ε-DP'}; ε by ${summary.composition})`,
      epsilon: summary.epsilon,
      delta: summary.delta,
      rho: summary.rho,
      composition: summary.composition,
      source: options.source,
      guarantee: !bits.insecure,
      spends: spends.map((s) => ({ mechanism: s.mechanism, what: s.what, rho: s.rho, epsilon: s.epsilon })),
      produced: `${rows.length} rows; unprotected columns: ${unprotected.length === 0 ? 'none' : unprotected.join(', ')}`,
      created: new Date().toISOString(),
    },
  }
}

function noiser(
  name: string,
  spec: ColumnDef & {
    dp: { epsilon: number; mechanism?: 'laplace' | 'gaussian' | undefined; delta?: number | undefined }
  },
  sampler: Sampler,
  issues: Issue[],
):
  | {
      noise: Noiser
      spend: ColumnSpend
    }
  | undefined {
  const { epsilon, mechanism = 'laplace', delta } = spec.dp
  const path = ['columns', name, 'dp']
  if (mechanism === 'gaussian' && delta === undefined) {
    issues.push({ code: 'delta', path, message: 'the gaussian mechanism needs delta (e.g. 1e-9)' })
    return undefined
  }
  if (spec.type === 'category') {
    const values = (Array.isArray(spec.values) ? spec.values : Object.keys(spec.values ?? {})).map(String)
    if (mechanism !== 'laplace') {
      issues.push({
        code: 'mechanism',
        path,
        message: 'category columns use randomized response (pure ε); remove mechanism',
      })
      return undefined
    }
    const e = rationalOf(epsilon)
    const k = values.length + 1 // the values, then "missing"
    return {
      noise: (text) => {
        const i = text === null ? -1 : values.indexOf(text)
        const cell = sampler.randomizedResponse(i < 0 ? values.length : i, k, e)
        return cell === values.length ? null : values[cell]!
      },
      spend: {
        mechanism: 'randomized response',
        what: `values of ${name}`,
        rho: pureRho(epsilon),
        epsilon,
        pure: true,
      },
    }
  }
  if (spec.type !== 'int' && spec.type !== 'float') {
    issues.push({
      code: 'type',
      path,
      message: `dp applies to int, float and category columns, not ${spec.type}`,
    })
    return undefined
  }
  if (spec.min === undefined || spec.max === undefined || !(spec.max > spec.min)) {
    issues.push({
      code: 'bounds',
      path,
      message: 'needs min and max on the column: the bounds the noise is calibrated to',
    })
    return undefined
  }
  const min = spec.min
  const decimals = spec.type === 'int' ? 0 : (spec.precision ?? 2)
  const grid = 10 ** -decimals
  const steps = Math.round((spec.max - min) / grid)
  const format = (units: number) =>
    decimals === 0 ? String(min + units) : (min + units * grid).toFixed(decimals)
  let draw: () => bigint
  let spend: ColumnSpend
  if (mechanism === 'laplace') {
    const scale = rationalOf(steps / epsilon)
    draw = () => sampler.discreteLaplace(scale)
    spend = {
      mechanism: 'discrete Laplace',
      what: `values of ${name}`,
      rho: pureRho(epsilon),
      epsilon,
      pure: true,
    }
  } else {
    const rho = epsilonToZcdp(epsilon, delta!)
    const sigma2 = rationalOf(gaussianSigma2(steps, rho))
    draw = () => sampler.discreteGaussian(sigma2)
    spend = {
      mechanism: 'discrete Gaussian',
      what: `values of ${name}`,
      rho,
      epsilon,
      pure: false,
      delta: delta!,
    }
  }
  return {
    noise: (text) => {
      const x = text === null ? Number.NaN : Number(text)
      const units = Number.isNaN(x)
        ? Number(sampler.uniform(BigInt(steps + 1)))
        : Math.min(steps, Math.max(0, Math.round((x - min) / grid)))
      const noisy = units + Number(draw())
      return format(Math.min(steps, Math.max(0, noisy)))
    },
    spend,
  }
}
