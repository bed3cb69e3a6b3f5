import { BLOCK_ROWS } from '../src/core/random.ts'
import { defineGenerator } from './types.ts'

/** Sequential ids: start, start + step, … (Int64). */
export const idGenerator = defineGenerator({
  type: 'id',
  version: 1,
  kind: () => 'int64',
  check(spec, { rows }) {
    const start = spec.start ?? 1
    const last = start + (spec.step ?? 1) * Math.max(rows - 1, 0)
    return Number.isSafeInteger(last)
      ? []
      : [{ path: ['start'], message: `ids would pass ±2^53 at ${rows} rows` }]
  },
  create(spec) {
    const start = spec.start ?? 1
    const step = spec.step ?? 1
    return {
      block(index, length) {
        const values = new Float64Array(length)
        const first = start + step * index * BLOCK_ROWS
        for (let i = 0; i < length; i++) values[i] = first + step * i
        return { kind: 'int64', values }
      },
    }
  },
})
