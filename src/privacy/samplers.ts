/**
 * Exact samplers for differential privacy, in integer and rational arithmetic (BigInt), after
 * Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020):
 * Bernoulli(exp(-γ)) for rational γ, the discrete Laplace and the discrete Gaussian. No
 * floating-point number decides an outcome, so there are no rounding side channels.
 *
 * Randomness comes from `node:crypto`. `insecureSeededBits` exists only so tests can be
 * reproducible; output made with it carries no privacy guarantee.
 */
import { createHash, randomBytes } from 'node:crypto'

/** A source of uniformly random bits. */
export interface RandomBits {
  /** `n` uniformly random bytes. */
  bytes(n: number): Uint8Array
  /** True for the insecure seeded source: output made with it has no DP guarantee. */
  readonly insecure: boolean
}

/** Cryptographically secure randomness (the default, and the only choice with a DP guarantee). */
export const secureBits: RandomBits = { bytes: (n) => randomBytes(n), insecure: false }

/** Seeded bits (SHA-256 in counter mode) for reproducible tests. NO PRIVACY GUARANTEE. */
export function insecureSeededBits(seed: string | number): RandomBits {
  let counter = 0
  let pool = Buffer.alloc(0)
  return {
    insecure: true,
    bytes(n) {
      while (pool.length < n) {
        pool = Buffer.concat([
          pool,
          createHash('sha256').update(`goldgen-insecure-noise\0${seed}\0${counter++}`).digest(),
        ])
      }
      const out = pool.subarray(0, n)
      pool = pool.subarray(n)
      return new Uint8Array(out)
    },
  }
}

/** A non-negative rational number num/den (den > 0). */
export interface Rational {
  num: bigint
  den: bigint
}

/** The exact value of a finite, non-negative double as a rational (every double is m·2^e). */
export function rationalOf(x: number): Rational {
  if (!(Number.isFinite(x) && x >= 0)) throw new RangeError(`expected a finite number ≥ 0, got ${x}`)
  if (x === 0) return { num: 0n, den: 1n }
  let den = 1n
  let v = x
  while (!Number.isInteger(v)) {
    v *= 2
    den *= 2n
  }
  return reduce({ num: BigInt(v), den })
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b]
  return a < 0n ? -a : a
}
const reduce = ({ num, den }: Rational): Rational => {
  const g = gcd(num, den)
  return g > 1n ? { num: num / g, den: den / g } : { num, den }
}

/** floor(sqrt(n)) for n ≥ 0 (Newton's method on BigInt). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('isqrt of a negative number')
  if (n < 2n) return n
  let x = BigInt(Math.floor(Math.sqrt(Number(n))))
  while (x * x > n) x--
  while ((x + 1n) * (x + 1n) <= n) x++
  return x
}

export class Sampler {
  constructor(readonly bits: RandomBits = secureBits) {}

  /** A uniform integer in [0, n), n ≥ 1, by rejection (no modulo bias). */
  uniform(n: bigint): bigint {
    if (n < 1n) throw new RangeError('uniform needs n ≥ 1')
    if (n === 1n) return 0n
    const bitLength = (n - 1n).toString(2).length
    const bytes = Math.ceil(bitLength / 8)
    const excess = BigInt(bytes * 8 - bitLength)
    for (;;) {
      let v = 0n
      for (const b of this.bits.bytes(bytes)) v = (v << 8n) | BigInt(b)
      v >>= excess
      if (v < n) return v
    }
  }

  /** Bernoulli(num/den). */
  bernoulli({ num, den }: Rational): boolean {
    return this.uniform(den) < num
  }

  /** Bernoulli(exp(-γ)) for a rational γ ≥ 0 (CKS20 Algorithm 1). */
  bernoulliExp(gamma: Rational): boolean {
    let { num, den } = gamma
    // exp(-γ) = exp(-1)^floor(γ) · exp(-(γ - floor γ)).
    while (num > den) {
      if (!this.bernoulliExpUnit({ num: 1n, den: 1n })) return false
      num -= den
    }
    return this.bernoulliExpUnit({ num, den })
  }

  /** Bernoulli(exp(-γ)) for γ in [0, 1]. */
  private bernoulliExpUnit(gamma: Rational): boolean {
    let k = 1n
    while (this.bernoulli({ num: gamma.num, den: gamma.den * k })) k++
    return k % 2n === 1n
  }

  /**
   * The discrete Laplace distribution with scale `scale` (P(x) ∝ exp(-|x|/scale)) for a rational
   * scale s/t > 0 (CKS20 Algorithm 2).
   */
  discreteLaplace(scale: Rational): bigint {
    const { num: t, den: s } = scale // scale = t/s
    if (t <= 0n) throw new RangeError('the scale must be > 0')
    for (;;) {
      const u = this.uniform(t)
      if (!this.bernoulliExp({ num: u, den: t })) continue
      let v = 0n
      while (this.bernoulliExp({ num: 1n, den: 1n })) v++
      const x = u + t * v
      const y = x / s
      const negative = this.bernoulli({ num: 1n, den: 2n })
      if (negative && y === 0n) continue
      return negative ? -y : y
    }
  }

  /** The discrete Gaussian with variance parameter σ² (rational) centred at 0 (CKS20 Algorithm 3). */
  discreteGaussian(sigma2: Rational): bigint {
    const { num: a, den: b } = sigma2 // σ² = a/b
    if (a <= 0n) throw new RangeError('σ² must be > 0')
    const t = isqrt(a / b) + 1n
    for (;;) {
      const y = this.discreteLaplace({ num: t, den: 1n })
      const abs = y < 0n ? -y : y
      // γ = (|y| − σ²/t)² / (2σ²) = (|y|·b·t − a)² / (2·a·b·t²)
      const diff = abs * b * t - a
      if (this.bernoulliExp({ num: diff * diff, den: 2n * a * b * t * t })) return y
    }
  }

  /**
   * The exponential mechanism over candidates with integer losses ≥ 0 (lower is better):
   * P(i) ∝ exp(−η·loss_i) for a rational η > 0, sampled exactly by rejection: a uniform
   * candidate is kept with probability exp(−η·(loss_i − min loss)).
   */
  exponentialMechanism(losses: readonly bigint[], eta: Rational): number {
    if (losses.length === 0) throw new RangeError('no candidates')
    let min = losses[0]!
    for (const l of losses) if (l < min) min = l
    for (;;) {
      const i = Number(this.uniform(BigInt(losses.length)))
      if (this.bernoulliExp({ num: eta.num * (losses[i]! - min), den: eta.den })) return i
    }
  }

  /**
   * Randomized response over k ≥ 2 values with ε (rational): the true value is kept with
   * probability e^ε / (e^ε + k − 1), else another value is reported uniformly. This is the
   * exponential mechanism with loss 0 for the true value and 1 for the others, η = ε.
   */
  randomizedResponse(value: number, k: number, epsilon: Rational): number {
    const losses = Array.from({ length: k }, (_, i) => (i === value ? 0n : 1n))
    return this.exponentialMechanism(losses, epsilon)
  }
}
