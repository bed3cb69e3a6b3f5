/**
 * The language keys for related data (zod): `cases` with `when`, expressions (`expr`, `p: { expr }`,
 * `missing.rate: { expr }`), `noise`, `sequence`, and the `ref` / `lookup` column types and the
 * parent row counts of `tables`. `language.ts` puts them into the column types.
 */
import { z } from 'zod'

const finite = () => z.number().refine(Number.isFinite, 'expected a finite number')
const positive = () => z.number().positive().refine(Number.isFinite, 'expected a finite number')
const int = () => z.number().int()

/** A probability or rate computed per row from an expression. */
export const ExprRef = z.strictObject({ expr: z.string().min(1) })

/** Conditions on other columns (as in `missing.when`): all must hold. */
export const When = <T extends z.ZodType>(value: T) => z.record(z.string(), value)

const comparison = z.strictObject({
  gt: finite().optional(),
  gte: finite().optional(),
  lt: finite().optional(),
  lte: finite().optional(),
})
const scalar = z.union([z.string(), z.number(), z.boolean()])
const condition = When(z.union([scalar, z.array(scalar), comparison]))

/** `cases`: a list of the column's own value keys, each with an optional `when`. */
export const casesOf = <S extends z.ZodRawShape>(values: S) =>
  z
    .array(z.strictObject({ when: condition.optional(), ...values }))
    .min(1)
    .optional()

/** A distribution added to an `expr` result. */
export const Noise = z
  .strictObject({
    normal: z.strictObject({ mean: finite().optional(), sd: positive() }).optional(),
    uniform: z.strictObject({ min: finite(), max: finite() }).optional(),
    lognormal: z.strictObject({ mu: finite(), sigma: positive() }).optional(),
    exponential: z.strictObject({ rate: positive() }).optional(),
  })
  .meta({ minProperties: 1, maxProperties: 1 })

const bound = z.union([finite(), z.string()])
const numericLaw = z
  .strictObject({
    uniform: z.strictObject({ min: finite(), max: finite() }).optional(),
    normal: z.strictObject({ mean: finite(), sd: positive() }).optional(),
    lognormal: z.strictObject({ mu: finite(), sigma: positive() }).optional(),
    exponential: z.strictObject({ rate: positive() }).optional(),
    poisson: z.strictObject({ lambda: positive().max(1e6) }).optional(),
  })
  .meta({ minProperties: 1, maxProperties: 1 })

/**
 * `sequence`: values that increase within each parent group. `start` is a range (`min`/`max`,
 * dates and date-times as ISO text) or a distribution; `gap` a non-negative distribution
 * (days for dates, seconds for date-times).
 */
export const Sequence = z.strictObject({
  start: z.union([z.strictObject({ min: bound, max: bound }), numericLaw]),
  gap: numericLaw,
  strict: z.boolean().optional(),
})

/** Rows per parent row: a fixed count or a distribution of counts. */
export const Count = z.union([
  int().min(0).max(1_000_000),
  z
    .strictObject({
      poisson: z.strictObject({ lambda: positive().max(1e4) }).optional(),
      uniform: z.strictObject({ min: int().min(0), max: int().min(0).max(1_000_000) }).optional(),
      histogram: z
        .strictObject({
          bins: z.array(finite()).min(2),
          weights: z
            .array(z.number().nonnegative().refine(Number.isFinite, 'expected a finite number'))
            .min(1),
        })
        .optional(),
      zipf: z.strictObject({ s: positive(), n: int().min(1).max(1_000_000) }).optional(),
    })
    .meta({ minProperties: 1, maxProperties: 1 }),
])

/** A foreign key: keys of another table (its parent's key towards the parent). */
export const RefColumn = z.strictObject({
  type: z.literal('ref'),
  table: z.string().min(1),
  column: z.string().min(1).optional(),
  distribution: z
    .strictObject({
      uniform: z.strictObject({}).optional(),
      zipf: z.strictObject({ s: positive() }).optional(),
    })
    .meta({ minProperties: 1, maxProperties: 1 })
    .optional(),
})

/** The value of `column` in the row that the ref column `ref` points to. */
export const LookupColumn = z.strictObject({
  type: z.literal('lookup'),
  ref: z.string().min(1),
  column: z.string().min(1),
})
