/**
 * The goldgen dataset-schema language, version 1, defined once with zod.
 * `schemas/goldgen.schema.json` is generated from this definition (`npm run schema:json`),
 * and parse errors are zod's structured issues, reworded for people in `parse.ts`.
 *
 * Over 400 lines on purpose: the language is one zod module so that the published JSON Schema
 * and every parse error come from one definition (the related-data keys are in related.ts).
 */

import { z } from 'zod'
import { isRealDate, isRealDateTime } from '../src/core/dates.ts'
import { Count, casesOf, ExprRef, LookupColumn, Noise, RefColumn, Sequence, When } from './related.ts'

const finite = () => z.number().refine(Number.isFinite, 'expected a finite number')
const positive = () => z.number().positive().refine(Number.isFinite, 'expected a finite number')
const int = () => z.number().int()
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(isRealDate, 'expected a real calendar date (this day does not exist)')
const isoDateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/,
    'expected an ISO 8601 date-time such as 2024-01-01T00:00:00Z',
  )
  .refine(isRealDateTime, 'expected a real date-time (this day or time does not exist)')

/** Distributions for int and float columns: an object with exactly one of these keys. */
export const distributionNames = [
  'uniform',
  'normal',
  'lognormal',
  'exponential',
  'poisson',
  'zipf',
  'histogram',
  'discrete',
] as const

export const Distribution = z
  .strictObject({
    uniform: z.strictObject({}).optional(),
    normal: z.strictObject({ mean: finite(), sd: positive() }).optional(),
    lognormal: z.strictObject({ mu: finite(), sigma: positive() }).optional(),
    exponential: z.strictObject({ rate: positive() }).optional(),
    poisson: z.strictObject({ lambda: positive().max(1e6) }).optional(),
    zipf: z.strictObject({ s: positive(), n: int().min(1).max(10_000_000) }).optional(),
    histogram: z
      .strictObject({
        bins: z.array(finite()).min(2),
        weights: z.array(z.number().nonnegative().refine(Number.isFinite, 'expected a finite number')).min(1),
        /** Point masses beside the bins: each value drawn exactly, with its weight (same scale as `weights`). */
        points: z.array(finite()).min(1).optional(),
        point_weights: z
          .array(z.number().nonnegative().refine(Number.isFinite, 'expected a finite number'))
          .min(1)
          .optional(),
      })
      .optional(),
    /** Exactly these values, each with its weight. */
    discrete: z
      .strictObject({
        values: z.array(finite()).min(1),
        weights: z.array(z.number().nonnegative().refine(Number.isFinite, 'expected a finite number')).min(1),
      })
      .optional(),
  })
  .meta({ minProperties: 1, maxProperties: 1 })

const nonNegative = () => z.number().nonnegative().refine(Number.isFinite, 'expected a finite number')
/**
 * Distributions for date and datetime columns: `uniform` over [min, max] (the default), a
 * `histogram` whose edges are dates (date-times), with optional point masses, or `discrete` dates.
 */
const temporalDistribution = (instant: z.ZodType<string>) =>
  z
    .strictObject({
      uniform: z.strictObject({}).optional(),
      histogram: z
        .strictObject({
          bins: z.array(instant).min(2),
          weights: z.array(nonNegative()).min(1),
          points: z.array(instant).min(1).optional(),
          point_weights: z.array(nonNegative()).min(1).optional(),
        })
        .optional(),
      discrete: z
        .strictObject({ values: z.array(instant).min(1), weights: z.array(nonNegative()).min(1) })
        .optional(),
    })
    .meta({ minProperties: 1, maxProperties: 1 })

/** Missing values (implemented by the golden-dataset features; parsed here so errors are precise). */
const comparison = z.strictObject({
  gt: finite().optional(),
  gte: finite().optional(),
  lt: finite().optional(),
  lte: finite().optional(),
})
const scalar = z.union([z.string(), z.number(), z.boolean()])
export const Missing = z.union([
  z.number().min(0).max(1),
  z.strictObject({
    rate: z.union([z.number().min(0).max(1), ExprRef]).optional(),
    count: int().nonnegative().optional(),
    when: When(z.union([scalar, z.array(scalar), comparison])).optional(),
    as: z.union([z.string(), z.number()]).optional(),
  }),
])

