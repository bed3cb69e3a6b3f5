/**
 * The CLI side of metric expectations: reading `--metric`, `--slice`, `--baseline` and
 * `--max-drop` into a spec, and printing what `goldgen expect` computed and what `goldgen check`
 * judged (one line per metric and slice; failures name the metric, the slice, the value and the bound).
 */

import type { MetricReport } from '../../registry/service.ts'
import { GoldgenError } from '../core/errors.ts'
import type { MetricCheck, MetricExpectation } from '../metrics/evaluate.ts'
import { parseMetric, parseSlice } from '../metrics/expression.ts'
import type { CliIo } from './io.ts'

export interface MetricOptions {
  metric: string[]
  slice: string[]
  baseline?: string
  maxDrop?: string
}

/** The metric expectation the options describe, or undefined when none is given. */
export function metricSpec(opts: MetricOptions): MetricExpectation | undefined {
  if (opts.metric.length === 0) {
    const stray =
      opts.slice.length > 0
        ? '--slice'
        : opts.baseline !== undefined
          ? '--baseline'
          : opts.maxDrop !== undefined
            ? '--max-drop'
            : undefined
    if (stray !== undefined)
      throw new GoldgenError(
        'USAGE',
        `${stray} needs at least one --metric "NAME(truth, prediction) OP bound"`,
      )
    return undefined
  }
  if ((opts.baseline === undefined) !== (opts.maxDrop === undefined))
    throw new GoldgenError(
      'USAGE',
      '--baseline MODEL@VERSION and --max-drop X go together: give both or neither',
    )
  const metrics = opts.metric.map((m) => parseMetric(m, '--metric'))
  const slices = opts.slice.map((s) => parseSlice(s, '--slice'))
  if (opts.baseline === undefined) return { metrics, slices }
  const maxDrop = Number(opts.maxDrop)
  if (opts.maxDrop!.trim() === '' || !Number.isFinite(maxDrop) || maxDrop < 0)
    throw new GoldgenError(
      'USAGE',
      `--max-drop ${JSON.stringify(opts.maxDrop)}: expected a number ≥ 0, e.g. 0.01`,
    )
  if (!opts.baseline.includes('@'))
    throw new GoldgenError(
      'USAGE',
      `--baseline ${JSON.stringify(opts.baseline)}: expected MODEL@VERSION, e.g. churn@1.0.0`,
    )
  return { metrics, slices, baseline: { model: opts.baseline, maxDrop } }
}

const show = (v: number | null) => (v === null ? '—' : String(Number(v.toPrecision(6))))

/** One line per metric and slice, indented, with the baseline's value and the drop when there is one. */
export function printMetricChecks(io: CliIo, checks: readonly MetricCheck[], judged: boolean): void {
  for (const c of checks) {
    const mark = !judged ? '' : c.passed ? (c.status === 'pass' ? 'pass ' : `${c.status} `) : 'FAIL '
    const base =
      c.baseline === undefined
        ? ''
        : `  (${c.baseline.model}: ${show(c.baseline.value)}, drop ${show(c.baseline.drop)}, max ${c.baseline.maxDrop})`
    const excluded = c.excluded > 0 ? `, ${c.excluded} excluded as missing` : ''
    io.stdout.write(
      `  ${mark}${c.metric} on ${c.slice}: ${show(c.value)} (${c.rows} rows${excluded})${base}\n`,
    )
  }
}

/** `goldgen check`'s lines for one dataset version's metric expectations. */
export function printMetricReport(io: CliIo, model: string, m: MetricReport): void {
  const failing = m.checks.filter((c) => !c.passed)
  const verdict = m.passed ? 'PASS' : 'FAIL'
  io.stdout.write(
    `${verdict} ${model} metrics on ${m.dataset}: ${m.checks.length} values, ${failing.length} failing${m.baseline === null ? '' : ` (baseline ${m.baseline})`}\n`,
  )
  for (const p of m.problems) io.stdout.write(`  ${p}\n`)
  for (const c of failing) io.stdout.write(`  ${c.message}\n`)
  printMetricChecks(io, m.checks, true)
}
