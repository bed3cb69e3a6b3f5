/**
 * The keys of a referenced column, as the integrity check and dangling keys ask about them: is a
 * value a key (SameValueZero, as a `Set` would say), are all keys numbers, which is the largest.
 * Keys that are an arithmetic progression of safe integers (an `id` column) are answered by
 * arithmetic, without building a set of every key: a 1,000,000-row child table checks each of its
 * ref values, and a hash look-up of a double costs more than the rest of its row.
 */
import type { ColumnBlock } from '../core/blocks.ts'

export class KeySet {
  /** The progression start + step·i (i < count), when the keys are one; else the set. */
  private readonly start: number
  private readonly step: number
  private readonly count: number
  private readonly set: Set<string | number> | undefined
  /** Every key is a number; the largest (−∞ when there is none). */
  readonly numeric: boolean
  readonly max: number

  private constructor(
    progression: { start: number; step: number; count: number } | undefined,
    set: Set<string | number> | undefined,
    numeric: boolean,
    max: number,
  ) {
    this.start = progression?.start ?? 0
    this.step = progression?.step ?? 1
    this.count = progression?.count ?? 0
    this.set = set
    this.numeric = numeric
    this.max = max
  }

  /** The keys of a column's blocks (in row order). */
  static of(blocks: ColumnBlock[]): KeySet {
    const progression = progressionOf(blocks)
    if (progression !== undefined) {
      const { start, step, count } = progression
      // `+ 0`: a set holds −0 as 0.
      const max = count === 0 ? Number.NEGATIVE_INFINITY : Math.max(start, start + step * (count - 1)) + 0
      return new KeySet(progression, undefined, true, max)
    }
    const set = new Set<string | number>()
    let numeric = true
    let max = Number.NEGATIVE_INFINITY
    const add = (k: string | number) => {
      set.add(k)
      if (typeof k === 'number') max = Math.max(max, k + 0)
      else numeric = false
    }
    for (const block of blocks) {
      if (block.kind === 'dict') for (const code of block.values) add(block.dictionary[code]!)
      else {
        const values = block.values as ArrayLike<string | number>
        for (let i = 0; i < values.length; i++) add(values[i]!)
      }
    }
    return new KeySet(undefined, set, numeric, max)
  }

  has(v: string | number): boolean {
    if (this.set !== undefined) return this.set.has(v)
    if (typeof v !== 'number') return false
    const i = Math.round((v - this.start) / this.step)
    return i >= 0 && i < this.count && this.start + i * this.step === v
  }

  /** How many of `values[0 … n)` are no key. */
  countMissing(values: ArrayLike<string | number>, n: number): number {
    let missing = 0
    const set = this.set
    if (set !== undefined) {
      for (let i = 0; i < n; i++) if (!set.has(values[i]!)) missing++
      return missing
    }
    const { start, step, count } = this
    for (let i = 0; i < n; i++) {
      const v = values[i]!
      if (typeof v !== 'number') {
        missing++
        continue
      }
      const k = Math.round((v - start) / step)
      if (!(k >= 0 && k < count && start + k * step === v)) missing++
    }
    return missing
  }
}

/** start, step and count when every value of the blocks is start + step·i as a safe integer. */
function progressionOf(blocks: ColumnBlock[]): { start: number; step: number; count: number } | undefined {
  let count = 0
  let start = 0
  let step = 1
  for (const block of blocks) {
    if (block.kind === 'dict' || block.kind === 'utf8' || block.kind === 'json') return undefined
    const values = block.values as ArrayLike<number>
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!
      if (!Number.isSafeInteger(v)) return undefined
      if (count === 0) start = v
      else if (count === 1) {
        step = v - start
        if (step === 0 || !Number.isSafeInteger(step)) return undefined
      } else if (v !== start + count * step) return undefined
      count++
    }
  }
  return { start, step, count }
}
