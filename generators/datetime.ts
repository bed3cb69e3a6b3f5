import { checkRange, rangeBlocks } from './temporal.ts'
import { defineGenerator } from './types.ts'

export const DEFAULT_DATETIME_MIN = '2000-01-01T00:00:00Z'
export const DEFAULT_DATETIME_MAX = '2029-12-31T23:59:59.999Z'

/** Instants with millisecond resolution, uniform over [min, max] inclusive (Timestamp(ms, UTC)). */
export const datetimeGenerator = defineGenerator({
  type: 'datetime',
  version: 1,
  kind: () => 'timestamp',
  check: (spec, { rows }) =>
    checkRange(
      Date.parse(spec.min ?? DEFAULT_DATETIME_MIN),
      Date.parse(spec.max ?? DEFAULT_DATETIME_MAX),
      spec.unique,
      rows,
      'milliseconds',
    ),
  create(spec, ctx) {
    const fill = rangeBlocks(
      ctx,
      Date.parse(spec.min ?? DEFAULT_DATETIME_MIN),
      Date.parse(spec.max ?? DEFAULT_DATETIME_MAX),
      spec.unique,
      (n) => new Float64Array(n),
    )
    return { block: (index, length) => ({ kind: 'timestamp', values: fill(index, length) }) }
  },
})
