/**
 * Test helpers (`goldgen/vitest`): compare a model's predictions with a fixture's expected
 * outputs under its stored tolerances, and fail with a readable diff of the failing rows.
 *
 * @example
 * ```ts
 * import { expect, test } from 'vitest'
 * import { createClient } from 'goldgen/client'
 * import { toMatchGolden } from 'goldgen/vitest'
 * expect.extend({ toMatchGolden })
 *
 * test('churn model matches its goldens', async () => {
 *   const [fixture] = await createClient({ baseUrl: process.env.GOLDGEN_URL! }).fixtures('churn-model@1.2.0')
 *   const predictions = (await fixture.data()).map(predict)
 *   expect(predictions).toMatchGolden(fixture)
 * })
 * ```
 */

import { type Comparison, compareRows, type Tolerance } from './compare/rows.ts'
import type { DataRow } from './formats/read.ts'

export interface Golden {
  tolerances: Record<string, Tolerance>
}

/** Compares predictions with expected rows (already fetched) under tolerances. */
export function compareToGolden(
  actual: DataRow[],
  expected: DataRow[],
  tolerances: Record<string, Tolerance>,
): Comparison {
  return compareRows(expected, actual, tolerances)
}

/** A readable report of a comparison's failures. */
export function formatComparison(c: Comparison): string {
  const lines = [`${c.rowsFailing} of ${c.rowsCompared} rows differ beyond tolerance`, ...c.problems]
  for (const f of c.firstFailures) {
    for (const col of f.columns) {
      const d = col.deviation === null ? '' : ` (off by ${col.deviation})`
      lines.push(
        `  row ${f.row}, ${col.column}: expected ${JSON.stringify(col.expected)}, got ${JSON.stringify(col.actual)}${d}`,
      )
    }
  }
  if (c.rowsFailing > c.firstFailures.length)
    lines.push(`  … and ${c.rowsFailing - c.firstFailures.length} more rows`)
  return lines.join('\n')
}

/**
 * A vitest/jest matcher: `expect(predictions).toMatchGolden({ expected, tolerances })`, where
 * `expected` is the expected rows (e.g. `await fixture.expected()`).
 */
export function toMatchGolden(
  this: { isNot?: boolean },
  received: DataRow[],
  golden: Golden & { expectedRows: DataRow[] },
) {
  const c = compareRows(golden.expectedRows, received, golden.tolerances)
  const pass = c.rowsFailing === 0 && c.problems.length === 0
  return {
    pass,
    message: () =>
      pass
        ? `expected the predictions not to match the golden outputs (${c.rowsCompared} rows matched)`
        : formatComparison(c),
  }
}