/**
 * An edge-case kind. YAML reads a plain `-0` as a number, so numbers are taken as the kind they
 * spell (`-0` is the float kind `-0`; any other number is then an unknown kind, named with its index).
 */
const edgeKind = z.union([z.string(), z.number().transform((n) => (Object.is(n, -0) ? '-0' : String(n)))])

export const EdgeCases = z.union([
  z.number().min(0).max(1),
  z.strictObject({
    rate: z.number().min(0).max(1).optional(),
    include: z.array(edgeKind).min(1).optional(),
    mode: z.enum(['all', 'rate']).optional(),
  }),
])

/**
 * Noise for `goldgen privatize` (ignored by generation): the column's values are released with
 * calibrated noise over its declared bounds (int/float `min`/`max`) or values (category).
 */
export const DpNoise = z.strictObject({
  epsilon: positive(),
  /** laplace (pure ε-DP, the default) or gaussian ((ε, δ)-DP through zCDP). */
  mechanism: z.enum(['laplace', 'gaussian']).optional(),
  delta: z.number().gt(0).lt(1).optional(),
})

/** Keys every column accepts. */
const common = {
  description: z.string().optional(),
  missing: Missing.optional(),
  edge_cases: EdgeCases.optional(),
}

const numericBound = () => finite().optional()

export const IdColumn = z.strictObject({
  type: z.literal('id'),
  start: int().optional(),
  step: int()
    .refine((n) => n !== 0, 'expected a non-zero step')
    .optional(),
  unique: z.literal(true).optional(),
  ...common,
})
const intValues = {
  min: int().optional(),
  max: int().optional(),
  distribution: Distribution.optional(),
  expr: z.string().min(1).optional(),
  noise: Noise.optional(),
}
export const IntColumn = z.strictObject({
  type: z.literal('int'),
  ...intValues,
  cases: casesOf(intValues),
  sequence: Sequence.optional(),
  unique: z.boolean().optional(),
  dp: DpNoise.optional(),
  ...common,
})
const floatValues = {
  min: numericBound(),
  max: numericBound(),
  distribution: Distribution.optional(),
  precision: int().min(0).max(15).optional(),
  expr: z.string().min(1).optional(),
  noise: Noise.optional(),
}
export const FloatColumn = z.strictObject({
  type: z.literal('float'),
  ...floatValues,
  cases: casesOf(floatValues),
  sequence: Sequence.optional(),
  unique: z.boolean().optional(),
  dp: DpNoise.optional(),
  ...common,
})
const categoryValue = z.union([z.string(), z.number(), z.boolean()])
const categoryValues = {
  values: z
    .union([
      z.array(categoryValue).min(1),
      z.record(z.string(), z.number().nonnegative().refine(Number.isFinite, 'expected a finite weight')),
    ])
    .optional(),
  expr: z.string().min(1).optional(),
}
export const CategoryColumn = z.strictObject({
  type: z.literal('category'),
  ...categoryValues,
  cases: casesOf(categoryValues),
  unique: z.boolean().optional(),
  dp: DpNoise.optional(),
  ...common,
})
const boolValues = {
  p: z.union([z.number().min(0).max(1), ExprRef]).optional(),
  expr: z.string().min(1).optional(),
}
export const BoolColumn = z.strictObject({
  type: z.literal('bool'),
  ...boolValues,
  cases: casesOf(boolValues),
  unique: z.boolean().optional(),
  ...common,
})
const dateValues = {
  min: isoDate.optional(),
  max: isoDate.optional(),
  distribution: temporalDistribution(isoDate).optional(),
  expr: z.string().min(1).optional(),
}
export const DateColumn = z.strictObject({
  type: z.literal('date'),
  ...dateValues,
  cases: casesOf(dateValues),
  sequence: Sequence.optional(),
  unique: z.boolean().optional(),
  ...common,
})
const dateTimeValues = {
  min: isoDateTime.optional(),
  max: isoDateTime.optional(),
  distribution: temporalDistribution(isoDateTime).optional(),
  expr: z.string().min(1).optional(),
}
export const DateTimeColumn = z.strictObject({
  type: z.literal('datetime'),
  ...dateTimeValues,
  cases: casesOf(dateTimeValues),
  sequence: Sequence.optional(),
  unique: z.boolean().optional(),
  ...common,
})
export const UuidColumn = z.strictObject({
  type: z.literal('uuid'),
  unique: z.boolean().optional(),
  ...common,
})
const stringValues = {
  pattern: z.string().min(1).optional(),
  min_length: int().min(0).max(1_000_000).optional(),
  max_length: int().min(0).max(1_000_000).optional(),
  alphabet: z.string().min(1).optional(),
  expr: z.string().min(1).optional(),
}
export const StringColumn = z.strictObject({
  type: z.literal('string'),
  ...stringValues,
  cases: casesOf(stringValues),
  unique: z.boolean().optional(),
  ...common,
})
export const FakerColumn = z.strictObject({
  type: z.literal('faker'),
  method: z
    .string()
    .regex(/^[a-zA-Z]+(\.[a-zA-Z]+)+$/, 'expected a faker method path such as internet.email'),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})*$/, 'expected a faker locale such as de or en_US')
    .optional(),
  args: z.array(z.unknown()).optional(),
  unique: z.boolean().optional(),
  version: z
    .union([z.literal(1), z.literal(2)])
    .optional()
    .meta({
      description:
        "The faker generator version: 1 (default) calls faker for every value; 2 samples person.firstName, lastName, fullName and internet.username, email (without args) from faker's locale definitions with the same distribution, much faster (other methods as 1).",
    }),
  ...common,
})

