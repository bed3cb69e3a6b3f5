/**
 * `goldgen infer`: a goldgen schema from a sample of real data (CSV, JSONL or Arrow). Per column:
 * the type (id, int, float, bool, date, datetime, uuid, email/URL, category or free string),
 * the observed range, the distribution (integers with few distinct values exactly, other
 * numbers as an equal-frequency histogram), category values with their counts as weights, the
 * missing rate, and uniqueness. The CSV delimiter and null tokens are detected, or given.
 */

import { basename, extname } from 'node:path'
import { Document, isMap, isPair, isScalar, isSeq, type YAMLMap, type YAMLSeq } from 'yaml'
import type { ColumnDef, DatasetDef } from '../../schemas/language.ts'
import { planDataset } from '../api/plan.ts'
import { isRealDate, isRealDateTime } from '../core/dates.ts'
import { GoldgenError } from '../core/errors.ts'
import { assertReadableFile } from '../core/files.ts'
import { readCsvCells } from '../formats/csv-cells.ts'
import { type FormatName, formatForPath } from '../formats/index.ts'
import { openRows, sniffFormat } from '../formats/read.ts'
import { datasetName } from '../jsonschema/import.ts'
import { inferDistribution } from './distribution.ts'

/** Cells read as missing unless `nullTokens` is given. */
export const DEFAULT_NULL_TOKENS = ['', 'NA', 'N/A', 'null', 'NULL', 'None', '?']
export interface InferOptions {
  format?: FormatName | undefined
  /** CSV field delimiter; default: detected from the first lines. */
  delimiter?: string | undefined
  /** Cell texts that mean "missing"; default DEFAULT_NULL_TOKENS. */
  nullTokens?: readonly string[] | undefined
  /** Category when distinct values ≤ this (default 50) or ≤ 5% of the values. */
  maxCategories?: number | undefined
  /** Histogram bins for numbers with many distinct values (default 40). */
  bins?: number | undefined
  name?: string | undefined
}

export interface InferredColumn {
  name: string
  spec: ColumnDef
  /** What was observed, for the YAML comment. */
  observed: string
}

export interface InferResult {
  def: DatasetDef
  columns: InferredColumn[]
  rows: number
  delimiter?: string | undefined
  nullTokens: readonly string[]
  yaml: string
}

/** Reads a file as column names and rows of text cells (null = missing). */
export async function readCells(
  file: string,
  options: InferOptions,
): Promise<{ names: string[]; rows: (string | null)[][]; delimiter?: string; format: FormatName }> {
  assertReadableFile(file)
  const format = options.format ?? formatForPath(file) ?? sniffFormat(file)
  const nulls = new Set(options.nullTokens ?? DEFAULT_NULL_TOKENS)
  if (format === 'csv') return { ...(await readCsvCells(file, options.delimiter, nulls)), format }
  const source = await openRows(file, format)
  const rows: (string | null)[][] = []
  const index = new Map<string, number>()
  for await (const row of source.rows) {
    const out: (string | null)[] = []
    for (const [k, v] of Object.entries(row)) {
      let i = index.get(k)
      if (i === undefined) {
        i = index.size
        index.set(k, i)
      }
      out[i] = v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v)
      if (out[i] !== null && nulls.has(out[i]!) && typeof v === 'string') out[i] = null
    }
    rows.push(out)
  }
  if (rows.length === 0) throw new GoldgenError('PARSE', 'the file has no rows', { file })
  for (const r of rows) for (let i = 0; i < index.size; i++) r[i] ??= null
  return { names: [...index.keys()], rows, format }
}

const INT = /^[-+]?\d+$/
const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(Infinity|NaN)$/
const BOOL = /^(true|false)$/i
const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const URL_RE = /^https?:\/\/\S+$/

const round = (x: number, digits = 6) => Number(x.toPrecision(digits))

