/**
 * `goldgen infer` keeps what the data shows and never writes a schema `generate` rejects: a
 * property test over generated CSVs of every column type (unique or not, with missing cells),
 * then the shapes real data has — few distinct dates, point masses in floats, unique dates —
 * checked through generated values.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { validateDef } from '../schemas/parse.ts'
import { inferSchema } from '../src/infer/infer.ts'
import { columnValues, schema, tempDir } from './helpers.ts'

const dir = tempDir()
let fileNo = 0
const writeCsv = (header: string[], rows: string[][]) => {
  const path = join(dir, `sample-${fileNo++}.csv`)
  writeFileSync(path, [header.join(','), ...rows.map((r) => r.join(','))].join('\n'))
  return path
}

const day = (d: number) => new Date(Date.UTC(2000, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)
const instant = (ms: number) => new Date(Date.UTC(2000, 0, 1) + ms).toISOString()
const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`))

/**
 * Cell texts of one column type; `few` draws from a handful of values, so values repeat. Every
 * type but bool has enough values for a unique column of up to 60 rows.
 */
const cellsOf = (few: boolean, unique: boolean): fc.Arbitrary<fc.Arbitrary<string>> =>
  fc.constantFrom<fc.Arbitrary<string>>(
    ...(unique ? [] : [fc.boolean().map(String)]),
    fc.integer({ min: -1000, max: few ? -995 : 100_000 }).map(String),
    fc
      .double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
      .map((x) => String(few ? Math.round(x / 2e5) / 4 : x)),
    fc
      .constantFrom('0', '0', '0', '2.5', '7.25')
      .chain((z) => fc.oneof(fc.constant(z), fc.double({ min: 0, max: 50, noNaN: true }).map(String))),
    fc.integer({ min: 0, max: few ? 3 : 20_000 }).map((d) => day(few ? d * 365 : d)),
    fc.integer({ min: 0, max: few ? 4 : 2e11 }).map((ms) => instant(few ? ms * 3_600_000 : ms)),
    fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((p) => p.join('-')),
    fc.stringMatching(/^[a-z]{1,6}@[a-z]{2,5}\.com$/),
    fc.stringMatching(few ? /^[A-C]$/ : /^[a-zA-Z]{1,3}$/),
    fc.stringMatching(/^[a-z ]{0,12}$/).map((s) => s.trim().replace(/^$/, 'x')),
  )

/** A column: its cell texts for `rows` rows, distinct when `unique`, some missing unless unique. */
const column = (rows: number) =>
  fc
    .record({ few: fc.boolean(), unique: fc.boolean(), missing: fc.boolean() })
    .chain(({ few, unique, missing }) =>
      cellsOf(few && !unique, unique).chain((cell) =>
        (unique
          ? fc.uniqueArray(cell, { minLength: rows, maxLength: rows })
          : fc.array(cell, { minLength: rows, maxLength: rows })
        ).chain((cells) =>
          missing && !unique
            ? fc
                .array(fc.boolean(), { minLength: rows, maxLength: rows })
                .map((holes) => cells.map((c, i) => (holes[i] && i > 0 ? 'NA' : c)))
            : fc.constant(cells),
        ),
      ),
    )

const csv = fc
  .integer({ min: 2, max: 60 })
  .chain((rows) => fc.array(column(rows), { minLength: 1, maxLength: 5 }))
  .filter((cols) => cols.every((c) => c.length === cols[0]!.length))

describe('infer writes only schemas generate accepts', () => {
  it('for CSVs of every column type, unique or not, with missing cells', async () => {
    await fc.assert(
      fc.asyncProperty(csv, async (cols) => {
        const header = cols.map((_, i) => `c${i}`)
        const rows = cols[0]!.map((_, r) => cols.map((c) => c[r]!))
        const file = writeCsv(header, rows)
        const inferred = await inferSchema(file)
        // What infer printed, read back exactly as `goldgen generate` reads it, and generated.
        const def = validateDef(parseYaml(inferred.yaml), file)
        const values = columnValues(schema(def))
        expect(Object.keys(values)).toEqual(header)
        expect(values.c0).toHaveLength(rows.length)
      }),
      { numRuns: 40 },
    )
  })
})

