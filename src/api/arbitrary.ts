/**
 * The fast-check bridge: `toArbitrary(schema)` is an `fc.Arbitrary` of rows that honour the
 * schema (types, ranges, precision, categories, patterns, missing values with their conditions),
 * so feature code can be property-tested with shrinking. Rows are plain objects shaped like the
 * JSONL output: numbers, booleans, strings (dates as YYYY-MM-DD, datetimes as ISO 8601), null.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { createGoldgen, toArbitrary } from 'goldgen'
 * const schema = createGoldgen().loadSchema('schemas/examples/churn.yaml')
 * fc.assert(fc.property(toArbitrary(schema), (row) => featurize(row).length === 12))
 * ```
 */
import fc from 'fast-check'
import { categoryValues } from '../../generators/category.ts'
import { DEFAULT_DATE_MAX, DEFAULT_DATE_MIN, toDays } from '../../generators/date.ts'
import { DEFAULT_DATETIME_MAX, DEFAULT_DATETIME_MIN } from '../../generators/datetime.ts'
import { distributionOf, INT32_MAX, INT32_MIN } from '../../generators/distributions.ts'
import { makeFaker } from '../../generators/faker.ts'
import { DEFAULT_ALPHABET, DEFAULT_MAX_LENGTH, DEFAULT_MIN_LENGTH } from '../../generators/string.ts'
import type { ColumnDef, ColumnOf, DatasetDef } from '../../schemas/language.ts'
import { GoldgenError } from '../core/errors.ts'
import { planDataset } from './plan.ts'

export type RowValue = string | number | boolean | null
export type Row = Record<string, RowValue>

const DAY = 86_400_000

/**
 * Where a numeric column's values live: its min/max, and on an open side a range that holds
 * all but a negligible share of its distribution (so rows stay realistic and finite).
 */
export function numericRange(spec: ColumnOf<'int'> | ColumnOf<'float'>): [number, number] {
  const { name, params } = distributionOf(spec)
  const p = params as Record<string, number>
  let [lo, hi] = [-1e9, 1e9]
  if (name === 'normal') [lo, hi] = [p.mean! - 10 * p.sd!, p.mean! + 10 * p.sd!]
  if (name === 'lognormal') [lo, hi] = [0, Math.exp(p.mu! + 10 * p.sigma!)]
  if (name === 'exponential') [lo, hi] = [0, 50 / p.rate!]
  if (name === 'poisson') [lo, hi] = [0, Math.ceil(p.lambda! + 40 * Math.sqrt(p.lambda!) + 40)]
  if (name === 'zipf') [lo, hi] = [1, p.n!]
  if (name === 'histogram') {
    const bins = (params as { bins: number[] }).bins
    ;[lo, hi] = [bins[0]!, bins[bins.length - 1]!]
  }
  if (name === 'discrete') {
    const values = (params as { values: number[] }).values
    ;[lo, hi] = [Math.min(...values), Math.max(...values)]
  }
  if (spec.type === 'int') {
    // Open sides of an int column stop at the Int32 range, as the generator's do.
    const max = spec.max ?? Math.min(Math.floor(hi), INT32_MAX)
    const min = spec.min ?? Math.min(Math.max(Math.ceil(lo), INT32_MIN), max)
    return [min, Math.max(max, min)]
  }
  const min = spec.min ?? Math.min(lo, spec.max ?? lo)
  return [min, spec.max ?? Math.max(hi, min)]
}

function integers(min: number, max: number): fc.Arbitrary<number> {
  if (min >= INT32_MIN && max <= INT32_MAX) return fc.integer({ min, max })
  return fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number)
}