export const columnTypes = [
  'id',
  'int',
  'float',
  'category',
  'bool',
  'date',
  'datetime',
  'uuid',
  'string',
  'faker',
  'ref',
  'lookup',
] as const

export const Column = z.discriminatedUnion('type', [
  IdColumn,
  IntColumn,
  FloatColumn,
  CategoryColumn,
  BoolColumn,
  DateColumn,
  DateTimeColumn,
  UuidColumn,
  StringColumn,
  FakerColumn,
  RefColumn.extend(common),
  LookupColumn.extend(common),
])

export const Coverage = z.strictObject({
  min_per_category: int().min(1).optional(),
  pairwise: z.array(z.string()).min(2).optional(),
  bins: z.record(z.string(), z.union([int().min(2), z.array(finite()).min(2)])).optional(),
})

const columnName = z
  .string()
  .min(1)
  .refine((s) => !s.startsWith('_goldgen'), 'column names starting with _goldgen are reserved')
const columnsMap = z
  .record(columnName, Column)
  .refine((c) => Object.keys(c).length > 0, 'expected at least one column')

/** One table of a `tables` schema: a root table (`rows`) or a child table (`parent`). */
export const Table = z.strictObject({
  description: z.string().optional(),
  rows: int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  parent: z
    .strictObject({
      table: z.string().min(1),
      count: Count,
    })
    .optional(),
  columns: columnsMap,
  coverage: Coverage.optional(),
})

const isSchemaNode = (v: unknown) =>
  typeof v === 'boolean' || (typeof v === 'object' && v !== null && !Array.isArray(v))

/**
 * Rows that are records of a JSON Schema: each row is a generated instance of `json_schema`
 * (checked against it before it is written), each of the record's properties a column.
 * `goldgen import` writes this; it replaces `columns`.
 */
