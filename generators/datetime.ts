import { checkRange, rangeBlocks } from './temporal.ts'
import { checkTemporal, temporalBlocks } from './temporal-distribution.ts'
import { defineGenerator } from './types.ts'

export const DEFAULT_DATETIME_MIN = '2000-01-01T00:00:00Z'
export const DEFAULT_DATETIME_MAX = '2029-12-31T23:59:59.999Z'

/** Instants with millisecond resolution over [min, max] inclusive (Timestamp(ms, UTC)): uniform, or from `distribution`. */
export const datetimeGenerator = defineGenerator({
  type: 'datetime',
  version: 1,
  kind: () => 'timestamp',
  check: (spec, { rows }) => {
    const min = Date.parse(spec.min ?? DEFAULT_DATETIME_MIN)
    const max = Date.parse(spec.max ?? DEFAULT_DATETIME_MAX)
    const issues = checkRange(min, max, spec.unique, rows, 'milliseconds')
    return issues.length > 0
      ? issues
      : checkTemporal(spec.distribution, min, max, spec.unique, Date.parse, rows)
  },
  create(spec, ctx) {
    const min = Date.parse(spec.min ?? DEFAULT_DATETIME_MIN)
    const max = Date.parse(spec.max ?? DEFAULT_DATETIME_MAX)
    const fill =
      temporalBlocks(ctx, spec.distribution, min, max, Date.parse, (n) => new Float64Array(n), spec.unique) ??
      rangeBlocks(
        ctx,
        Date.parse(spec.min ?? DEFAULT_DATETIME_MIN),
        Date.parse(spec.max ?? DEFAULT_DATETIME_MAX),
        spec.unique,
        (n) => new Float64Array(n),
      )
    return { block: (index, length) => ({ kind: 'timestamp', values: fill(index, length) }) }
  },
})