/** An arbitrary of one column's present (non-missing) values. */
export function columnArbitrary(spec: ColumnDef): fc.Arbitrary<RowValue> {
  switch (spec.type) {
    case 'id': {
      const start = spec.start ?? 1
      const step = spec.step ?? 1
      return fc.integer({ min: 0, max: 1_000_000 }).map((k) => start + step * k)
    }
    case 'int':
      return integers(...numericRange(spec))
    case 'float': {
      const [min, max] = numericRange(spec)
      const arb = fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
      if (spec.precision === undefined) return arb.map((x) => x || 0)
      const f = 10 ** spec.precision
      const lo = Math.ceil(min * f) / f
      const hi = Math.floor(max * f) / f
      return arb.map((x) => Math.min(Math.max(Math.round(x * f) / f, lo), hi) || 0)
    }
    case 'category': {
      const { values, weights } = categoryValues(spec)
      return fc.constantFrom(...values.filter((_, i) => weights[i]! > 0))
    }
    case 'bool':
      return typeof spec.p === 'object'
        ? fc.boolean()
        : spec.p === 1
          ? fc.constant(true)
          : spec.p === 0
            ? fc.constant(false)
            : fc.boolean()
    case 'date':
      return fc
        .integer({ min: toDays(spec.min ?? DEFAULT_DATE_MIN), max: toDays(spec.max ?? DEFAULT_DATE_MAX) })
        .map((d) => new Date(d * DAY).toISOString().slice(0, 10))
    case 'datetime':
      return fc
        .integer({
          min: Date.parse(spec.min ?? DEFAULT_DATETIME_MIN),
          max: Date.parse(spec.max ?? DEFAULT_DATETIME_MAX),
        })
        .map((ms) => new Date(ms).toISOString())
    case 'uuid':
      return fc.uuid({ version: 4 })
    case 'string':
      if (spec.pattern !== undefined) return fc.stringMatching(new RegExp(`^(?:${spec.pattern})$`))
      return fc.string({
        unit: fc.constantFrom(...Array.from(new Set(Array.from(spec.alphabet ?? DEFAULT_ALPHABET)))),
        minLength: spec.min_length ?? DEFAULT_MIN_LENGTH,
        maxLength: spec.max_length ?? Math.max(spec.min_length ?? DEFAULT_MIN_LENGTH, DEFAULT_MAX_LENGTH),
      })
    case 'ref':
    case 'lookup':
      throw new GoldgenError(
        'NOT_SUPPORTED',
        `${spec.type} columns read another table; arbitraries cover one table`,
      )
    case 'faker': {
      const faker = makeFaker(spec.locale)
      const [module, method] = [
        spec.method.slice(0, spec.method.lastIndexOf('.')),
        spec.method.slice(spec.method.lastIndexOf('.') + 1),
      ]
      const owner = module
        .split('.')
        .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], faker) as Record<
        string,
        (...a: unknown[]) => unknown
      >
      const args = spec.args ?? []
      return fc.integer({ min: 0, max: 0x7fffffff }).map((seed) => {
        faker.seed(seed)
        const v = owner[method]!(...args)
        return typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : JSON.stringify(v)
      })
    }
  }
}

type Expected =
  | string
  | number
  | boolean
  | (string | number | boolean)[]
  | { gt?: number; gte?: number; lt?: number; lte?: number }

function holds(value: RowValue, expected: Expected): boolean {
  if (value === null) return false
  if (typeof expected === 'object' && !Array.isArray(expected)) {
    const v = Number(value)
    const c = expected
    return (
      (c.gt === undefined || v > c.gt) &&
      (c.gte === undefined || v >= c.gte) &&
      (c.lt === undefined || v < c.lt) &&
      (c.lte === undefined || v <= c.lte)
    )
  }
  return (Array.isArray(expected) ? expected : [expected]).map(String).includes(String(value))
}

/** An arbitrary of rows of a schema (a definition, or what `loadSchema`/`defineSchema` return). */
export function toArbitrary(schema: DatasetDef | { def: DatasetDef }): fc.Arbitrary<Row> {
  const def = 'def' in schema ? schema.def : schema
  if (def.columns === undefined) return recordsArbitrary(def)
  const columns = Object.entries(def.columns)
  const values = fc.record(Object.fromEntries(columns.map(([name, spec]) => [name, columnArbitrary(spec)])))
  const missingColumns = columns.filter(([, spec]) => spec.missing !== undefined)
  const flags = fc.record(Object.fromEntries(missingColumns.map(([name]) => [name, fc.boolean()])))
  return fc.record({ values, flags }).map(({ values: row, flags: missing }) => {
    const out: Row = { ...(row as Row) }
    // A column may be missing where its conditions hold on the present values (MAR) or its own (MNAR).
    for (const [name, spec] of missingColumns) {
      if (!(missing as Record<string, boolean>)[name]) continue
      const m =
        typeof spec.missing === 'number'
          ? {}
          : (spec.missing as { when?: Record<string, Expected>; as?: string | number })
      const when = Object.entries(m.when ?? {})
      if (
        when.every(([other, expected]) =>
          holds(other === 'self' ? (row as Row)[name]! : (row as Row)[other]!, expected),
        )
      ) {
        out[name] = m.as ?? null
      }
    }
    return out
  })
}

/**
 * Records schemas: each run draws a seed and makes one record from it, checked against the JSON
 * Schema like generated rows. (Records shrink by seed, not structurally.)
 */
function recordsArbitrary(def: DatasetDef): fc.Arbitrary<Row> {
  const plan = planDataset(def, { rows: 1, total: 1 })
  const columns = plan.source.columns
  return fc.integer({ min: 0, max: 0xffffffff }).map((seed) => {
    const opened = plan.source.open(seed, 1)
    const row: Record<string, unknown> = {}
    columns.forEach((c, i) => {
      const v = (opened.block(i, 0, 1).values as unknown[])[0]
      if (v !== undefined) row[c.name] = v
    })
    return row as Row
  })
}
