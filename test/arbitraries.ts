/** fast-check arbitraries of valid column specs and schemas, and a checker for what values must satisfy. */
import fc from 'fast-check'
import { expect } from 'vitest'
import type { ColumnDef } from '../src/index.ts'

const DAY = 86_400_000
const iso = (days: number) => new Date(days * DAY).toISOString().slice(0, 10)
const ordered = (lo: number, hi: number) =>
  fc
    .tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: lo, max: hi }))
    .map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]))

const idSpec = fc.record(
  {
    type: fc.constant('id' as const),
    start: fc.integer({ min: -1e6, max: 1e6 }),
    step: fc.integer({ min: 1, max: 50 }).chain((s) => fc.constantFrom(s, -s)),
  },
  { requiredKeys: ['type'] },
)

const intSpec = fc.oneof(
  ordered(-1e6, 1e6).map(([min, max]) => ({ type: 'int' as const, min, max })),
  ordered(-1e12, 1e12).map(([min, max]) => ({ type: 'int' as const, min, max })),
  fc
    .tuple(
      ordered(-500, 500),
      fc.double({ min: -600, max: 600, noNaN: true }),
      fc.double({ min: 0.1, max: 300, noNaN: true }),
    )
    .map(([[min, max], mean, sd]) => ({
      type: 'int' as const,
      min,
      max,
      distribution: { normal: { mean, sd } },
    })),
  fc
    .tuple(fc.double({ min: 0.1, max: 200, noNaN: true }), fc.integer({ min: 0, max: 50 }))
    .map(([lambda, extra]) => ({
      type: 'int' as const,
      min: 0,
      max: Math.ceil(lambda) + extra,
      distribution: { poisson: { lambda } },
    })),
  fc.tuple(fc.double({ min: 0.5, max: 3, noNaN: true }), fc.integer({ min: 1, max: 5000 })).map(([s, n]) => ({
    type: 'int' as const,
    distribution: { zipf: { s, n } },
  })),
  fc
    .tuple(
      fc.integer({ min: -100, max: 100 }),
      fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 6 }),
    )
    .map(([start, widths]) => {
      const bins = [start]
      for (const w of widths) bins.push(bins.at(-1)! + w)
      return {
        type: 'int' as const,
        distribution: { histogram: { bins, weights: widths.map((w) => (w % 3) + 1) } },
      }
    }),
)

const floatSpec = fc.oneof(
  fc
    .tuple(ordered(-1e6, 1e6), fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }))
    .map(([[min, max], precision]) => ({
      type: 'float' as const,
      min,
      max: max === min ? min + 1 : max,
      ...(precision === undefined ? {} : { precision }),
    })),
  fc
    .tuple(
      fc.double({ min: -50, max: 50, noNaN: true }),
      fc.double({ min: 0.01, max: 2, noNaN: true }),
      fc.double({ min: 0, max: 1e5, noNaN: true }),
    )
    .map(([mu, sigma, min]) => ({
      type: 'float' as const,
      min,
      distribution: { lognormal: { mu: mu / 10, sigma } },
    })),
  fc
    .tuple(fc.double({ min: 0.001, max: 10, noNaN: true }), fc.integer({ min: 0, max: 4 }))
    .map(([rate, precision]) => ({
      type: 'float' as const,
      min: 0,
      distribution: { exponential: { rate } },
      precision,
    })),
  fc
    .tuple(
      fc.double({ min: -1e3, max: 1e3, noNaN: true }),
      fc.double({ min: 0.001, max: 100, noNaN: true }),
      ordered(-2000, 2000),
    )
    .map(([mean, sd, [min, max]]) => ({
      type: 'float' as const,
      min,
      max: max + 1,
      distribution: { normal: { mean, sd } },
    })),
)

const categoryValuesArb = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), {
  minLength: 1,
  maxLength: 12,
})
const categorySpec = fc.oneof(
  categoryValuesArb.map((values) => ({ type: 'category' as const, values })),
  categoryValuesArb.chain((values) =>
    fc
      .array(fc.integer({ min: 0, max: 10 }), { minLength: values.length, maxLength: values.length })
      .map((w) => ({
        type: 'category' as const,
        values: Object.fromEntries(values.map((v, i) => [v, i === 0 ? w[i]! + 1 : w[i]!])),
      })),
  ),
)

const boolSpec = fc.record(
  { type: fc.constant('bool' as const), p: fc.double({ min: 0, max: 1, noNaN: true }) },
  { requiredKeys: ['type'] },
)
const dateSpec = ordered(-25_000, 47_000).map(([a, b]) => ({
  type: 'date' as const,
  min: iso(a),
  max: iso(b),
}))
const datetimeSpec = ordered(0, 4_000_000_000).map(([a, b]) => ({
  type: 'datetime' as const,
  min: new Date(a * 1000).toISOString(),
  max: new Date(b * 1000).toISOString(),
}))
const uuidSpec = fc.constant({ type: 'uuid' as const })
const stringSpec = fc.oneof(
  fc
    .tuple(fc.constantFrom('abc', 'XYZ0123', 'äöü€😀', undefined), ordered(0, 20))
    .map(([alphabet, [min_length, max_length]]) => ({
      type: 'string' as const,
      min_length,
      max_length,
      ...(alphabet === undefined ? {} : { alphabet }),
    })),
  fc
    .constantFrom('[A-Z]{3}-[0-9]{4}', '(ab|cd)+x?', '\\d{2,5}\\.[a-f]{2}', '[^a-c]{1,3}', 'ü[ß]*')
    .map((pattern) => ({ type: 'string' as const, pattern })),
)
const fakerSpec = fc.record(
  {
    type: fc.constant('faker' as const),
    method: fc.constantFrom(
      'person.firstName',
      'internet.email',
      'location.city',
      'commerce.productName',
      'date.past',
    ),
    locale: fc.constantFrom('de', 'fr', 'ja', 'en_US'),
    version: fc.constantFrom(1 as const, 2 as const),
  },
  { requiredKeys: ['type', 'method'] },
)

