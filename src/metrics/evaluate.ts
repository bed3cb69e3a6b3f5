/**
 * Judging metric expectations on one dataset version: every metric computed on all rows
 * ("overall") and on every slice, tested against its bound and, with a baseline, against the
 * baseline's value on the same rows (a drop of more than `maxDrop` fails; for metrics where
 * lower is better a drop is an increase). Pure: the caller reads the tables. The truth and slice
 * columns come from the dataset, else from the outputs; the prediction column from the outputs.
 */
import type { CellValue } from '../core/values.ts'
import {
  type Comparator,
  formatMetric,
  LOWER_IS_BETTER,
  type MetricSpec,
  type SliceSpec,
} from './expression.ts'
import { metricOver, type Prepared, prepare, ValueProblem } from './metrics.ts'
import { type Slice, SliceProblem, slicesOf } from './slices.ts'

type Row = Readonly<Record<string, CellValue>>

/** What `goldgen expect --metric … --slice … --baseline … --max-drop …` stores for a dataset version. */
export interface MetricExpectation {
  metrics: MetricSpec[]
  slices: SliceSpec[]
  /** Another model version (`MODEL@VERSION`) whose expected outputs the values must not fall below. */
  baseline?: { model: string; maxDrop: number } | undefined
}

/** `empty`: no usable row; `undefined`: the metric is not defined on the rows (one class, constant truth). */
export type MetricStatus = 'pass' | 'fail' | 'empty' | 'undefined'

export interface MetricCheck {
  /** The canonical text, `roc_auc(label, churn_prob) >= 0.8`. */
  metric: string
  /** `overall`, or a slice's name (`segment=business`, `age=[18,30)`). */
  slice: string
  value: number | null
  op: Comparator
  bound: number
  /** Rows used, and rows of the slice left out because the truth or the prediction is missing. */
  rows: number
  excluded: number
  status: MetricStatus
  /** False when this value fails the check (an empty or undefined slice does not; overall does). */
  passed: boolean
  baseline?: { model: string; value: number | null; drop: number | null; maxDrop: number; passed: boolean }
  /** Why it failed, naming the metric, the slice, the value and the bound. */
  message?: string
}

export interface MetricEvaluation {
  passed: boolean
  /** Columns that are missing or hold values a metric cannot read, row counts that differ. */
  problems: string[]
  checks: MetricCheck[]
}

/** Rounding slack when comparing a drop with `maxDrop`. */
const DROP_SLACK = 1e-12

const show = (v: number) => String(Number(v.toPrecision(6)))

const holds = (v: number, op: Comparator, bound: number) =>
  op === '>=' ? v >= bound : op === '<=' ? v <= bound : op === '>' ? v > bound : v < bound

function columnNames(rows: readonly (Row | undefined)[]): Set<string> {
  const names = new Set<string>()
  for (const r of rows.slice(0, 1000)) if (r !== undefined) for (const k of Object.keys(r)) names.add(k)
  return names
}

const pluck = (rows: readonly (Row | undefined)[], column: string) => rows.map((r) => r?.[column])

interface Tables {
  dataset: readonly Row[]
  /** One entry per dataset row; undefined where a row has no output (e.g. it could not be sent). */
  outputs: readonly (Row | undefined)[]
}

/** The prepared truth/prediction of a metric over a dataset and outputs, or the problem. */
function prepared(m: MetricSpec, t: Tables, whose: string): Prepared | string {
  const inData = columnNames(t.dataset)
  const inOutputs = columnNames(t.outputs)
  const text = formatMetric(m)
  const truthFrom = inData.has(m.truth) ? t.dataset : inOutputs.has(m.truth) ? t.outputs : undefined
  if (truthFrom === undefined)
    return `${text}: the truth column ${JSON.stringify(m.truth)} is in neither the dataset (${[...inData].join(', ')}) nor ${whose} (${[...inOutputs].join(', ')})`
  if (!inOutputs.has(m.prediction))
    return `${text}: the prediction column ${JSON.stringify(m.prediction)} is not in ${whose} (${[...inOutputs].join(', ')})`
  try {
    return prepare(m.name, pluck(truthFrom, m.truth), pluck(t.outputs, m.prediction), m)
  } catch (e) {
    if (e instanceof ValueProblem) return `${text}: ${e.message} (${whose})`
    throw e
  }
}

