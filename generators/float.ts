import { checkNumeric, createFill } from './distributions.ts'
import { sampledBlock, uniqueBlocks, uniqueTooSmall } from './numeric.ts'
import { defineGenerator, type SpecIssue } from './types.ts'

/** Grid points for unique floats without `precision`. */
const UNIQUE_GRID = 2 ** 40

/** Floats from a distribution, truncated to [min, max], optionally rounded (Float64). */
export const floatGenerator = defineGenerator({
  type: 'float',
  version: 1,
  kind: () => 'float64',
  check(spec, { rows }) {
    const issues: SpecIssue[] = checkNumeric(spec, false)
    if (issues.length > 0) return issues
    const min = spec.min ?? Number.NEGATIVE_INFINITY
    const max = spec.max ?? Number.POSITIVE_INFINITY
    if (spec.precision !== undefined) {
      const f = 10 ** spec.precision
      if (Math.ceil(min * f) > Math.floor(max * f)) {
        issues.push({
          path: ['precision'],
          message: `no number with ${spec.precision} decimals lies in [${min}, ${max}]`,
        })
      }
    }
    if (spec.unique === true) {
      if (spec.min === undefined || spec.max === undefined || spec.distribution !== undefined) {
        issues.push({
          path: ['unique'],
          message:
            'unique float columns are drawn uniformly without replacement; give min and max and no distribution',
        })
      } else if (spec.precision !== undefined) {
        const f = 10 ** spec.precision
        const available = Math.floor(spec.max * f) - Math.ceil(spec.min * f) + 1
        if (available < rows)
          issues.push({
            path: ['unique'],
            message: uniqueTooSmall(rows, available, `[${min}, ${max}] at precision ${spec.precision}`),
          })
      } else if (spec.min === spec.max && rows > 1) {
        issues.push({ path: ['unique'], message: uniqueTooSmall(rows, 1, `[${min}, ${max}]`) })
      }
    }
    return issues
  },
  create(spec, ctx) {
    const min = spec.min ?? Number.NEGATIVE_INFINITY
    const max = spec.max ?? Number.POSITIVE_INFINITY
    const make = (n: number) => new Float64Array(n)
    if (spec.unique === true) {
      let fill: (index: number, length: number) => Float64Array
      if (spec.precision !== undefined) {
        const f = 10 ** spec.precision
        const first = Math.ceil(min * f)
        const n = Math.floor(max * f) - first + 1
        fill = uniqueBlocks(ctx, n, (k) => (first + k) / f || 0, make)
      } else {
        const step = (max - min) / (UNIQUE_GRID - 1)
        fill = uniqueBlocks(ctx, UNIQUE_GRID, (k) => Math.min(min + k * step, max) || 0, make)
      }
      return { block: (index, length) => ({ kind: 'float64', values: fill(index, length) }) }
    }
    const fill = createFill(spec, false, spec.precision)
    return {
      block: (index, length) => ({ kind: 'float64', values: sampledBlock(ctx, fill, make, index, length) }),
    }
  },
})
