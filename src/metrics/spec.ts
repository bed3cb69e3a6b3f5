/**
 * A metric expectation from what a user wrote: the texts of `--metric` and `--slice`, and
 * `--baseline` with `--max-drop` (the CLI's options, or the HTTP body's `metrics`, `slices`,
 * `baseline` and `maxDrop`). Errors name the option (or field) and what is wrong.
 */
import { GoldgenError } from '../core/errors.ts'
import type { MetricExpectation } from './evaluate.ts'
import { parseMetric, parseSlice } from './expression.ts'

export interface MetricInput {
  metric: readonly string[]
  slice: readonly string[]
  baseline?: string | undefined
  maxDrop?: string | number | undefined
}

/** How the input's parts are called where it comes from (CLI options by default). */
export interface MetricNames {
  metric: string
  slice: string
  baseline: string
  maxDrop: string
}

export const CLI_NAMES: MetricNames = {
  metric: '--metric',
  slice: '--slice',
  baseline: '--baseline',
  maxDrop: '--max-drop',
}

/** The metric expectation the input describes, or undefined when it names no metric (and nothing else). */
export function metricExpectation(
  input: MetricInput,
  names: MetricNames = CLI_NAMES,
): MetricExpectation | undefined {
  if (input.metric.length === 0) {
    const stray =
      input.slice.length > 0
        ? names.slice
        : input.baseline !== undefined
          ? names.baseline
          : input.maxDrop !== undefined
            ? names.maxDrop
            : undefined
    if (stray !== undefined)
      throw new GoldgenError(
        'USAGE',
        `${stray} needs at least one ${names.metric} "NAME(truth, prediction) OP bound"`,
      )
    return undefined
  }
  if ((input.baseline === undefined) !== (input.maxDrop === undefined))
    throw new GoldgenError(
      'USAGE',
      `${names.baseline} MODEL@VERSION and ${names.maxDrop} X go together: give both or neither`,
    )
  const metrics = input.metric.map((m) => parseMetric(m, names.metric))
  const slices = input.slice.map((s) => parseSlice(s, names.slice))
  if (input.baseline === undefined) return { metrics, slices }
  const maxDrop = Number(input.maxDrop)
  if (String(input.maxDrop).trim() === '' || !Number.isFinite(maxDrop) || maxDrop < 0)
    throw new GoldgenError(
      'USAGE',
      `${names.maxDrop} ${JSON.stringify(String(input.maxDrop))}: expected a number ≥ 0, e.g. 0.01`,
    )
  if (!/^[^@]+@[^@]+$/.test(input.baseline))
    throw new GoldgenError(
      'USAGE',
      `${names.baseline} ${JSON.stringify(input.baseline)}: expected MODEL@VERSION, e.g. churn@1.0.0`,
    )
  return { metrics, slices, baseline: { model: input.baseline, maxDrop } }
}
