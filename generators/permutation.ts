/**
 * A keyed pseudo-random permutation of [0, n) for n ≤ 2^53, used for `unique: true`:
 * row r gets value index permute(r), so values are distinct, uniformly spread over the
 * range, and any row can be computed on its own (partition independence).
 * It is a balanced Feistel network on the smallest even power of two ≥ n, with cycle-walking.
 */
import { streamKey } from '../src/core/random.ts'

export type Permutation = (index: number) => number

export function permutation(n: number, seed: number, column: string, purpose = 'unique'): Permutation {
  if (n <= 1) return () => 0
  let bits = Math.max(2, Math.ceil(Math.log2(n)))
  if (bits % 2 === 1) bits++
  const half = bits / 2
  const size = 2 ** half
  const keys = streamKey(seed, column, purpose, 0)
  const round = (x: number, k: number): number => {
    // murmur3's 32-bit finalizer over (x, key): a good avalanche for a Feistel round.
    let h = (x ^ k) >>> 0
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
    h ^= h >>> 16
    return (h >>> 0) % size
  }
  const encrypt = (x: number): number => {
    let left = Math.floor(x / size)
    let right = x % size
    for (let r = 0; r < 8; r++) {
      const next = (left + round(right, keys[r]!)) % size
      left = right
      right = next
    }
    return left * size + right
  }
  return (index) => {
    let x = encrypt(index)
    while (x >= n) x = encrypt(x)
    return x
  }
}
