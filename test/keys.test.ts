/**
 * The key sets of referenced columns (src/tables/keys.ts): whether keys are an arithmetic
 * progression answered by arithmetic or a set, they answer as a `Set` of the same values would.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ColumnBlock } from '../src/core/blocks.ts'
import { KeySet } from '../src/tables/keys.ts'

/** Splits values into blocks of random sizes. */
const blocksOf = (values: number[], cuts: number[]): ColumnBlock[] => {
  const out: ColumnBlock[] = []
  let at = 0
  for (const c of [...cuts, values.length]) {
    const end = Math.min(values.length, Math.max(at, c))
    out.push({ kind: 'int64', values: Float64Array.from(values.slice(at, end)) })
    at = end
  }
  return out
}

const progression = fc
  .record({
    start: fc.integer({ min: -1_000_000, max: 1_000_000 }),
    step: fc.integer({ min: -50, max: 50 }).filter((s) => s !== 0),
    count: fc.integer({ min: 0, max: 300 }),
  })
  .map(({ start, step, count }) => Array.from({ length: count }, (_, i) => start + i * step))

/** Progressions, progressions with one value changed, and arbitrary numbers. */
const keyValues = fc.oneof(
  progression,
  fc.tuple(progression, fc.nat(), fc.oneof(fc.integer(), fc.double(), fc.constant(-0))).map(([xs, at, v]) => {
    if (xs.length > 0) xs[at % xs.length] = v
    return xs
  }),
  fc.array(fc.oneof(fc.integer({ min: -20, max: 20 }), fc.double({ noNaN: false })), { maxLength: 40 }),
)

describe('KeySet', () => {
  it('answers has, countMissing, numeric and max as a Set of the same keys', () => {
    fc.assert(
      fc.property(
        keyValues,
        fc.array(fc.nat({ max: 400 }), { maxLength: 4 }),
        fc.array(fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 3 })), { maxLength: 20 }),
        (values, cuts, extra) => {
          const keys = KeySet.of(
            blocksOf(
              values,
              [...cuts].sort((a, b) => a - b),
            ),
          )
          const set = new Set<string | number>(values)
          const near = values.flatMap((v) => [v, v + 0.5, v - 1, v + 1, v * 2, -v])
          const queries: (string | number)[] = [
            ...near,
            ...extra,
            Number.NaN,
            -0,
            0,
            '1',
            Number.MAX_SAFE_INTEGER,
          ]
          expect(queries.map((q) => keys.has(q))).toEqual(queries.map((q) => set.has(q)))
          expect(keys.countMissing(queries, queries.length)).toBe(queries.filter((q) => !set.has(q)).length)
          expect(keys.numeric).toBe(true)
          expect(keys.max).toBe(
            [...set].reduce<number>((m, v) => Math.max(m, v as number), Number.NEGATIVE_INFINITY),
          )
        },
      ),
      { numRuns: 200 },
    )
  })

  it('text and category keys: numeric is false and dictionary codes count as their text', () => {
    const keys = KeySet.of([
      { kind: 'utf8', values: ['a', 'b'] },
      { kind: 'dict', values: Int32Array.from([1, 0]), dictionary: ['x', 'y'] },
    ])
    expect(['a', 'b', 'x', 'y', 'z', 0, 1].map((k) => keys.has(k))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ])
    expect(keys.numeric).toBe(false)
    expect(keys.countMissing(['a', 'z', 1], 3)).toBe(2)
  })
})
