/**
 * The CLI side of metric expectations (src/metrics/spec.ts reads the options): printing what
 * `goldgen expect` computed and what `goldgen check` judged (one line per metric and slice;
 * failures name the metric, the slice, the value and the bound).
 */
import type { MetricReport } from '../../registry/service.ts'
import type { MetricCheck } from '../metrics/evaluate.ts'
import type { CliIo } from './io.ts'

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
