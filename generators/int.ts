import { checkNumeric, createSampler, distributionOf, INT32_MAX, INT32_MIN } from './distributions.ts'
import { sampledBlock, uniqueBlocks, uniqueTooSmall } from './numeric.ts'
import { defineGenerator, type SpecIssue } from './types.ts'

const fitsInt32 = (spec: { min?: number | undefined; max?: number | undefined }) =>
  (spec.min === undefined || spec.min >= INT32_MIN) && (spec.max === undefined || spec.max <= INT32_MAX)

/** Integers from a distribution, truncated to [min, max]; Int32 when the range fits, else Int64. */
export const intGenerator = defineGenerator({
  type: 'int',
  version: 1,
  kind: (spec) => (fitsInt32(spec) ? 'int32' : 'int64'),
  check(spec, { rows }) {
    const issues: SpecIssue[] = checkNumeric(spec, true)
    if (issues.length > 0 || spec.unique !== true) return issues
    if (distributionOf(spec).name !== 'uniform') {
      return [
        {
          path: ['unique'],
          message: 'unique int columns are drawn uniformly without replacement; remove distribution',
        },
      ]
    }
    const available = spec.max! - spec.min! + 1
    if (available < rows)
      issues.push({
        path: ['unique'],
        message: uniqueTooSmall(rows, available, `[${spec.min}, ${spec.max}]`),
      })
    return issues
  },
  create(spec, ctx) {
    const make = (n: number) => (fitsInt32(spec) ? new Int32Array(n) : new Float64Array(n))
    const kind = fitsInt32(spec) ? ('int32' as const) : ('int64' as const)
    if (spec.unique === true) {
      const min = spec.min!
      const fill = uniqueBlocks(ctx, spec.max! - min + 1, (k) => min + k, make)
      return { block: (index, length) => ({ kind, values: fill(index, length) }) as never }
    }
    const sample = createSampler(spec, true)
    return {
      block: (index, length) => ({ kind, values: sampledBlock(ctx, sample, make, index, length) }) as never,
    }
  },
})
