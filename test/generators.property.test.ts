/**
 * The shared generator conformance suite, run over generated schemas: every value honours its
 * spec; same seed ⇒ same values; a column depends only on its own name and spec.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  cheapColumnSpec,
  columnName,
  columnSpec,
  columns,
  expectValuesHonourSpec,
  seed,
} from './arbitraries.ts'
import { blockValues, columnValues, goldgen, schema } from './helpers.ts'

const def = (cols: [string, unknown][]) => ({ goldgen: 1, columns: Object.fromEntries(cols) })

describe('every generator', () => {
  it('makes values that honour type, min/max, precision, category set and bins', () => {
    fc.assert(
      fc.property(columns(columnSpec), seed, fc.integer({ min: 0, max: 400 }), (cols, s, rows) => {
        const values = columnValues(schema(def(cols)), { seed: s, rows })
        for (const [name, spec] of cols) {
          expect(values[name]).toHaveLength(rows)
          expectValuesHonourSpec(spec, values[name]!)
        }
      }),
      { numRuns: 150 },
    )
  })

  it('honours unique: true, or rejects it when the range is too small', () => {
    const uniqueSpec = fc.oneof(
      fc
        .tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 600 }))
        .map(([min, w]) => ({ type: 'int', min, max: min + w, unique: true })),
      fc
        .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 100 }))
        .map(([precision, w]) => ({ type: 'float', min: 0, max: w / 10, precision, unique: true })),
      fc.integer({ min: 0, max: 600 }).map((w) => ({
        type: 'date',
        min: '2020-01-01',
        max: new Date(Date.UTC(2020, 0, 1 + w)).toISOString().slice(0, 10),
        unique: true,
      })),
      fc.tuple(fc.constantFrom('ab', 'xyz'), fc.integer({ min: 1, max: 6 })).map(([alphabet, len]) => ({
        type: 'string',
        alphabet,
        min_length: 1,
        max_length: len,
        unique: true,
      })),
      fc.integer({ min: 1, max: 20 }).map((n) => ({
        type: 'category',
        values: Array.from({ length: n }, (_, i) => `v${i}`),
        unique: true,
      })),
    )
    fc.assert(
      fc.property(uniqueSpec, seed, fc.integer({ min: 0, max: 500 }), (spec, s, rows) => {
        const source = schema(def([['u', spec]]))
        let values: unknown[]
        try {
          values = columnValues(source, { seed: s, rows }).u!
        } catch (e) {
          expect((e as Error).message).toMatch(/invalid schema/)
          expect(JSON.stringify((e as { issues: unknown }).issues)).toMatch(/needs \d+ distinct values/)
          return
        }
        expect(new Set(values).size).toBe(rows)
        expectValuesHonourSpec(spec as never, values)
      }),
      { numRuns: 200 },
    )
  })

  it('gives the same values for the same seed and different values for another seed', () => {
    fc.assert(
      fc.property(columns(columnSpec, 3), seed, (cols, s) => {
        const source = schema(def(cols))
        expect(columnValues(source, { seed: s, rows: 50 })).toEqual(
          columnValues(source, { seed: s, rows: 50 }),
        )
      }),
      { numRuns: 60 },
    )
    const source = schema(def([['x', { type: 'float', min: 0, max: 1 }]]))
    expect(columnValues(source, { seed: 1, rows: 20 }).x).not.toEqual(
      columnValues(source, { seed: 2, rows: 20 }).x,
    )
  })

  it('keeps a column unchanged when columns are added, reordered or other specs change', () => {
    fc.assert(
      fc.property(
        columns(columnSpec, 4),
        fc.tuple(columnName, columnSpec),
        seed,
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        (cols, extra, s, rows, at) => {
          fc.pre(!cols.some(([n]) => n === extra[0]))
          const base = columnValues(schema(def(cols)), { seed: s, rows })
          const added = [...cols]
          added.splice(at % (cols.length + 1), 0, extra)
          const withExtra = columnValues(schema(def(added)), { seed: s, rows })
          const reversed = columnValues(schema(def([...cols].reverse())), { seed: s, rows })
          for (const [name] of cols) {
            expect(withExtra[name]).toEqual(base[name])
            expect(reversed[name]).toEqual(base[name])
          }
          // Change every other column's spec to the extra one's: the first column stays as it was.
          const [first, ...rest] = cols
          const changed = columnValues(
            schema(def([first!, ...rest.map(([n]) => [n, extra[1]] as [string, unknown])])),
            { seed: s, rows },
          )
          expect(changed[first![0]]).toEqual(base[first![0]])
        },
      ),
      { numRuns: 80 },
    )
  })

  it('produces the same values whatever row ranges they are read in (partition independence)', () => {
    const rows = 140_000 // more than two 65,536-row blocks
    const cols: [string, unknown][] = [
      ['n', { type: 'float', min: -5, max: 5, distribution: { normal: { mean: 0, sd: 1 } } }],
      ['k', { type: 'int', min: 0, max: 1_000_000, unique: true }],
      ['c', { type: 'category', values: { a: 3, b: 1 } }],
      ['u', { type: 'uuid' }],
    ]
    const source = schema(def(cols))
    const whole = goldgen.dataset(source, { seed: 9, rows }).read(0, rows)
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: rows - 1 }), { maxLength: 6 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), rows]
        const dataset = goldgen.dataset(source, { seed: 9, rows })
        for (let i = 0; i + 1 < points.length; i++) {
          const from = points[i]!
          const to = points[i + 1]!
          const part = dataset.read(from, to - from)
          part.forEach((block, c) => {
            const all = whole[c]!.values as ArrayLike<unknown>
            const got = block.values as ArrayLike<unknown>
            expect(got.length).toBe(to - from)
            let mismatches = 0
            for (let r = 0; r < got.length; r++) if (!Object.is(got[r], all[from + r])) mismatches++
            expect(mismatches, `column ${cols[c]![0]}, rows [${from}, ${to})`).toBe(0)
          })
        }
      }),
      { numRuns: 25 },
    )
  })

  it('makes the rows of an --offset run equal to the same rows of a full run', () => {
    fc.assert(
      fc.property(
        columns(cheapColumnSpec, 4),
        seed,
        fc.integer({ min: 0, max: 140_000 }),
        fc.integer({ min: 1, max: 2000 }),
        (cols, s, offset, rows) => {
          const source = schema(def(cols))
          const slice = columnValues(source, { seed: s, rows, offset })
          const full = goldgen.dataset(source, { seed: s, rows: offset + rows }).read(offset, rows)
          cols.forEach(([name], i) => {
            expect(slice[name]).toEqual(blockValues(full[i]!))
          })
        },
      ),
      { numRuns: 30 },
    )
  })
})