/** Valid specs that are cheap to generate in bulk (no faker, no pattern). */
const cheapSpecs = [
  idSpec,
  intSpec,
  floatSpec,
  categorySpec,
  boolSpec,
  dateSpec,
  datetimeSpec,
  uuidSpec,
] as fc.Arbitrary<ColumnDef>[]
export const cheapColumnSpec: fc.Arbitrary<ColumnDef> = fc.oneof(...cheapSpecs)

/** Any valid column spec of any type. */
export const columnSpec: fc.Arbitrary<ColumnDef> = fc.oneof(
  ...cheapSpecs,
  stringSpec as fc.Arbitrary<ColumnDef>,
  fakerSpec as fc.Arbitrary<ColumnDef>,
)

export const columnName = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/)

/** Columns as [name, spec] pairs with distinct names. */
export const columns = (spec = columnSpec, maxLength = 5) =>
  fc.uniqueArray(fc.tuple(columnName, spec), { minLength: 1, maxLength, selector: ([n]) => n })

export const seed = fc.integer({ min: 0, max: 0xffffffff })

/** Asserts everything the language promises about a column's values. */
export function expectValuesHonourSpec(spec: ColumnDef, values: unknown[]): void {
  const where = JSON.stringify(spec)
  switch (spec.type) {
    case 'id':
      values.forEach((v, i) => {
        expect(v, where).toBe((spec.start ?? 1) + (spec.step ?? 1) * i)
      })
      break
    case 'int':
    case 'float': {
      const min = spec.min ?? (spec.type === 'int' ? -2147483648 : Number.NEGATIVE_INFINITY)
      const max = spec.max ?? (spec.type === 'int' ? 2147483647 : Number.POSITIVE_INFINITY)
      const precision = spec.type === 'float' ? spec.precision : undefined
      for (const v of values as number[]) {
        expect(Number.isFinite(v), where).toBe(true)
        if (spec.type === 'int') expect(Number.isInteger(v), where).toBe(true)
        expect(v, where).toBeGreaterThanOrEqual(min)
        expect(v, where).toBeLessThanOrEqual(max)
        expect(Object.is(v, -0), `${where}: -0 is reserved for edge cases`).toBe(false)
        if (precision !== undefined)
          expect(Math.abs(Number(v.toFixed(precision)) - v), where).toBeLessThanOrEqual(Math.abs(v) * 1e-15)
      }
      const h = spec.distribution?.histogram
      if (h !== undefined && spec.type === 'int') {
        for (const v of values as number[]) {
          const bin = h.bins.findIndex(
            (edge, i) =>
              i < h.bins.length - 1 && v >= edge && (v < h.bins[i + 1]! || i === h.bins.length - 2),
          )
          expect(bin, `${where}: ${v} outside the bins`).toBeGreaterThanOrEqual(0)
          expect(h.weights[bin], `${where}: ${v} in a zero-weight bin`).toBeGreaterThan(0)
        }
      }
      break
    }
    case 'category': {
      const allowed = Array.isArray(spec.values)
        ? spec.values.map(String)
        : Object.entries(spec.values ?? {})
            .filter(([, w]) => w > 0)
            .map(([k]) => k)
      for (const v of values) expect(allowed, where).toContain(v)
      break
    }
    case 'bool':
      for (const v of values) expect([0, 1]).toContain(v)
      if (spec.p === 0) expect(values.every((v) => v === 0)).toBe(true)
      if (spec.p === 1) expect(values.every((v) => v === 1)).toBe(true)
      break
    case 'date': {
      const lo = Date.parse(`${spec.min}T00:00:00Z`) / DAY
      const hi = Date.parse(`${spec.max}T00:00:00Z`) / DAY
      for (const v of values as number[]) {
        expect(Number.isInteger(v)).toBe(true)
        expect(v, where).toBeGreaterThanOrEqual(lo)
        expect(v, where).toBeLessThanOrEqual(hi)
      }
      break
    }
    case 'datetime':
      for (const v of values as number[]) {
        expect(Number.isInteger(v)).toBe(true)
        expect(v, where).toBeGreaterThanOrEqual(Date.parse(spec.min!))
        expect(v, where).toBeLessThanOrEqual(Date.parse(spec.max!))
      }
      break
    case 'uuid':
      for (const v of values)
        expect(v).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      break
    case 'string':
      if (spec.pattern !== undefined) {
        const re = new RegExp(`^(?:${spec.pattern})$`, 'u')
        for (const v of values) expect(v, where).toMatch(re)
      } else {
        const alphabet = new Set(
          Array.from(spec.alphabet ?? 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
        )
        for (const v of values as string[]) {
          const chars = Array.from(v)
          expect(chars.length, where).toBeGreaterThanOrEqual(spec.min_length ?? 1)
          expect(chars.length, where).toBeLessThanOrEqual(spec.max_length ?? 16)
          for (const c of chars) expect(alphabet.has(c), `${where}: ${c}`).toBe(true)
        }
      }
      break
    case 'faker':
      for (const v of values) expect(typeof v).toBe('string')
      break
  }
  if ('unique' in spec && spec.unique === true)
    expect(new Set(values).size, `${where}: unique`).toBe(values.length)
}