/** Every slice of every --slice option, or the problem. */
function allSlices(specs: readonly SliceSpec[], t: Tables): { slices: Slice[]; problems: string[] } {
  const inData = columnNames(t.dataset)
  const inOutputs = columnNames(t.outputs)
  const slices: Slice[] = []
  const problems: string[] = []
  for (const s of specs) {
    const from = inData.has(s.column) ? t.dataset : inOutputs.has(s.column) ? t.outputs : undefined
    if (from === undefined) {
      problems.push(`the slice column ${JSON.stringify(s.column)} is in neither the dataset nor the outputs`)
      continue
    }
    try {
      slices.push(...slicesOf(s, pluck(from, s.column)))
    } catch (e) {
      if (e instanceof SliceProblem) problems.push(e.message)
      else throw e
    }
  }
  return { slices, problems }
}

/** The check of one metric on one group of rows. */
function judge(
  m: MetricSpec,
  slice: Slice | undefined,
  p: Prepared,
  base: Prepared | undefined,
  baseline: MetricExpectation['baseline'],
): MetricCheck {
  const name = slice?.name ?? 'overall'
  const { value, rows, excluded } = metricOver(m.name, p, slice?.rows)
  const text = formatMetric(m)
  const status: MetricStatus =
    value === null ? (rows === 0 ? 'empty' : 'undefined') : holds(value, m.op, m.bound) ? 'pass' : 'fail'
  const check: MetricCheck = {
    metric: text,
    slice: name,
    value,
    op: m.op,
    bound: m.bound,
    rows,
    excluded,
    status,
    passed: true,
  }
  if (status === 'fail') {
    check.passed = false
    check.message = `${text} fails on ${name}: ${show(value!)} is not ${m.op} ${m.bound}`
  } else if (value === null && slice === undefined) {
    check.passed = false
    check.message =
      status === 'empty'
        ? `${text} fails on overall: no row has both ${m.truth} and ${m.prediction} (${excluded} excluded as missing)`
        : `${text} fails on overall: ${m.name} is not defined on these rows (one class only, or a constant truth)`
  }
  if (baseline !== undefined && base !== undefined) {
    const b = metricOver(m.name, base, slice?.rows).value
    const lower = LOWER_IS_BETTER.has(m.name)
    const drop = b === null || value === null ? null : lower ? value - b : b - value
    const ok = drop === null || drop <= baseline.maxDrop + DROP_SLACK
    check.baseline = { model: baseline.model, value: b, drop, maxDrop: baseline.maxDrop, passed: ok }
    if (!ok) {
      check.passed = false
      const why = `${show(value!)} is ${show(drop!)} ${lower ? 'above' : 'below'} ${baseline.model}'s ${show(b!)} (max drop ${baseline.maxDrop})`
      check.message = `${check.message === undefined ? '' : `${check.message}; `}${m.name}(${m.truth}, ${m.prediction}) on ${name}: ${why}`
    }
  }
  return check
}

/**
 * Evaluates `spec` on a dataset and the outputs checked (one per dataset row), and against the
 * baseline's outputs when the spec has a baseline and they are given.
 */
export function evaluateMetrics(
  spec: MetricExpectation,
  dataset: readonly Row[],
  outputs: readonly (Row | undefined)[],
  baselineOutputs?: readonly (Row | undefined)[],
): MetricEvaluation {
  const problems: string[] = []
  const checks: MetricCheck[] = []
  if (outputs.length !== dataset.length)
    return {
      passed: false,
      problems: [
        `the outputs have ${outputs.length} rows but the dataset has ${dataset.length}: expected one output row per input row`,
      ],
      checks,
    }
  if (baselineOutputs !== undefined && baselineOutputs.length !== dataset.length)
    problems.push(
      `the baseline's expected outputs have ${baselineOutputs.length} rows but the dataset has ${dataset.length}`,
    )
  const tables = { dataset, outputs }
  const { slices, problems: sliceProblems } = allSlices(spec.slices, tables)
  problems.push(...sliceProblems)
  for (const m of spec.metrics) {
    const p = prepared(m, tables, 'the outputs')
    if (typeof p === 'string') {
      problems.push(p)
      continue
    }
    let base: Prepared | undefined
    if (
      spec.baseline !== undefined &&
      baselineOutputs !== undefined &&
      baselineOutputs.length === dataset.length
    ) {
      const b = prepared(
        m,
        { dataset, outputs: baselineOutputs },
        `the expected outputs of ${spec.baseline.model}`,
      )
      if (typeof b === 'string') problems.push(b)
      else base = b
    }
    checks.push(judge(m, undefined, p, base, spec.baseline))
    for (const s of slices) checks.push(judge(m, s, p, base, spec.baseline))
  }
  return { passed: problems.length === 0 && checks.every((c) => c.passed), problems, checks }
}