function inferColumn(values: (string | null)[], options: InferOptions): Omit<InferredColumn, 'name'> {
  const present = values.filter((v): v is string => v !== null)
  const missingRate = round((values.length - present.length) / values.length, 6)
  const distinct = new Map<string, number>()
  for (const v of present) distinct.set(v, (distinct.get(v) ?? 0) + 1)
  const unique = present.length > 1 && distinct.size === present.length
  const all = (re: RegExp) => present.length > 0 && present.every((v) => re.test(v))
  const withMissing = (spec: ColumnDef): ColumnDef =>
    missingRate > 0 ? { ...spec, missing: missingRate } : spec
  const observedBase = `${present.length} values, ${values.length - present.length} missing (${(missingRate * 100).toFixed(2)}%), ${distinct.size} distinct`
  const maxCategories = options.maxCategories ?? 50

  if (present.length === 0) {
    return { spec: { type: 'string', missing: 1 } as ColumnDef, observed: 'every value is missing' }
  }
  if (all(BOOL)) {
    const p = round(present.filter((v) => v.toLowerCase() === 'true').length / present.length, 6)
    return { spec: withMissing({ type: 'bool', p }), observed: `${observedBase}; share true ${p}` }
  }
  if (all(INT) && present.every((v) => Number.isSafeInteger(Number(v)))) {
    const nums = present.map(Number)
    const sequence = idSequence(nums)
    if (sequence !== undefined && missingRate === 0) {
      return {
        spec: { type: 'id', start: sequence.start, step: sequence.step },
        observed: `${observedBase}; a sequence from ${sequence.start} in steps of ${sequence.step}`,
      }
    }
    return numeric(nums, true, observedBase, withMissing, options)
  }
  if (all(FLOAT)) {
    const nums = present.map(Number)
    return numeric(nums, false, observedBase, withMissing, options)
  }
  if (all(DATE) && present.every(isRealDate)) {
    const days = present.map((v) => Date.parse(`${v}T00:00:00Z`) / DAY).sort((a, b) => a - b)
    const iso = (d: number) => new Date(d * DAY).toISOString().slice(0, 10)
    return {
      spec: withMissing(temporal('date', days, iso, unique && missingRate === 0, options)),
      observed: `${observedBase}; ${iso(days[0]!)} to ${iso(days.at(-1)!)}`,
    }
  }
  if (all(DATETIME) && present.every(isRealDateTime)) {
    const ms = present.map((v) => Date.parse(v.replace(' ', 'T'))).sort((a, b) => a - b)
    const iso = (t: number) => new Date(t).toISOString()
    return {
      spec: withMissing(temporal('datetime', ms, iso, unique && missingRate === 0, options)),
      observed: `${observedBase}; ${iso(ms[0]!)} to ${iso(ms.at(-1)!)}`,
    }
  }
  if (all(UUID))
    return {
      spec: withMissing({ type: 'uuid', ...(unique ? { unique: true } : {}) }),
      observed: observedBase,
    }
  if (distinct.size <= maxCategories || (distinct.size <= 1000 && distinct.size <= present.length * 0.05)) {
    const sorted = [...distinct].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    return {
      spec: withMissing({ type: 'category', values: Object.fromEntries(sorted) }),
      observed: `${observedBase}; weights are the observed counts`,
    }
  }
  if (all(EMAIL))
    return {
      spec: withMissing({ type: 'faker', method: 'internet.email' }),
      observed: `${observedBase}; e-mail addresses`,
    }
  if (all(URL_RE))
    return { spec: withMissing({ type: 'faker', method: 'internet.url' }), observed: `${observedBase}; URLs` }
  const lengths = present.map((v) => v.length)
  const min = Math.min(...lengths)
  const max = Math.max(...lengths)
  return {
    spec: withMissing({
      type: 'string',
      min_length: min,
      max_length: max,
      ...(unique ? { unique: true } : {}),
    }),
    observed: `${observedBase}; free text of ${min} to ${max} characters`,
  }
}

