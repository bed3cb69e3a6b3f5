import type { ColumnOf } from '../schemas/language.ts'
import { BLOCK_ROWS, blockRng } from '../src/core/random.ts'
import { categorical } from './math.ts'
import { uniqueTooSmall } from './numeric.ts'
import { permutation } from './permutation.ts'
import { defineGenerator, type SpecIssue } from './types.ts'

/** The category values and their weights, in the order the schema lists them. */
export function categoryValues(spec: ColumnOf<'category'>): { values: string[]; weights: number[] } {
  if (spec.values === undefined) {
    // Only `cases` give values: every value any case can take, in order of first mention.
    const values = [
      ...new Set(
        (spec.cases ?? []).flatMap((c) =>
          c.values === undefined ? [] : categoryValues({ type: 'category', values: c.values }).values,
        ),
      ),
    ]
    return { values, weights: values.map(() => 1) }
  }
  const own = Array.isArray(spec.values)
    ? { values: spec.values.map(String), weights: spec.values.map(() => 1) }
    : { values: Object.keys(spec.values), weights: Object.values(spec.values) }
  // Values that only cases give come after the column's own (weight 0 outside their cases).
  for (const c of spec.cases ?? []) {
    if (c.values === undefined) continue
    for (const v of categoryValues({ type: 'category', values: c.values }).values) {
      if (!own.values.includes(v)) {
        own.values.push(v)
        own.weights.push(0)
      }
    }
  }
  return own
}

/** Categories drawn by weight (Dictionary<Int32, Utf8>). */
export const categoryGenerator = defineGenerator({
  type: 'category',
  version: 1,
  kind: () => 'dict',
  dictionary: (spec) => categoryValues(spec).values,
  check(spec, { rows }) {
    const issues: SpecIssue[] = []
    const { values, weights } = categoryValues(spec)
    const seen = new Map<string, number>()
    values.forEach((v, i) => {
      const before = seen.get(v)
      if (before !== undefined)
        issues.push({
          path: ['values', i],
          message: `duplicate value ${JSON.stringify(v)} (also at position ${before})`,
        })
      seen.set(v, i)
    })
    if (!weights.some((w) => w > 0))
      issues.push({ path: ['values'], message: 'at least one weight must be greater than 0' })
    if (spec.unique === true && rows > values.length) {
      issues.push({ path: ['unique'], message: uniqueTooSmall(rows, values.length, 'the category') })
    }
    return issues
  },
  create(spec, ctx) {
    const { values, weights } = categoryValues(spec)
    if (spec.unique === true) {
      const permute = permutation(values.length, ctx.seed, ctx.column)
      return {
        block(index, length) {
          const out = new Int32Array(length)
          for (let i = 0; i < length; i++) out[i] = permute(index * BLOCK_ROWS + i)
          return { kind: 'dict', values: out, dictionary: values }
        },
      }
    }
    const pick = categorical(weights)
    return {
      block(index, length) {
        const rng = blockRng(ctx.seed, ctx.column, 'values', index)
        const out = new Int32Array(length)
        for (let i = 0; i < length; i++) out[i] = pick(rng.uint32())
        return { kind: 'dict', values: out, dictionary: values }
      },
    }
  },
})
