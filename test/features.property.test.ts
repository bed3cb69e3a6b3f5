/**
 * Golden-dataset features as properties over generated schemas and seeds: missing values,
 * edge cases, coverage, tags, and that all of it stays partition-independent.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { edgePool } from '../src/features/edge-pools.ts'
import type { ColumnBlock, ColumnDef } from '../src/index.ts'
import { seed } from './arbitraries.ts'
import { blockValues, goldgen, schema } from './helpers.ts'

const def = (columns: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  goldgen: 1,
  columns,
  ...extra,
})

function read(
  source: ReturnType<typeof schema>,
  options: { seed: number; rows: number; offset?: number; total?: number; tags?: boolean },
) {
  const dataset = goldgen.dataset(source, options)
  const blocks = options.rows === 0 ? [] : dataset.read(0, options.rows)
  return Object.fromEntries(dataset.columns.map((c, i) => [c.name, blocks[i]!])) as Record<
    string,
    ColumnBlock
  >
}
const isMissing = (b: ColumnBlock, i: number) => b.missing?.[i] === 1
const missingCount = (b: ColumnBlock) => Array.from(b.missing ?? []).reduce((n, m) => n + m, 0)
/** |observed - expected| within 5 binomial standard deviations (plus one for tiny n). */
const withinBinomial = (observed: number, n: number, p: number) =>
  Math.abs(observed - n * p) <= 5 * Math.sqrt(n * p * (1 - p)) + 1

const categories = fc
  .tuple(
    fc.integer({ min: 2, max: 6 }),
    fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 6, maxLength: 6 }),
  )
  .map(([n, w]) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, w[i]!])))

