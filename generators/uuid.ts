import { blockRng } from '../src/core/random.ts'
import { defineGenerator } from './types.ts'

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
const byte = (word: number, shift: number) => HEX[(word >>> shift) & 0xff]!

/**
 * Random (version 4) UUIDs from the seeded stream. 122 random bits: distinct in practice
 * (a collision among 10^12 ids has probability below 10^-13), so `unique: true` is accepted.
 */
export const uuidGenerator = defineGenerator({
  type: 'uuid',
  version: 1,
  kind: () => 'utf8',
  create(_spec, ctx) {
    return {
      block(index, length) {
        const rng = blockRng(ctx.seed, ctx.column, 'values', index)
        const out: string[] = new Array(length)
        for (let i = 0; i < length; i++) {
          const a = rng.uint32()
          const b = (rng.uint32() & 0xffff0fff) | 0x00004000 // version 4
          const c = (rng.uint32() & 0x3fffffff) | 0x80000000 // variant 10
          const d = rng.uint32()
          out[i] =
            `${byte(a, 24)}${byte(a, 16)}${byte(a, 8)}${byte(a, 0)}-${byte(b, 24)}${byte(b, 16)}-${byte(b, 8)}${byte(b, 0)}-` +
            `${byte(c, 24)}${byte(c, 16)}-${byte(c, 8)}${byte(c, 0)}${byte(d, 24)}${byte(d, 16)}${byte(d, 8)}${byte(d, 0)}`
        }
        return { kind: 'utf8', values: out }
      },
    }
  },
})
