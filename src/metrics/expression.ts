/**
 * The text of metric expectations and slices: `NAME(truth_column, prediction_column) OP bound`
 * (`--metric "roc_auc(label, churn_prob) >= 0.80"`) and `COL` or `COL:bins=[a,b,c]`
 * (`--slice "age:bins=[18,30,50,90]"`), parsed into plain objects and formatted back. A parse
 * error names the option, the text and the 1-based position of what is wrong.
 */
import { GoldgenError } from '../core/errors.ts'

export const METRIC_NAMES = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'roc_auc',
  'log_loss',
  'mae',
  'rmse',
  'mape',
  'r2',
] as const
export type MetricName = (typeof METRIC_NAMES)[number]

/** Metrics where a smaller value is better: for them a "drop" against a baseline is an increase. */
export const LOWER_IS_BETTER: ReadonlySet<MetricName> = new Set(['log_loss', 'mae', 'rmse', 'mape'])

export const COMPARATORS = ['>=', '<=', '>', '<'] as const
export type Comparator = (typeof COMPARATORS)[number]

/** One metric expectation: `name(truth, prediction) op bound`. */
export interface MetricSpec {
  name: MetricName
  truth: string
  prediction: string
  op: Comparator
  bound: number
}

/** One slicing: each category of `column`, or half-open bins `[edges[i], edges[i+1])` of it. */
export interface SliceSpec {
  column: string
  bins?: number[]
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/

function fail(option: string, text: string, at: number, message: string): never {
  throw new GoldgenError(
    'USAGE',
    `${option} ${JSON.stringify(text)}: at position ${at + 1}: ${message}; expected NAME(truth_column, prediction_column) OP bound, e.g. "roc_auc(label, churn_prob) >= 0.8"`,
  )
}

/** Reads a column name at `at`: a double-quoted JSON string, or characters other than space , ( ). */
function column(text: string, at: number, fails: (at: number, m: string) => never): [string, number] {
  if (text[at] === '"') {
    const end = text.indexOf('"', at + 1)
    if (end < 0) fails(at, 'a quoted column name is not closed')
    const name = text.slice(at + 1, end)
    if (name === '') fails(at, 'a column name is empty')
    return [name, end + 1]
  }
  const m = /^[^\s,()"]+/.exec(text.slice(at))
  if (m === null) fails(at, 'expected a column name')
  return [m[0], at + m[0].length]
}

const skip = (text: string, at: number) => {
  while (at < text.length && /\s/.test(text[at]!)) at++
  return at
}

/** Parses `NAME(truth, prediction) OP bound`; errors name `option` and the position. */
export function parseMetric(text: string, option = '--metric'): MetricSpec {
  const fails = (at: number, m: string): never => fail(option, text, at, m)
  let at = skip(text, 0)
  const nameMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at))
  if (nameMatch === null) fails(at, 'expected a metric name')
  const name = nameMatch![0]
  if (!(METRIC_NAMES as readonly string[]).includes(name))
    fails(at, `unknown metric ${JSON.stringify(name)} (known: ${METRIC_NAMES.join(', ')})`)
  at = skip(text, at + name.length)
  if (text[at] !== '(') fails(at, `expected "(" after ${name}`)
  const [truth, afterTruth] = column(text, skip(text, at + 1), fails)
  at = skip(text, afterTruth)
  if (text[at] !== ',') fails(at, 'expected "," after the truth column')
  const [prediction, afterPrediction] = column(text, skip(text, at + 1), fails)
  at = skip(text, afterPrediction)
  if (text[at] !== ')') fails(at, 'expected ")" after the prediction column')
  at = skip(text, at + 1)
  const op = COMPARATORS.find((c) => text.startsWith(c, at))
  if (op === undefined) fails(at, `expected a comparison (${COMPARATORS.join(' ')})`)
  at = skip(text, at + op!.length)
  const num = NUMBER.exec(text.slice(at))
  if (num === null) fails(at, 'expected a number as the bound')
  const bound = Number(num![0])
  if (!Number.isFinite(bound)) fails(at, 'the bound must be a finite number')
  at = skip(text, at + num![0].length)
  if (at < text.length) fails(at, `unexpected ${JSON.stringify(text.slice(at))} after the bound`)
  return { name: name as MetricName, truth, prediction, op: op!, bound }
}

const quoted = (c: string) => (/^[^\s,()"]+$/.test(c) ? c : JSON.stringify(c))

/** The canonical text of a metric: `roc_auc(label, churn_prob) >= 0.8`. */
export function formatMetric(m: MetricSpec): string {
  return `${m.name}(${quoted(m.truth)}, ${quoted(m.prediction)}) ${m.op} ${m.bound}`
}

/** Parses `COL` or `COL:bins=[a,b,c]` (at least two strictly increasing finite edges). */
export function parseSlice(text: string, option = '--slice'): SliceSpec {
  const fails = (at: number, message: string): never => {
    throw new GoldgenError(
      'USAGE',
      `${option} ${JSON.stringify(text)}: at position ${at + 1}: ${message}; expected COLUMN or "COLUMN:bins=[a,b,c]"`,
    )
  }
  const marker = text.lastIndexOf(':bins=')
  if (marker < 0) {
    if (text.trim() === '') fails(0, 'the column name is empty')
    return { column: text.trim() }
  }
  const name = text.slice(0, marker).trim()
  if (name === '') fails(0, 'the column name is empty')
  let at = marker + ':bins='.length
  if (text[at] !== '[') fails(at, 'expected "[" after bins=')
  const edges: number[] = []
  at++
  for (;;) {
    at = skip(text, at)
    const num = NUMBER.exec(text.slice(at))
    if (num === null) fails(at, 'expected a number (a bin edge)')
    const edge = Number(num![0])
    if (!Number.isFinite(edge)) fails(at, 'bin edges must be finite numbers')
    if (edges.length > 0 && !(edge > edges.at(-1)!))
      fails(at, `bin edges must increase (${edge} follows ${edges.at(-1)})`)
    edges.push(edge)
    at = skip(text, at + num![0].length)
    if (text[at] === ',') {
      at++
      continue
    }
    if (text[at] === ']') break
    fails(at, 'expected "," or "]" after a bin edge')
  }
  at = skip(text, at + 1)
  if (at < text.length) fails(at, `unexpected ${JSON.stringify(text.slice(at))} after "]"`)
  if (edges.length < 2) fails(marker + 6, 'bins need at least two edges')
  return { column: name, bins: edges }
}

/** The canonical text of a slice: `segment` or `age:bins=[18,30,50,90]`. */
export function formatSlice(s: SliceSpec): string {
  return s.bins === undefined ? s.column : `${s.column}:bins=[${s.bins.join(',')}]`
}
