import { checkRange, rangeBlocks } from './temporal.ts'
import { checkTemporal, temporalBlocks } from './temporal-distribution.ts'
import { defineGenerator } from './types.ts'

export const DEFAULT_DATE_MIN = '2000-01-01'
export const DEFAULT_DATE_MAX = '2029-12-31'
const DAY = 86_400_000

/** Days since 1970-01-01 for a YYYY-MM-DD string. */
export const toDays = (s: string): number => Date.parse(`${s}T00:00:00Z`) / DAY

/** Calendar dates over [min, max] inclusive (Date32): uniform, or from `distribution`. */
export const dateGenerator = defineGenerator({
  type: 'date',
  version: 1,
  kind: () => 'date32',
  check: (spec, { rows }) => {
    const min = toDays(spec.min ?? DEFAULT_DATE_MIN)
    const max = toDays(spec.max ?? DEFAULT_DATE_MAX)
    const issues = checkRange(min, max, spec.unique, rows, 'days')
    return issues.length > 0 ? issues : checkTemporal(spec.distribution, min, max, spec.unique, toDays, rows)
  },
  create(spec, ctx) {
    const min = toDays(spec.min ?? DEFAULT_DATE_MIN)
    const max = toDays(spec.max ?? DEFAULT_DATE_MAX)
    const fill =
      temporalBlocks(ctx, spec.distribution, min, max, toDays, (n) => new Int32Array(n), spec.unique) ??
      rangeBlocks(
        ctx,
        toDays(spec.min ?? DEFAULT_DATE_MIN),
        toDays(spec.max ?? DEFAULT_DATE_MAX),
        spec.unique,
        (n) => new Int32Array(n),
      )
    return { block: (index, length) => ({ kind: 'date32', values: fill(index, length) }) }
  },
})