describe('missing values', () => {
  it('count is exact, at seeded positions, for any row count and seed', () => {
    fc.assert(
      fc.property(
        seed,
        fc.integer({ min: 0, max: 3000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (s, rows, share) => {
          const count = Math.floor(rows * share)
          const cols = read(schema(def({ x: { type: 'float', min: 0, max: 1, missing: { count } } })), {
            seed: s,
            rows,
          })
          expect(rows === 0 ? 0 : missingCount(cols.x!)).toBe(count)
          if (rows > 0) expect((cols.x!.validity ?? []).filter((v) => v === 0).length).toBe(count)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('MCAR rates are within a binomial tolerance, and NaN is never used for missing', () => {
    fc.assert(
      fc.property(seed, fc.double({ min: 0, max: 1, noNaN: true }), (s, rate) => {
        const rows = 5000
        const cols = read(schema(def({ x: { type: 'float', min: 0, max: 1, missing: rate } })), {
          seed: s,
          rows,
        })
        expect(withinBinomial(missingCount(cols.x!), rows, rate)).toBe(true)
        for (let i = 0; i < rows; i++) if (isMissing(cols.x!, i)) expect(cols.x!.validity![i]).toBe(0)
        expect(Array.from(cols.x!.values as Float64Array).some(Number.isNaN)).toBe(false)
      }),
      { numRuns: 40 },
    )
  })

  it('MAR: nulls only where the named columns hold the values, at the rate among those rows', () => {
    fc.assert(
      fc.property(
        seed,
        categories,
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 3 }),
        (s, values, rate, pickN) => {
          const names = Object.keys(values)
          const chosen = names.slice(0, Math.min(pickN, names.length - 1))
          const rows = 4000
          const source = schema(
            def({
              plan: { type: 'category', values },
              flag: { type: 'bool', p: 0.5 },
              x: { type: 'int', min: 0, max: 9, missing: { rate, when: { plan: chosen, flag: true } } },
            }),
          )
          const cols = read(source, { seed: s, rows })
          const plan = blockValues(cols.plan!)
          const flag = blockValues(cols.flag!)
          let eligible = 0
          for (let i = 0; i < rows; i++) {
            const holds = chosen.includes(plan[i] as string) && flag[i] === 1
            if (holds) eligible++
            if (isMissing(cols.x!, i)) expect(holds, `row ${i}: ${plan[i]}, ${flag[i]}`).toBe(true)
          }
          expect(withinBinomial(missingCount(cols.x!), eligible, rate)).toBe(true)
        },
      ),
      { numRuns: 30 },
    )
  })

  it('MNAR: nulls only where the value that would have been there met the condition', () => {
    fc.assert(
      fc.property(
        seed,
        fc.integer({ min: 10, max: 90 }),
        fc.constantFrom('gt', 'gte', 'lt', 'lte'),
        (s, threshold, op) => {
          const rows = 3000
          const base = { type: 'int', min: 0, max: 100, distribution: { normal: { mean: 50, sd: 20 } } }
          const hidden = blockValues(read(schema(def({ x: base })), { seed: s, rows }).x!) as number[]
          const cols = read(
            schema(def({ x: { ...base, missing: { rate: 0.7, when: { self: { [op]: threshold } } } } })),
            { seed: s, rows },
          )
          const test = {
            gt: (v: number) => v > threshold,
            gte: (v: number) => v >= threshold,
            lt: (v: number) => v < threshold,
            lte: (v: number) => v <= threshold,
          }[op]
          let eligible = 0
          for (let i = 0; i < rows; i++) {
            if (test(hidden[i]!)) eligible++
            if (isMissing(cols.x!, i))
              expect(test(hidden[i]!), `row ${i}: hidden ${hidden[i]} ${op} ${threshold}`).toBe(true)
            else expect(cols.x!.values[i]).toBe(hidden[i])
          }
          expect(withinBinomial(missingCount(cols.x!), eligible, 0.7)).toBe(true)
        },
      ),
      { numRuns: 30 },
    )
  })

  it('sentinels replace nulls and are counted as missing in the manifest', async () => {
    const source = schema(
      def({
        a: { type: 'int', min: 0, max: 9, missing: { rate: 0.2, as: -999 } },
        b: { type: 'string', missing: { rate: 0.2, as: 'N/A' } },
        c: { type: 'category', values: ['x', 'y'], missing: { count: 7, as: '' } },
        d: { type: 'float', min: 0, max: 1, missing: { rate: 0.2, as: 'N/A' } },
      }),
    )
    const { bytes, manifest } = await goldgen.generateBuffer(source, { rows: 500, seed: 1, format: 'jsonl' })
    const rows = Buffer.from(bytes)
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
    const count = (col: string, v: unknown) => rows.filter((r) => r[col] === v).length
    expect(rows.every((r) => Object.values(r).every((v) => v !== null))).toBe(true)
    expect(manifest.columns.a!.missingCount).toBe(count('a', -999))
    expect(manifest.columns.b!.missingCount).toBe(count('b', 'N/A'))
    expect(manifest.columns.c!.missingCount).toBe(7)
    expect(count('c', '')).toBe(7)
    // A string sentinel in a float column makes it text, like dirty data.
    expect(manifest.columns.d).toMatchObject({
      arrowType: 'Utf8',
      missingAs: 'N/A',
      missingCount: count('d', 'N/A'),
    })
    expect(manifest.columns.a).toMatchObject({ arrowType: 'Int32', missingAs: -999, nullCount: 0 })
    expect(manifest.columns.a!.max).toBeLessThanOrEqual(9) // sentinels stay out of the statistics
  })
})

const poolTypes: ColumnDef[] = [
  { type: 'int', min: 5, max: 50 },
  { type: 'float', min: -1, max: 1 },
  { type: 'string' },
  { type: 'faker', method: 'person.firstName' },
  { type: 'uuid' },
  { type: 'date', min: '2020-01-01', max: '2020-12-31' },
  { type: 'datetime', min: '2020-01-01T00:00:00Z', max: '2020-12-31T00:00:00Z' },
  { type: 'category', values: ['US', 'de', 'Fr'] },
]

describe('edge cases', () => {
  it('mode: all yields every kind of the pool (or of include) at least once, recorded with its row', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...poolTypes),
        seed,
        fc.integer({ min: 20, max: 3000 }),
        fc.boolean(),
        (spec, s, rows, subset) => {
          const kinds = edgePool(spec)!.kinds
          const include = subset ? kinds.filter((_, i) => i % 2 === 0) : undefined
          const cols = read(
            schema(def({ x: { ...spec, edge_cases: { mode: 'all', ...(include ? { include } : {}) } } })),
            { seed: s, rows },
          )
          const seen = new Set<string>()
          cols.x!.edge?.forEach((k) => {
            if (k >= 0) seen.add(kinds[k]!)
          })
          expect([...seen].sort()).toEqual([...(include ?? kinds)].sort())
        },
      ),
      { numRuns: 60 },
    )
  })

  it('rate-based edge cases appear at the rate, only of the included kinds, with the pool values', () => {
    fc.assert(
      fc.property(seed, fc.double({ min: 0.01, max: 0.5, noNaN: true }), (s, rate) => {
        const rows = 4000
        const cols = read(
          schema(
            def({
              x: { type: 'float', min: 0, max: 1, edge_cases: { rate, include: ['nan', '-0', 'inf'] } },
            }),
          ),
          { seed: s, rows },
        )
        const x = cols.x!
        let n = 0
        for (let i = 0; i < rows; i++) {
          const k = x.edge?.[i] ?? -1
          const v = x.values[i] as number
          if (k < 0) {
            expect(v >= 0 && v <= 1 && !Object.is(v, -0)).toBe(true)
            continue
          }
          n++
          const kind = ['nan', 'inf', '-inf', '-0'][k]
          if (kind === 'nan') expect(Number.isNaN(v)).toBe(true)
          else if (kind === '-0') expect(Object.is(v, -0)).toBe(true)
          else expect(kind).toBe('inf')
          if (kind === 'inf') expect(v).toBe(Number.POSITIVE_INFINITY)
        }
        expect(withinBinomial(n, rows, rate)).toBe(true)
      }),
      { numRuns: 30 },
    )
  })

  it('unseen and case values are outside the declared categories; _goldgen_tags selects every edge row', () => {
    const cols = read(
      schema(
        def({
          c: { type: 'category', values: ['alpha', 'Beta'], edge_cases: 0.2 },
          n: { type: 'int', min: 0, max: 9, missing: 0.1 },
        }),
      ),
      { seed: 4, rows: 2000, tags: true },
    )
    const c = blockValues(cols.c!)
    const tags = cols._goldgen_tags!.values as string[]
    for (let i = 0; i < 2000; i++) {
      const edge = cols.c!.edge?.[i] ?? -1
      expect(['alpha', 'Beta'].includes(c[i] as string)).toBe(edge < 0)
      expect(tags[i]!.includes('c:')).toBe(edge >= 0)
      expect(tags[i]!.includes('n:missing')).toBe(isMissing(cols.n!, i))
    }
    expect(new Set(c.filter((v) => !['alpha', 'Beta'].includes(v as string)))).toEqual(
      new Set(['__unseen__', 'ALPHA', 'BETA']),
    )
  })
})

describe('coverage', () => {
  it('min_per_category holds for every category and bool column, and other rows keep the weights', () => {
    fc.assert(
      fc.property(seed, categories, fc.integer({ min: 1, max: 40 }), (s, values, k) => {
        const rows = 6000
        const cols = read(
          schema(
            def(
              { c: { type: 'category', values }, b: { type: 'bool', p: 0.001 } },
              { coverage: { min_per_category: k } },
            ),
          ),
          { seed: s, rows },
        )
        const c = blockValues(cols.c!)
        const total = Object.values(values).reduce((a, b) => a + b, 0)
        const names = Object.keys(values)
        for (const v of names) {
          const n = c.filter((x) => x === v).length
          expect(n).toBeGreaterThanOrEqual(k)
          // Exactly k forced rows per value; the other rows are drawn with the declared weights.
          expect(withinBinomial(n - k, rows - k * names.length, values[v]! / total)).toBe(true)
        }
        const trues = blockValues(cols.b!).filter((x) => x === 1).length
        expect(trues).toBeGreaterThanOrEqual(k)
        expect(rows - trues).toBeGreaterThanOrEqual(k)
      }),
      { numRuns: 40 },
    )
  })

  it('pairwise covers every pair of values across the listed columns, including binned numbers', () => {
    fc.assert(
      fc.property(
        seed,
        fc.array(categories, { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 2, max: 6 }),
        (s, cats, nBins) => {
          const columns: Record<string, unknown> = {}
          cats.forEach((values, i) => {
            // Rare values make pairs that random rows alone would miss.
            columns[`c${i}`] = {
              type: 'category',
              values: Object.fromEntries(
                Object.entries(values).map(([v, w], j) => [v, j === 0 ? w * 1000 : w]),
              ),
            }
          })
          columns.n = { type: 'float', min: 0, max: 100 }
          const group = [...Object.keys(columns)]
          const source = schema(def(columns, { coverage: { pairwise: group, bins: { n: nBins } } }))
          const rows = 400
          const cols = read(source, { seed: s, rows })
          const level = (name: string, i: number) =>
            name === 'n'
              ? Math.min(Math.floor((cols.n!.values[i] as number) / (100 / nBins)), nBins - 1)
              : (cols[name]!.values[i] as number)
          const sizes = group.map((g) => (g === 'n' ? nBins : Object.keys(cats[Number(g.slice(1))]!).length))
          for (let a = 0; a < group.length; a++) {
            for (let b = a + 1; b < group.length; b++) {
              const seen = new Set<string>()
              for (let i = 0; i < rows; i++) seen.add(`${level(group[a]!, i)},${level(group[b]!, i)}`)
              expect(seen.size, `${group[a]} × ${group[b]}`).toBe(sizes[a]! * sizes[b]!)
            }
          }
        },
      ),
      { numRuns: 30 },
    )
  })

  it('reports what was achieved in the manifest', async () => {
    const source = schema(
      def(
        {
          a: { type: 'category', values: ['x', 'y', 'z'] },
          b: { type: 'bool' },
          n: { type: 'int', min: 0, max: 9 },
        },
        { coverage: { min_per_category: 2, pairwise: ['a', 'b', 'n'], bins: { n: [0, 5, 10] } } },
      ),
    )
    const { manifest } = await goldgen.generateBuffer(source, { rows: 50, seed: 2 })
    expect(manifest.coverage).toMatchObject({
      minPerCategory: { required: 2, met: true },
      pairwise: [{ columns: ['a', 'b', 'n'], pairsTotal: 3 * 2 + 3 * 2 + 2 * 2, pairsCovered: 16 }],
    })
  })
})

describe('features stay deterministic and partition-independent', () => {
  const features = def(
    {
      plan: { type: 'category', values: { basic: 5, pro: 1 }, edge_cases: 0.05 },
      x: {
        type: 'float',
        min: 0,
        max: 1e6,
        distribution: { lognormal: { mu: 11, sigma: 1 } },
        missing: { rate: 0.5, when: { self: { gt: 100000 } } },
        edge_cases: { mode: 'all', rate: 0.01 },
      },
      y: { type: 'int', min: 0, max: 9, missing: { rate: 0.3, when: { plan: 'basic' } } },
      z: { type: 'string', missing: { count: 500, as: 'N/A' }, edge_cases: { mode: 'all' } },
      flag: { type: 'bool' },
    },
    { coverage: { min_per_category: 3, pairwise: ['plan', 'flag', 'y'], bins: { y: 3 } } },
  )

  it('--offset slices (with --total) equal the same rows of a full run', () => {
    const source = schema(features)
    const total = 140_000
    const full = read(source, { seed: 8, rows: total, tags: true })
    fc.assert(
      fc.property(fc.integer({ min: 0, max: total - 1 }), fc.integer({ min: 1, max: 3000 }), (offset, n) => {
        const rows = Math.min(n, total - offset)
        const slice = read(source, { seed: 8, rows, offset, total, tags: true })
        for (const name of Object.keys(full)) {
          const a = blockValues(slice[name]!)
          const b = blockValues(full[name]!).slice(offset, offset + rows)
          expect(
            a.every((v, i) => Object.is(v, b[i])),
            name,
          ).toBe(true)
        }
      }),
      { numRuns: 25 },
    )
  })

  it('writes identical bytes whatever the chunk size', async () => {
    const source = schema(features)
    const reference = (await goldgen.generateBuffer(source, { rows: 70_000, seed: 3, format: 'csv' })).bytes
    for (const chunkRows of [999, 65_536, 70_000]) {
      const { bytes } = await goldgen.generateBuffer(source, {
        rows: 70_000,
        seed: 3,
        format: 'csv',
        chunkRows,
      })
      expect(Buffer.compare(Buffer.from(bytes), Buffer.from(reference))).toBe(0)
    }
  })

  it("a column's extras depend only on the columns it names", () => {
    const source = schema(features)
    const base = read(source, { seed: 5, rows: 5000 })
    const withOthers = schema({
      ...features,
      columns: {
        extra: { type: 'uuid', missing: 0.5 },
        ...features.columns,
        more: { type: 'int', min: 0, max: 5, edge_cases: 0.3 },
      },
    })
    const other = read(withOthers, { seed: 5, rows: 5000 })
    for (const name of Object.keys(features.columns)) {
      expect(blockValues(other[name]!), name).toEqual(blockValues(base[name]!))
      expect(Array.from(other[name]!.missing ?? []), name).toEqual(Array.from(base[name]!.missing ?? []))
    }
  })
})

describe('impossible requests fail clearly', () => {
  const fails = (d: unknown, rows: number, message: RegExp) => {
    try {
      goldgen.dataset(schema(d), { rows })
      expect.unreachable()
    } catch (e) {
      expect(JSON.stringify((e as { issues: unknown }).issues)).toMatch(message)
    }
  }
  it('names the problem and the path', () => {
    fails(
      def({ a: { type: 'int', min: 0, max: 5, missing: { count: 12 } } }),
      10,
      /count \(12\) is more than the 10 rows/,
    )
    fails(
      def({ a: { type: 'int', min: 0, max: 5, missing: { rate: 0.1, when: { nope: 1 } } } }),
      10,
      /no column named \\"nope\\"/,
    )
    fails(
      def({ a: { type: 'float', min: 0, max: 1, edge_cases: { include: ['nan', 'banana'] } } }),
      10,
      /unknown edge-case kind \\"banana\\" for a float column; expected one of nan, inf/,
    )
    fails(def({ a: { type: 'bool', edge_cases: 0.1 } }), 10, /bool columns have no edge cases/)
    fails(
      def({
        a: { type: 'int', min: 0, max: 5, missing: { rate: 0.1, when: { b: 1 } } },
        b: { type: 'int', min: 0, max: 5, missing: { rate: 0.1, when: { a: 1 } } },
      }),
      10,
      /cycle: a → b → a/,
    )
    fails(
      def({ a: { type: 'category', values: ['x'] } }, { coverage: { pairwise: ['a', 'b'] } }),
      10,
      /no column named \\"b\\"/,
    )
    fails(
      def(
        { a: { type: 'category', values: ['x'] }, n: { type: 'float', min: 0, max: 1 } },
        { coverage: { pairwise: ['a', 'n'] } },
      ),
      10,
      /with coverage.bins/,
    )
    fails(def({ a: { type: 'string', edge_cases: { mode: 'all' } } }), 5, /mode: all needs 8 rows/)
  })
})
