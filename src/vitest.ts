/**
 * Test helpers (`goldgen/vitest`): compare a model's predictions with a fixture's expected
 * outputs under its stored tolerances, and fail with a readable diff of the failing rows.
 * With `GOLDGEN_UPDATE=1`, a failing comparison records the predictions as the fixture's new
 * expected outputs instead (a new registry record; needs a write token in `GOLDGEN_TOKEN`).
 * `expectContract` runs the contract stages against a served model.
 * Importing this module declares `toMatchGolden` on vitest's `expect` for the type checker.
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
 *   await expect(predictions).toMatchGolden({ ...fixture, expectedRows: await fixture.expected() })
 * })
 * ```
 */

import type {} from 'vitest'
import type { RecordedExpectation } from './client/index.ts'
import { type Comparison, compareRows, type Tolerance } from './compare/rows.ts'
import type { ContractOptions, ContractReport } from './contract/types.ts'
import type { DataRow } from './formats/read.ts'

export interface Golden {
  tolerances: Record<string, Tolerance>
}

/** What `toMatchGolden` takes: the expected rows and tolerances, and (to update) a fixture's `record`. */
export interface GoldenExpectation extends Golden {
  expectedRows: DataRow[]
  /** Used with GOLDGEN_UPDATE=1: records the predictions (a client fixture's `record`). */
  record?: ((rows: DataRow[]) => Promise<RecordedExpectation>) | undefined
}

declare module 'vitest' {
  interface Assertion<T> {
    /** Compares rows with a fixture's expected outputs; records them instead under GOLDGEN_UPDATE=1. */
    toMatchGolden(golden: GoldenExpectation): void | Promise<void>
  }
  interface AsymmetricMatchersContaining {
    toMatchGolden(golden: GoldenExpectation): unknown
  }
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

/** True when `GOLDGEN_UPDATE` asks failing comparisons to record instead of failing. */
const updating = () => !['', '0', 'false', undefined].includes(process.env.GOLDGEN_UPDATE)

/**
 * A vitest/jest matcher: `expect(predictions).toMatchGolden({ expectedRows, tolerances })`, where
 * `expectedRows` is the expected rows (e.g. `await fixture.expected()`). Pass the fixture too
 * (`{ ...fixture, expectedRows }`) so that `GOLDGEN_UPDATE=1` can record new expected outputs.
 */
export function toMatchGolden(this: { isNot?: boolean }, received: DataRow[], golden: GoldenExpectation) {
  const c = compareRows(golden.expectedRows, received, golden.tolerances)
  const pass = c.rowsFailing === 0 && c.problems.length === 0
  const result = {
    pass,
    message: () =>
      pass
        ? `expected the predictions not to match the golden outputs (${c.rowsCompared} rows matched)`
        : formatComparison(c),
  }
  if (pass || this.isNot === true || !updating()) return result
  const record = golden.record
  if (record === undefined)
    return {
      pass: false,
      message: () =>
        `GOLDGEN_UPDATE is set but toMatchGolden was given no fixture to record into: pass { ...fixture, expectedRows: await fixture.expected() }\n${formatComparison(c)}`,
    }
  return record(received).then(
    (r) => {
      console.log(
        `goldgen: recorded new expected outputs for ${r.model} on ${r.dataset}: record #${r.id}, ${r.rows} rows, sha256 ${r.sha256.slice(0, 12)}…${r.replaced === null ? '' : ` (replaces #${r.replaced}, kept in goldgen expectations ${r.model})`}`,
      )
      return { pass: true, message: () => `recorded new expected outputs (record #${r.id})` }
    },
    (e: unknown) => ({
      pass: false,
      message: () => `GOLDGEN_UPDATE: ${(e as Error).message}\n${formatComparison(c)}`,
    }),
  )
}

/**
 * Runs goldgen's contract stages against a served model (see `runContract`) and throws, with the
 * readable report, when a stage fails; returns the report when all pass.
 *
 * @example
 * ```ts
 * import { test } from 'vitest'
 * import { expectContract } from 'goldgen/vitest'
 *
 * test('the served churn model honours its contract', async () => {
 *   await expectContract({ model: 'churn-model@1.0.0', endpoint: process.env.MODEL_URL!, sla: 'p99<=50ms' })
 * }, 60_000)
 * ```
 */
export async function expectContract(options: ContractOptions): Promise<ContractReport> {
  const [{ runContract }, { renderReport }] = await Promise.all([
    import('./contract/run.ts'),
    import('./contract/report/text.ts'),
  ])
  const report = await runContract(options)
  if (!report.passed) throw new Error(`the served model breaks its contract\n${renderReport(report)}`)
  return report
}
