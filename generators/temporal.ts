/** Shared logic of the date and datetime generators: uniform integers in [min, max], or distinct ones. */
import { BLOCK_ROWS, blockRng } from '../src/core/random.ts'
import { uniqueTooSmall } from './numeric.ts'
import { permutation } from './permutation.ts'
import type { CreateContext, SpecIssue } from './types.ts'

export function checkRange(
  min: number,
  max: number,
  unique: boolean | undefined,
  rows: number,
  unit: string,
): SpecIssue[] {
  if (min > max) return [{ path: ['min'], message: `min must not be after max` }]
  const available = max - min + 1
  if (unique === true && available < rows) {
    return [{ path: ['unique'], message: uniqueTooSmall(rows, available, `the range (in ${unit})`) }]
  }
  return []
}

export function rangeBlocks<A extends Int32Array | Float64Array>(
  ctx: CreateContext,
  min: number,
  max: number,
  unique: boolean | undefined,
  make: (n: number) => A,
): (index: number, length: number) => A {
  const span = max - min + 1
  if (unique === true) {
    const permute = permutation(span, ctx.seed, ctx.column)
    return (index, length) => {
      const out = make(length)
      for (let i = 0; i < length; i++) out[i] = min + permute(index * BLOCK_ROWS + i)
      return out
    }
  }
  return (index, length) => {
    const rng = blockRng(ctx.seed, ctx.column, 'values', index)
    const out = make(length)
    for (let i = 0; i < length; i++) out[i] = min + rng.below(span)
    return out
  }
}