export const Records = z.strictObject({
  json_schema: z
    .unknown()
    .refine(isSchemaNode, 'expected a JSON Schema (an object)')
    .meta({ type: 'object', description: 'The JSON Schema document, inline (its $schema picks the draft).' }),
  pointer: z
    .string()
    .regex(/^#(\/.*)?$/, 'expected a JSON pointer fragment such as #/$defs/Order')
    .optional()
    .meta({ description: 'The subschema that describes one record (default: the whole document).' }),
  refs: z
    .record(z.string().min(1), z.unknown().refine(isSchemaNode, 'expected a JSON Schema (an object)'))
    .optional()
    .meta({
      description:
        'Other JSON Schema documents json_schema refers to, by the URI its $refs resolve to (written by goldgen import --refs/--ref).',
    }),
})

const weight = () => z.number().nonnegative().refine(Number.isFinite, 'expected a finite weight')

/**
 * A fitted model (written by `goldgen fit`): columns sampled down a tree, the root from its
 * marginal, every other column from its parent's conditional table. Each column has cells —
 * its values, or the bins between its edges — plus a last cell for "missing".
 */
export const ModelColumn = z.strictObject({
  values: z
    .array(z.union([z.string(), z.number(), z.boolean()]))
    .min(1)
    .optional(),
  bins: z.array(finite()).min(2).optional(),
  integer: z.boolean().optional(),
  parent: z.string().optional(),
  /** Root: one weight per cell. Others: one row of weights per parent cell. */
  weights: z.union([z.array(weight()), z.array(z.array(weight()))]),
})
export const Model = z.strictObject({
  kind: z.literal('tree'),
  columns: z.record(z.string().min(1), ModelColumn),
})

/** How a fitted schema was made private: recorded in manifests and the registry's privacy ledger. */
export const Privacy = z
  .object({
    mechanism: z.string(),
    epsilon: z.number(),
    delta: z.number(),
    rho: z.number().nullable(),
    source: z.object({ sha256: z.string(), name: z.string() }).loose(),
    guarantee: z.boolean(),
  })
  .loose()

export const DatasetSchema = z
  .strictObject({
    goldgen: z.literal(1),
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a name of lowercase letters, digits, ".", "_" and "-"')
      .optional(),
    description: z.string().optional(),
    rows: int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    seed: int().min(0).max(0xffffffff).optional(),
    columns: columnsMap.optional(),
    tables: z
      .record(
        z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'expected a table name of letters, digits, "_" and "-"'),
        Table,
      )
      .refine((t) => Object.keys(t).length > 0, 'expected at least one table')
      .optional(),
    records: Records.optional(),
    model: Model.optional(),
    privacy: Privacy.optional(),
    coverage: Coverage.optional(),
    /** Rows that each break the schema in one named way, written to a separate file. */
    negative: int().min(0).max(1_000_000).optional(),
  })
  .superRefine((def, ctx) => {
    const sources = (['columns', 'tables', 'records', 'model'] as const).filter((k) => def[k] !== undefined)
    if (sources.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['columns'],
        message: 'expected `columns` (or `tables`, or `records` with a JSON Schema)',
      })
    }
    if (sources.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [sources[1]!],
        message: `use one of \`columns\`, \`tables\`, \`records\` and \`model\`, not ${sources.join(' and ')}`,
      })
    }
    if (def.tables !== undefined) {
      for (const key of ['coverage', 'negative'] as const) {
        if (def[key] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message:
              key === 'coverage'
                ? '`coverage` goes inside each table of a `tables` schema'
                : '`negative` applies to `columns` schemas, not to `tables`',
          })
        }
      }
      if (def.rows !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rows'],
          message: 'give `rows` per root table of a `tables` schema',
        })
      }
    }
    if (def.records !== undefined || def.model !== undefined) {
      for (const key of ['coverage', 'negative'] as const) {
        if (def[key] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `\`${key}\` applies to \`columns\` schemas, not to \`${def.records !== undefined ? 'records' : 'model'}\``,
          })
        }
      }
    }
  })

export type DistributionDef = z.infer<typeof Distribution>
export type TemporalDistributionDef = NonNullable<z.infer<typeof DateColumn>['distribution']>
export type ColumnDef = z.infer<typeof Column>
export type ColumnType = ColumnDef['type']
export type DatasetDef = z.infer<typeof DatasetSchema>
export type ColumnOf<T extends ColumnType> = Extract<ColumnDef, { type: T }>

/** The language's JSON Schema (draft 2020-12), for editors and the published `schemas/goldgen.schema.json`. */
export function languageJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(DatasetSchema, { target: 'draft-2020-12', io: 'input' }),
    $id: 'https://goldgen.dev/schemas/goldgen-1.schema.json',
    title: 'goldgen dataset schema, language version 1',
  }
}
