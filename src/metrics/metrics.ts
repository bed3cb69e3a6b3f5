/**
 * The metrics themselves, as pure functions over numbers, and the conversion of table cells into
 * those numbers. Conventions (the README's "Metric expectations" section documents them):
 * - binary truth labels are 0/1 or false/true, 1 and true being the positive class;
 * - accuracy, precision, recall and f1 read a numeric prediction as a probability of the positive
 *   class and threshold it: p >= 0.5 is positive (0/1 and booleans are labels already); accuracy
 *   on other labels (strings, several classes) counts equal values;
 * - roc_auc takes any numeric score (ties count half, as the Mann–Whitney statistic does);
 *   log_loss takes probabilities in [0, 1], clipped to [ε, 1 − ε] with ε = 2^-52;
 * - mape is a fraction (0.05 is 5 %), each |truth| floored at ε as scikit-learn does;
 * - a row whose truth or prediction is missing (null or NaN) is excluded and counted;
 * - a metric that is not defined on the rows (roc_auc with one class, r2 with constant truth)
 *   is null, as is any metric of no rows; precision, recall and f1 with a zero denominator are 0.
 */
import type { CellValue } from '../core/values.ts'
import type { MetricName } from './expression.ts'

export const EPSILON = 2 ** -52

/** Rows of one metric's truth and prediction, as numbers (class codes for label accuracy). */
export interface Prepared {
  truth: Float64Array
  pred: Float64Array
  /** 1 where the row is usable (neither value missing). */
  usable: Uint8Array
}

const isMissing = (v: CellValue | undefined): boolean =>
  v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))

const isBinary = (v: CellValue) => v === 0 || v === 1 || typeof v === 'boolean'

const CLASSIFY: ReadonlySet<MetricName> = new Set(['accuracy', 'precision', 'recall', 'f1'])
const SCORE: ReadonlySet<MetricName> = new Set(['roc_auc', 'log_loss'])

/** What is wrong with a value, naming the column and row; thrown by `prepare`. */
export class ValueProblem extends Error {}

function bad(column: string, row: number, value: CellValue, expected: string): never {
  throw new ValueProblem(
    `the column ${JSON.stringify(column)} must hold ${expected}; row ${row} has ${JSON.stringify(value)}`,
  )
}

/**
 * Converts cells to numbers for metric `name`; throws a `ValueProblem` naming the column and row
 * of a value the metric cannot read (a non-binary label, a string where a number belongs).
 */
export function prepare(
  name: MetricName,
  truth: readonly (CellValue | undefined)[],
  pred: readonly (CellValue | undefined)[],
  columns: { truth: string; prediction: string },
): Prepared {
  const n = truth.length
  const out: Prepared = { truth: new Float64Array(n), pred: new Float64Array(n), usable: new Uint8Array(n) }
  const rows: number[] = []
  for (let i = 0; i < n; i++) if (!isMissing(truth[i]) && !isMissing(pred[i])) rows.push(i)
  const asLabels =
    name === 'accuracy' &&
    !rows.every((i) => isBinary(truth[i]!) && ['number', 'boolean'].includes(typeof pred[i]))
  const codes = new Map<string, number>()
  const code = (v: CellValue) => {
    const key = `${typeof v === 'string' ? 's' : 'v'}${String(v)}`
    if (!codes.has(key)) codes.set(key, codes.size)
    return codes.get(key)!
  }
  for (const i of rows) {
    const t = truth[i]!
    const p = pred[i]!
    out.usable[i] = 1
    if (asLabels) {
      out.truth[i] = code(t)
      out.pred[i] = code(p)
    } else if (CLASSIFY.has(name) || SCORE.has(name)) {
      if (!isBinary(t)) bad(columns.truth, i, t, `binary labels (0/1 or true/false) for ${name}`)
      out.truth[i] = Number(t)
      if (typeof p === 'boolean') out.pred[i] = Number(p)
      else if (typeof p !== 'number') bad(columns.prediction, i, p, `numbers or booleans for ${name}`)
      else if (name === 'log_loss' && !(p >= 0 && p <= 1))
        bad(columns.prediction, i, p, 'probabilities in [0, 1] for log_loss')
      else out.pred[i] = CLASSIFY.has(name) ? (p >= 0.5 ? 1 : 0) : p
    } else {
      if (typeof t !== 'number') bad(columns.truth, i, t, `numbers for ${name}`)
      if (typeof p !== 'number') bad(columns.prediction, i, p, `numbers for ${name}`)
      out.truth[i] = t as number
      out.pred[i] = p as number
    }
  }
  return out
}

