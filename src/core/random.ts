/**
 * Seeded randomness for generation. Every stream is keyed by (seed, column name, purpose,
 * block index) through SHA-256, never drawn from one global stream, so any block can be made
 * without making the blocks before it.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean
 * to 2^64 bytes with 128 bits of state). We use it instead of seedrandom's default ARC4 stream
 * because it is about 5× faster per 32-bit draw (2× per double) in V8; `npm run bench`
 * measures both in the same run (bench/generate.bench.ts) and the README shows the figures.
 */
import { createHash } from 'node:crypto'

/** The generation algorithm version. Bump it whenever any output byte may change. */
export const ALGORITHM_VERSION = 1

/** Rows per seeded block. Part of the algorithm: changing it changes every value. */
export const BLOCK_ROWS = 65_536

export interface Rng {
  /** A uniform 32-bit unsigned integer. */
  uint32(): number
  /** A uniform double in [0, 1) with 53 random bits. */
  next(): number
  /** A uniform integer in [0, n) for 1 ≤ n ≤ 2^53, without modulo bias. */
  below(n: number): number
}

/** SHA-256 of the stream key, as eight 32-bit words. */
export function streamKey(seed: number, column: string, purpose: string, block: number): Uint32Array {
  const digest = createHash('sha256')
    .update(`goldgen:${ALGORITHM_VERSION}\0${seed}\0${column}\0${purpose}\0${block}`)
    .digest()
  const words = new Uint32Array(8)
  for (let i = 0; i < 8; i++) words[i] = digest.readUInt32LE(i * 4)
  return words
}

/** A seeded sfc32 stream for one (seed, column, purpose, block). */
export function blockRng(seed: number, column: string, purpose: string, block: number): Rng {
  const k = streamKey(seed, column, purpose, block)
  return sfc32(k[0]!, k[1]!, k[2]!, k[3]!)
}

export function sfc32(a: number, b: number, c: number, d: number): Rng {
  return new Sfc32(a, b, c, d)
}

/**
 * sfc32 as a class: hot loops call `rng.next()` on one monomorphic shape, which V8 inlines
 * (a closure-per-stream version measured about 2× slower in bench/generate.bench.ts).
 */
class Sfc32 implements Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0
    this.b = b | 0
    this.c = c | 0
    this.d = d | 1
    // Mix the state before use, as the reference implementation recommends.
    for (let i = 0; i < 12; i++) this.uint32()
  }

  uint32(): number {
    const a = this.a
    const b = this.b
    const c = this.c
    const t = (((a + b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = b ^ (b >>> 9)
    this.b = (c + (c << 3)) | 0
    this.c = (((c << 21) | (c >>> 11)) + t) | 0
    return t >>> 0
  }

  next(): number {
    const hi = this.uint32() >>> 5 // 27 bits
    const lo = this.uint32() >>> 6 // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992
  }

  below(n: number): number {
    if (n <= 0x100000000) {
      // Rejection sampling on 32 bits: no modulo bias.
      // x - floor(x / n) · n is x mod n without V8's slow floating-point modulo.
      const limit = 0x100000000 - (0x100000000 - Math.floor(0x100000000 / n) * n)
      let x = this.uint32()
      while (x >= limit) x = this.uint32()
      return x - Math.floor(x / n) * n
    }
    const limit = 9007199254740992 - (9007199254740992 % n)
    let x = this.next() * 9007199254740992
    while (x >= limit) x = this.next() * 9007199254740992
    return x % n
  }
}

/** Seeds derived for libraries with their own generator (faker): four 32-bit words. */
export function librarySeed(seed: number, column: string, purpose: string, block: number): number[] {
  return Array.from(streamKey(seed, column, purpose, block).subarray(0, 4))
}
