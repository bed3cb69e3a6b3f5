import { BLOCK_ROWS, blockRng } from '../src/core/random.ts'
import { checkNumeric, createFill, distributionOf, INT32_MAX, INT32_MIN } from './distributions.ts'
import { uniqueTooSmall } from './numeric.ts'
import { permutation } from './permutation.ts'
import { type ColumnGenerator, defineGenerator, type SpecIssue } from './types.ts'

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
  create(spec, ctx): ColumnGenerator {
    const wide = !fitsInt32(spec)
    let fill: (out: Int32Array | Float64Array, index: number) => void
    if (spec.unique === true) {
      const min = spec.min!
      const permute = permutation(spec.max! - min + 1, ctx.seed, ctx.column)
      fill = (out, index) => {
        const first = index * BLOCK_ROWS
        for (let i = 0; i < out.length; i++) out[i] = min + permute(first + i)
      }
    } else {
      const draw = createFill(spec, true)
      fill = (out, index) => draw(out, blockRng(ctx.seed, ctx.column, 'values', index))
    }
    return {
      block(index, length) {
        if (wide) {
          const values = new Float64Array(length)
          fill(values, index)
          return { kind: 'int64', values }
        }
        const values = new Int32Array(length)
        fill(values, index)
        return { kind: 'int32', values }
      },
    }
  },
})