const generated = async (header: string[], rows: string[][]) => {
  const inferred = await inferSchema(writeCsv(header, rows))
  const def = validateDef(parseYaml(inferred.yaml))
  return { inferred, values: columnValues(schema({ ...def, rows: 20_000 })) }
}

const shares = (values: unknown[]) => {
  const m = new Map<string, number>()
  for (const v of values) m.set(String(v), (m.get(String(v)) ?? 0) + 1 / values.length)
  return m
}

describe('infer keeps what the data shows', () => {
  it('a date column of model years (1 January, 12 values) keeps exactly those dates and their shares', async () => {
    const years = Array.from({ length: 400 }, (_, i) => `${1970 + ((i * 7) % 12)}-01-01`)
    const { inferred, values } = await generated(
      ['year'],
      years.map((y) => [y]),
    )
    expect(inferred.def.columns!.year!.type).toBe('date')
    const days = values.year as number[]
    const real = shares(years.map((y) => Date.parse(`${y}T00:00:00Z`) / 86_400_000))
    const synthetic = shares(days)
    expect([...synthetic.keys()].sort()).toEqual([...real.keys()].sort())
    for (const [k, p] of real) expect(Math.abs(synthetic.get(k)! - p), k).toBeLessThan(0.02)
  })

  it('a float that is exactly 0 on half its rows keeps 0 as a point mass', async () => {
    const rain = Array.from({ length: 2000 }, (_, i) =>
      i % 2 === 0 ? '0' : String(((i * 7919) % 997) / 10 + 0.1),
    )
    const { values } = await generated(
      ['rain'],
      rain.map((r) => [r]),
    )
    const v = values.rain as number[]
    const zeros = v.filter((x) => x === 0).length / v.length
    expect(zeros).toBeGreaterThan(0.47)
    expect(zeros).toBeLessThan(0.53)
    expect(Math.max(...v)).toBeLessThanOrEqual(99.7)
  })

  it('distinct dates stay distinct and are the seen dates (a shuffle)', async () => {
    const dates = Array.from({ length: 300 }, (_, i) => day(i * 3 + (i % 2)))
    const inferred = await inferSchema(
      writeCsv(
        ['d'],
        dates.map((d) => [d]),
      ),
    )
    const def = validateDef(parseYaml(inferred.yaml))
    expect(def.columns!.d).toMatchObject({ type: 'date', unique: true })
    const v = columnValues(schema(def)).d as number[]
    const seen = new Set(dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 86_400_000))
    expect(new Set(v).size).toBe(300)
    for (const x of v) expect(seen.has(x)).toBe(true)
  })

  it('wide-ranged skewed numbers keep their equal-width shape and their tail', async () => {
    const skewed = Array.from({ length: 3000 }, (_, i) =>
      String(Math.round(Math.exp(((i * 37) % 1000) / 80) * 100) / 100),
    )
    const { values } = await generated(
      ['x'],
      skewed.map((s) => [s]),
    )
    const v = values.x as number[]
    const nums = skewed.map(Number)
    const [lo, hi] = [Math.min(...nums), Math.max(...nums)]
    const bin = (x: number) => Math.min(19, Math.floor(((x - lo) / (hi - lo)) * 20))
    const p = new Array(20).fill(0)
    const q = new Array(20).fill(0)
    for (const x of nums) p[bin(x)] += 1 / nums.length
    for (const x of v) q[bin(x)] += 1 / v.length
    const tvd = p.reduce((s, pi, i) => s + Math.abs(pi - q[i]), 0) / 2
    expect(tvd).toBeLessThan(0.03)
  })
})
