import { BLOCK_ROWS, blockRng } from '../src/core/random.ts'
import { uniqueTooSmall } from './numeric.ts'
import { permutation } from './permutation.ts'
import { defineGenerator } from './types.ts'

/** Booleans, true with probability p (default 0.5). */
export const boolGenerator = defineGenerator({
  type: 'bool',
  version: 1,
  kind: () => 'bool',
  check: (spec, { rows }) =>
    spec.unique === true && rows > 2
      ? [{ path: ['unique'], message: uniqueTooSmall(rows, 2, 'a bool column') }]
      : [],
  create(spec, ctx) {
    // true when a uniform 32-bit draw falls below p · 2^32 (p = 1 is always true).
    const threshold = (typeof spec.p === 'number' ? spec.p : 0.5) * 4294967296
    if (spec.unique === true) {
      const permute = permutation(2, ctx.seed, ctx.column)
      return {
        block(index, length) {
          const out = new Uint8Array(length)
          for (let i = 0; i < length; i++) out[i] = permute(index * BLOCK_ROWS + i)
          return { kind: 'bool', values: out }
        },
      }
    }
    return {
      block(index, length) {
        const rng = blockRng(ctx.seed, ctx.column, 'values', index)
        const out = new Uint8Array(length)
        for (let i = 0; i < length; i++) out[i] = rng.uint32() < threshold ? 1 : 0
        return { kind: 'bool', values: out }
      },
    }
  },
})