type Fn = (t: ArrayLike<number>, p: ArrayLike<number>) => number | null

function counts(t: ArrayLike<number>, p: ArrayLike<number>) {
  let tp = 0
  let fp = 0
  let fn = 0
  for (let i = 0; i < t.length; i++) {
    if (p[i] === 1 && t[i] === 1) tp++
    else if (p[i] === 1) fp++
    else if (t[i] === 1) fn++
  }
  return { tp, fp, fn }
}

const mean = (n: number, f: (i: number) => number): number | null => {
  if (n === 0) return null
  let s = 0
  for (let i = 0; i < n; i++) s += f(i)
  return s / n
}

export const accuracy: Fn = (t, p) => mean(t.length, (i) => (t[i] === p[i] ? 1 : 0))

export const precision: Fn = (t, p) => {
  if (t.length === 0) return null
  const { tp, fp } = counts(t, p)
  return tp + fp === 0 ? 0 : tp / (tp + fp)
}

export const recall: Fn = (t, p) => {
  if (t.length === 0) return null
  const { tp, fn } = counts(t, p)
  return tp + fn === 0 ? 0 : tp / (tp + fn)
}

export const f1: Fn = (t, p) => {
  if (t.length === 0) return null
  const { tp, fp, fn } = counts(t, p)
  return 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)
}

/** The area under the ROC curve from midranks of the scores (ties count half). */
export const rocAuc: Fn = (t, p) => {
  const order = Array.from({ length: t.length }, (_, i) => i).sort((a, b) => p[a]! - p[b]!)
  let positives = 0
  let rankSum = 0
  for (let start = 0; start < order.length; ) {
    let end = start
    while (end + 1 < order.length && p[order[end + 1]!] === p[order[start]!]) end++
    const midrank = (start + end) / 2 + 1
    for (let k = start; k <= end; k++)
      if (t[order[k]!] === 1) {
        positives++
        rankSum += midrank
      }
    start = end + 1
  }
  const negatives = t.length - positives
  if (positives === 0 || negatives === 0) return null
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}

export const logLoss: Fn = (t, p) =>
  mean(t.length, (i) => {
    const q = Math.min(Math.max(p[i]!, EPSILON), 1 - EPSILON)
    return -(t[i] === 1 ? Math.log(q) : Math.log(1 - q))
  })

export const mae: Fn = (t, p) => mean(t.length, (i) => Math.abs(t[i]! - p[i]!))

export const rmse: Fn = (t, p) => {
  const m = mean(t.length, (i) => (t[i]! - p[i]!) ** 2)
  return m === null ? null : Math.sqrt(m)
}

export const mape: Fn = (t, p) =>
  mean(t.length, (i) => Math.abs(t[i]! - p[i]!) / Math.max(Math.abs(t[i]!), EPSILON))

export const r2: Fn = (t, p) => {
  const m = mean(t.length, (i) => t[i]!)
  if (m === null) return null
  let res = 0
  let tot = 0
  for (let i = 0; i < t.length; i++) {
    res += (t[i]! - p[i]!) ** 2
    tot += (t[i]! - m) ** 2
  }
  return tot === 0 ? null : 1 - res / tot
}

export const metricFunctions: Record<MetricName, Fn> = {
  accuracy,
  precision,
  recall,
  f1,
  roc_auc: rocAuc,
  log_loss: logLoss,
  mae,
  rmse,
  mape,
  r2,
}

/** A metric over the usable rows among `rows` (all rows when omitted), with how many were excluded. */
export function metricOver(
  name: MetricName,
  prepared: Prepared,
  rows?: readonly number[],
): { value: number | null; rows: number; excluded: number } {
  const pick = rows ?? Array.from({ length: prepared.truth.length }, (_, i) => i)
  const used = pick.filter((i) => prepared.usable[i] === 1)
  const t = used.map((i) => prepared.truth[i]!)
  const p = used.map((i) => prepared.pred[i]!)
  const value = used.length === 0 ? null : metricFunctions[name](t, p)
  // NaN arises only from infinite inputs (∞ − ∞): not a value a bound can judge.
  return {
    value: value === null || Number.isNaN(value) ? null : value,
    rows: used.length,
    excluded: pick.length - used.length,
  }
}
