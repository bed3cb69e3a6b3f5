/** Shared block loops for numeric generators: draw with a sampler, or map rows through a permutation. */
import { BLOCK_ROWS, blockRng } from '../src/core/random.ts'
import type { Fill } from './distributions.ts'
import { permutation } from './permutation.ts'
import type { CreateContext } from './types.ts'

type NumberArray = Int32Array | Float64Array

/** Makes `length` values of block `index` with a seeded fill loop. */
export function sampledBlock<A extends NumberArray>(
  ctx: CreateContext,
  fill: Fill,
  make: (n: number) => A,
  index: number,
  length: number,
): A {
  const out = make(length)
  fill(out, blockRng(ctx.seed, ctx.column, 'values', index))
  return out
}

/** Distinct values: row r gets `map(permute(r))`, with permute a keyed permutation of [0, n). */
export function uniqueBlocks<A extends NumberArray>(
  ctx: CreateContext,
  n: number,
  map: (k: number) => number,
  make: (n: number) => A,
): (index: number, length: number) => A {
  const permute = permutation(n, ctx.seed, ctx.column)
  return (index, length) => {
    const out = make(length)
    const first = index * BLOCK_ROWS
    for (let i = 0; i < length; i++) out[i] = map(permute(first + i))
    return out
  }
}

/** The message for a `unique` column whose range is too small for the rows asked for. */
export function uniqueTooSmall(rows: number, available: number, what: string): string {
  return `unique: true needs ${rows} distinct values but ${what} holds only ${available}; widen the range or generate at most ${available} rows`
}