const DAY = 86_400_000

/**
 * A date or datetime column (`units` in days or milliseconds, sorted): the seen values exactly when
 * there are at most 1000 distinct ones (all distinct: `unique`, a shuffle of them), else a histogram
 * with point masses.
 */
function temporal(
  type: 'date' | 'datetime',
  units: number[],
  iso: (u: number) => string,
  unique: boolean,
  options: InferOptions,
): ColumnDef {
  const min = iso(units[0]!)
  const max = iso(units.at(-1)!)
  if (min === max) return { type, min, max }
  const d = inferDistribution(units, { bins: options.bins, maxExact: 1000, integer: true })
  if (d.discrete !== undefined) {
    const distribution = { discrete: { values: d.discrete.values.map(iso), weights: d.discrete.weights } }
    return { type, min, max, distribution, ...(unique ? { unique: true as const } : {}) }
  }
  const h = d.histogram!
  const histogram = {
    bins: h.bins.map(iso),
    weights: h.weights,
    ...(h.points !== undefined ? { points: h.points.map(iso), point_weights: h.point_weights! } : {}),
  }
  return { type, min, max, distribution: { histogram } }
}

/** start and step when the values are an arithmetic sequence of at least 3 (an id column). */
function idSequence(nums: number[]): { start: number; step: number } | undefined {
  if (nums.length < 3) return undefined
  const step = nums[1]! - nums[0]!
  if (step === 0) return undefined
  for (let i = 2; i < nums.length; i++) if (nums[i]! - nums[i - 1]! !== step) return undefined
  return { start: nums[0]!, step }
}

function numeric(
  nums: number[],
  integer: boolean,
  observedBase: string,
  withMissing: (spec: ColumnDef) => ColumnDef,
  options: InferOptions,
): Omit<InferredColumn, 'name'> {
  const finite = nums.filter(Number.isFinite).sort((a, b) => a - b)
  const min = finite[0]!
  const max = finite.at(-1)!
  const mean = finite.reduce((s, x) => s + x, 0) / finite.length
  const sd = Math.sqrt(finite.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, finite.length - 1))
  const observed = `${observedBase}; min ${min}, max ${max}, mean ${round(mean, 5)}, sd ${round(sd, 5)}`
  if (min === max) {
    return { spec: withMissing(integer ? { type: 'int', min, max } : { type: 'float', min, max }), observed }
  }
  // Few distinct values are written exactly: integers up to 500, other numbers up to maxCategories.
  const maxExact = integer ? 500 : Math.max(options.maxCategories ?? 50, 50)
  const distribution = inferDistribution(finite, { bins: options.bins, maxExact, integer })
  const precision = integer ? undefined : decimals(nums)
  // A distribution and `unique` exclude each other: the distribution is what the data shows, and
  // distinct values drawn from it stay distinct in most rows.
  const spec = {
    type: integer ? 'int' : 'float',
    min,
    max,
    distribution,
    ...(precision !== undefined ? { precision } : {}),
  } as ColumnDef
  return { spec: withMissing(spec), observed }
}

/** The most decimals a float column shows (when at most 6), so generated values look alike. */
function decimals(nums: number[]): number | undefined {
  let most = 0
  for (const x of nums.slice(0, 10_000)) {
    const s = String(x)
    if (/e/i.test(s)) return undefined
    const dot = s.indexOf('.')
    if (dot >= 0) most = Math.max(most, s.length - dot - 1)
  }
  return most <= 6 ? most : undefined
}

