/**
 * `distribution` on date and datetime columns: the instants of a temporal histogram or discrete
 * distribution become integers (days since 1970-01-01 for dates, milliseconds for datetimes)
 * and are drawn by the int samplers, so a date column keeps the distribution the data showed
 * (model years stored as 1 January, a seasonal peak) rather than a uniform range.
 */
import type { DistributionDef, TemporalDistributionDef } from '../schemas/language.ts'
import { checkNumeric, createFill } from './distributions.ts'
import { sampledBlock, uniqueBlocks, uniqueTooSmall } from './numeric.ts'
import type { CreateContext, SpecIssue } from './types.ts'

/** The distribution with its instants as integers (`toUnit` maps an ISO text to days or ms). */
export function numericDistribution(
  d: TemporalDistributionDef,
  toUnit: (s: string) => number,
): DistributionDef {
  if (d.histogram !== undefined) {
    const { bins, weights, points, point_weights } = d.histogram
    return {
      histogram: {
        bins: bins.map(toUnit),
        weights,
        ...(points !== undefined ? { points: points.map(toUnit) } : {}),
        ...(point_weights !== undefined ? { point_weights } : {}),
      },
    }
  }
  if (d.discrete !== undefined)
    return { discrete: { values: d.discrete.values.map(toUnit), weights: d.discrete.weights } }
  return { uniform: {} }
}

/**
 * Checks of a temporal distribution over [min, max] (in units). A `unique` column takes no
 * histogram; with `discrete` it is a shuffle of the values, so it needs as many as rows.
 */
export function checkTemporal(
  d: TemporalDistributionDef | undefined,
  min: number,
  max: number,
  unique: boolean | undefined,
  toUnit: (s: string) => number,
  rows: number,
): SpecIssue[] {
  if (d === undefined) return []
  if (unique === true && d.histogram !== undefined) {
    return [
      {
        path: ['unique'],
        message:
          'unique date and datetime columns are drawn without replacement from the range or from discrete values; remove the histogram',
      },
    ]
  }
  const issues = checkNumeric({ min, max, distribution: numericDistribution(d, toUnit) }, true)
  if (issues.length > 0 || unique !== true || d.discrete === undefined) return issues
  const available = distinctWithin(d.discrete.values.map(toUnit), min, max).length
  if (available < rows)
    issues.push({
      path: ['unique'],
      message: uniqueTooSmall(rows, available, 'the discrete values in [min, max]'),
    })
  return issues
}

const distinctWithin = (values: number[], min: number, max: number) =>
  values.filter((v) => v >= min && v <= max)

/** Block filler for a column with a (non-uniform) distribution, or undefined to use the range filler. */
export function temporalBlocks<A extends Int32Array | Float64Array>(
  ctx: CreateContext,
  d: TemporalDistributionDef | undefined,
  min: number,
  max: number,
  toUnit: (s: string) => number,
  make: (n: number) => A,
  unique: boolean | undefined,
): ((index: number, length: number) => A) | undefined {
  if (d === undefined || d.uniform !== undefined) return undefined
  if (unique === true && d.discrete !== undefined) {
    // Without replacement: row r takes the value at a seeded permutation of r (weights do not apply).
    const values = distinctWithin(d.discrete.values.map(toUnit), min, max)
    return uniqueBlocks(ctx, values.length, (k) => values[k]!, make)
  }
  const fill = createFill({ min, max, distribution: numericDistribution(d, toUnit) }, true)
  return (index, length) => sampledBlock(ctx, fill, make, index, length)
}
