/**
 * Properties of the parity comparison (src/parity/compare.ts) on arbitrary feature tables:
 * features compared with themselves always pass (paired by position or by key), and one cell
 * perturbed beyond its column's tolerance is always reported at that row and column, alone.
 * test/parity.test.ts runs the same perturbation through real HTTP pipelines.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareSides } from '../src/parity/compare.ts'

type Row = Record<string, unknown>

describe('parity comparison properties', () => {
  const cell = fc.oneof(
    fc.double({ noNaN: false, min: -1e6, max: 1e6 }),
    fc.integer(),
    fc.string({ maxLength: 4 }),
    fc.boolean(),
    fc.constant(null),
  )
  const table = fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 30 }))
    .chain(([cols, rows]) =>
      fc
        .array(fc.tuple(...Array.from({ length: cols }, () => cell)), { minLength: rows, maxLength: rows })
        .map((cells) => ({
          columns: Array.from({ length: cols }, (_, i) => `f${i}`),
          rows: cells.map((r) => Object.fromEntries(r.map((v, i) => [`f${i}`, v]))),
        })),
    )
  const noTags = (rows: Row[]) => ({ rows: rows as never, tags: () => [] })

  it('features compared with themselves always pass', () => {
    fc.assert(
      fc.property(table, fc.boolean(), ({ columns, rows }, byKey) => {
        const keyed = byKey ? rows.map((r, i) => ({ ...r, id: i })) : rows
        const cols = byKey ? [...columns, 'id'] : columns
        const copy = keyed.map((r) => ({ ...r }))
        const out = compareSides(
          { a: { rows: keyed as never, columns: cols }, b: { rows: copy as never, columns: cols } },
          noTags(keyed),
          byKey ? 'id' : null,
          {},
          10,
        )
        expect(out.rowsDiffering).toBe(0)
        expect(out.problems).toEqual([])
        expect(out.rowsCompared).toBe(rows.length)
      }),
      { numRuns: 200 },
    )
  })

  it('one cell perturbed beyond its tolerance is always reported at that row and column', () => {
    fc.assert(
      fc.property(
        table,
        fc.nat(),
        fc.nat(),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 1.5, max: 100, noNaN: true }),
        ({ columns, rows }, r0, c0, atol, factor) => {
          const row = r0 % rows.length
          const column = columns[c0 % columns.length]!
          const numeric = rows.map((r) => ({
            ...r,
            [column]: typeof r[column] === 'number' && Number.isFinite(r[column]) ? r[column] : 1,
          }))
          const b = numeric.map((r) => ({ ...r }))
          b[row]![column] = (numeric[row]![column] as number) + Math.max(atol, 1e-3) * factor
          const out = compareSides(
            { a: { rows: numeric as never, columns }, b: { rows: b as never, columns } },
            noTags(numeric),
            null,
            { [column]: { kind: 'atol', value: atol } },
            10,
          )
          expect(out.rowsDiffering).toBe(1)
          expect(out.differingColumns).toEqual([column])
          expect(out.firstDiffering).toHaveLength(1)
          expect(out.firstDiffering[0]!.row).toBe(row)
          expect(out.firstDiffering[0]!.columns.map((c) => c.column)).toEqual([column])
        },
      ),
      { numRuns: 200 },
    )
  })
})