/** Infers a goldgen schema from a data file. */
export async function inferSchema(file: string, options: InferOptions = {}): Promise<InferResult> {
  const { names, rows, delimiter } = await readCells(file, options)
  const columns: InferredColumn[] = names.map((name, c) => ({
    name,
    ...inferColumn(
      rows.map((r) => r[c] ?? null),
      options,
    ),
  }))
  const seen = new Set<string>()
  for (const c of columns) {
    if (c.name === '' || seen.has(c.name) || c.name.startsWith('_goldgen')) {
      throw new GoldgenError(
        'PARSE',
        `column name ${JSON.stringify(c.name)} is empty, repeated or reserved`,
        { file },
      )
    }
    seen.add(c.name)
  }
  const name = options.name ?? datasetName(basename(file, extname(file))) ?? 'inferred'
  let def: DatasetDef = {
    goldgen: 1,
    name,
    rows: rows.length,
    columns: Object.fromEntries(columns.map((c) => [c.name, c.spec])),
    // Every category seen in the sample appears at least once, however rare.
    ...(columns.some((c) => c.spec.type === 'category') ? { coverage: { min_per_category: 1 } } : {}),
  }
  def = generable(def, columns)
  const nullTokens = options.nullTokens ?? DEFAULT_NULL_TOKENS
  return {
    def,
    columns,
    rows: rows.length,
    delimiter,
    nullTokens,
    yaml: inferredYaml(def, columns, file, rows.length, delimiter, nullTokens),
  }
}

/**
 * The schema as `generate` accepts it: a column the generator rejects as inferred (say `unique`
 * values a shuffle cannot produce) loses `unique`, then its distribution, until it is accepted.
 */
function generable(def: DatasetDef, columns: InferredColumn[]): DatasetDef {
  for (let attempt = 0; attempt < 3; attempt++) {
    let rejected: Set<string>
    try {
      planDataset(def)
      return def
    } catch (e) {
      if (!(e instanceof GoldgenError)) throw e
      rejected = new Set(
        (e.issues ?? []).filter((i) => i.path[0] === 'columns').map((i) => String(i.path[1])),
      )
      if (rejected.size === 0) throw e
    }
    for (const c of columns) {
      if (!rejected.has(c.name)) continue
      const { unique, distribution, ...rest } = c.spec as ColumnDef & {
        unique?: boolean
        distribution?: unknown
      }
      c.spec = (
        unique !== undefined ? { ...rest, ...(distribution !== undefined ? { distribution } : {}) } : rest
      ) as ColumnDef
      c.observed += unique !== undefined ? '; not unique: goldgen cannot make these values distinct' : ''
    }
    def = { ...def, columns: Object.fromEntries(columns.map((c) => [c.name, c.spec])) }
  }
  planDataset(def)
  return def
}

/** The schema as YAML with what was observed above each column; long number lists on one line. */
function inferredYaml(
  def: DatasetDef,
  columns: InferredColumn[],
  file: string,
  rows: number,
  delimiter: string | undefined,
  nullTokens: readonly string[],
): string {
  const doc = new Document(def)
  doc.commentBefore = [
    ` goldgen schema inferred from ${basename(file)} (${rows} rows) by goldgen infer.`,
    ...(delimiter !== undefined
      ? [
          ` CSV delimiter ${JSON.stringify(delimiter)}; read as missing: ${nullTokens.map((t) => JSON.stringify(t)).join(', ')}.`,
        ]
      : []),
    ' Review it: ranges, categories and weights are what the sample showed, and the sample',
    ' may hold values you do not want in fixtures.',
  ].join('\n')
  const map = doc.get('columns', true) as YAMLMap
  for (const item of map.items) {
    if (!isPair(item) || !isScalar(item.key)) continue
    const column = columns.find((c) => c.name === String((item.key as { value: unknown }).value))
    if (column !== undefined) (item.key as { commentBefore?: string }).commentBefore = ` ${column.observed}`
    flowNumberLists(item.value)
  }
  return doc.toString({ lineWidth: 120 })
}

function flowNumberLists(node: unknown): void {
  if (isSeq(node)) {
    ;(node as YAMLSeq).flow = true
    return
  }
  if (isMap(node)) for (const item of node.items) flowNumberLists(item.value)
}
