/**
 * Privacy accounting. Internally zero-concentrated DP (ρ-zCDP, Bun & Steinke 2016): the
 * discrete Gaussian with L2 sensitivity Δ and variance σ² costs Δ²/(2σ²); the exponential
 * mechanism with ε costs ε²/8 (Cesar & Rogers 2021); ρ adds up under composition. Reported as
 * (ε, δ)-DP with the conversion of Canonne, Kamath & Steinke 2020 (Proposition 12/Corollary 13).
 * A pure-ε mode (Laplace and randomized response only) composes ε by addition.
 */
import { GoldgenError } from '../core/errors.ts'

/** ε for (ε, δ)-DP implied by ρ-zCDP (CKS20 Corollary 13: an infimum over the Rényi order α). */
export function zcdpToEpsilon(rho: number, delta: number): number {
  if (!(rho >= 0)) throw new RangeError(`ρ must be ≥ 0, got ${rho}`)
  if (!(delta > 0 && delta < 1)) throw new RangeError(`δ must be in (0, 1), got ${delta}`)
  if (rho === 0) return 0
  const f = (alpha: number) =>
    alpha * rho +
    (Math.log(1 / delta) + (alpha - 1) * Math.log(1 - 1 / alpha) - Math.log(alpha)) / (alpha - 1)
  // f is convex in α > 1: golden-section search on a log scale.
  let lo = Math.log(1 + 1e-9)
  let hi = Math.log(1e7)
  const g = (x: number) => f(Math.exp(x))
  const phi = (Math.sqrt(5) - 1) / 2
  for (let i = 0; i < 200; i++) {
    const a = hi - phi * (hi - lo)
    const b = lo + phi * (hi - lo)
    if (g(a) < g(b)) hi = b
    else lo = a
  }
  // Never report more than the classic bound ρ + 2√(ρ ln 1/δ) (Bun & Steinke, Prop. 1.3).
  return Math.min(g((lo + hi) / 2), rho + 2 * Math.sqrt(rho * Math.log(1 / delta)))
}

/** The largest ρ whose (ε, δ) conversion is at most ε (bisection). */
export function epsilonToZcdp(epsilon: number, delta: number): number {
  if (!(epsilon > 0 && Number.isFinite(epsilon))) throw new RangeError(`ε must be > 0, got ${epsilon}`)
  let lo = 0
  let hi = epsilon
  while (zcdpToEpsilon(hi, delta) < epsilon) hi *= 2
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2
    if (zcdpToEpsilon(mid, delta) <= epsilon) lo = mid
    else hi = mid
  }
  return lo
}

/** ρ of the discrete (or continuous) Gaussian mechanism. */
export const gaussianRho = (sensitivity: number, sigma2: number) => (sensitivity * sensitivity) / (2 * sigma2)
/** σ² for a target ρ. */
export const gaussianSigma2 = (sensitivity: number, rho: number) => (sensitivity * sensitivity) / (2 * rho)
/** ρ of an ε-DP exponential mechanism (bounded range): ε²/8. */
export const exponentialRho = (epsilon: number) => (epsilon * epsilon) / 8
/** ρ of a pure ε-DP mechanism (Laplace, randomized response): ε²/2. */
export const pureRho = (epsilon: number) => (epsilon * epsilon) / 2

export interface Spend {
  mechanism: string
  /** zCDP cost (zCDP mode). */
  rho?: number
  /** Pure ε cost (pure mode). */
  epsilon?: number
  what: string
}

export type Budget = { mode: 'zcdp'; epsilon: number; delta: number } | { mode: 'pure'; epsilon: number }

/** Tracks spending against a declared budget and refuses to go over it. */
export class Accountant {
  readonly spends: Spend[] = []
  /** The whole budget as ρ (zCDP mode) or ε (pure mode). */
  readonly total: number

  constructor(readonly budget: Budget) {
    if (!(budget.epsilon > 0 && Number.isFinite(budget.epsilon))) {
      throw new GoldgenError('USAGE', `--epsilon must be a number > 0, got ${budget.epsilon}`)
    }
    if (budget.mode === 'zcdp' && !(budget.delta > 0 && budget.delta < 1)) {
      throw new GoldgenError('USAGE', `--delta must be in (0, 1), got ${budget.delta}; use --pure for δ = 0`)
    }
    this.total = budget.mode === 'zcdp' ? epsilonToZcdp(budget.epsilon, budget.delta) : budget.epsilon
  }

  get spent(): number {
    return this.spends.reduce((s, x) => s + (this.budget.mode === 'zcdp' ? x.rho! : x.epsilon!), 0)
  }

  get remaining(): number {
    return this.total - this.spent
  }

  /** Records a spend; throws (and records nothing) when it would exceed the budget. */
  spend(s: Spend): void {
    const cost = this.budget.mode === 'zcdp' ? s.rho : s.epsilon
    if (cost === undefined || !(cost >= 0))
      throw new Error(`spend of ${s.mechanism} has no ${this.budget.mode} cost`)
    // A relative slack of 1e-9 absorbs floating-point rounding in budget splits.
    if (this.spent + cost > this.total * (1 + 1e-9)) {
      throw new GoldgenError(
        'USAGE',
        `privacy budget exceeded: ${s.what} needs ${cost.toPrecision(4)} ${this.budget.mode === 'zcdp' ? 'ρ' : 'ε'}, ${Math.max(0, this.remaining).toPrecision(4)} remains of ${this.total.toPrecision(4)}`,
      )
    }
    this.spends.push(s)
  }

  /** What was spent, as ρ and (ε, δ). */
  summary(): { rho: number | null; epsilon: number; delta: number } {
    if (this.budget.mode === 'pure') return { rho: null, epsilon: this.spent, delta: 0 }
    return {
      rho: this.spent,
      epsilon: zcdpToEpsilon(this.spent, this.budget.delta),
      delta: this.budget.delta,
    }
  }
}
