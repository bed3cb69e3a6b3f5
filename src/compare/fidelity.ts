/**
 * `goldgen compare <real> <synthetic>`: how closely synthetic data follows real data, per column
 * and per pair. Total-variation distance (TVD) between the two value distributions (numbers
 * with many distinct values binned into equal-width bins over the real range, synthetic values
 * outside it counted in the end bins), the difference in missing rate, the share of real
 * categories the synthetic data contains, and the difference of Pearson correlations between
 * numeric columns.
 */
import { GoldgenError } from '../core/errors.ts'
import { openRows } from '../formats/read.ts'

export interface CompareOptions {
  /** Equal-width bins for numeric columns with more distinct values than `maxLevels` (default 20). */
  bins?: number | undefined
  /** Numeric columns with at most this many distinct real values are compared value by value (default 50). */
  maxLevels?: number | undefined
}

export interface ColumnFidelity {
  kind: 'numeric' | 'categorical'
  /** Total-variation distance between the present values' distributions, in [0, 1]. */
  tvd: number
  missingReal: number
  missingSynthetic: number
  /** synthetic − real missing rate. */
  missingDiff: number
  /** Categorical: share of real categories that the synthetic data has. */
  categoryCoverage?: number
}

export interface FidelityReport {
  real: string
  synthetic: string
  rows: { real: number; synthetic: number }
  columns: Record<string, ColumnFidelity>
  /** Columns only one side has. */
  onlyReal: string[]
  onlySynthetic: string[]
  meanTvd: number
  maxMissingDiff: number
  correlation: {
    pairs: { a: string; b: string; real: number; synthetic: number; diff: number }[]
    meanAbsDiff: number
    maxAbsDiff: number
  }
}

export type Cell = string | number | boolean | null

/** A data file read column by column. */
export interface ColumnsRead {
  names: string[]
  values: Map<string, Cell[]>
  rows: number
}

/** Reads a data file column by column (nested values as their JSON text). */
export async function readColumns(file: string): Promise<ColumnsRead> {
  const source = await openRows(file)
  const values = new Map<string, Cell[]>()
  let rows = 0
  for await (const row of source.rows) {
    for (const [k, v] of Object.entries(row)) {
      let list = values.get(k)
      if (list === undefined) {
        list = new Array(rows).fill(null)
        values.set(k, list)
      }
      list[rows] =
        v === undefined ? null : typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as Cell)
    }
    rows++
    for (const list of values.values()) if (list.length < rows) list.push(null)
  }
  // Columns of a file without rows (a CSV header, an Arrow schema) are columns too.
  for (const c of source.columns()) if (!values.has(c.name)) values.set(c.name, new Array(rows).fill(null))
  return { names: [...values.keys()], values, rows }
}

const isNum = (v: Cell): v is number => typeof v === 'number' && Number.isFinite(v)

function distribution(values: readonly Cell[], level: (v: Cell) => string): Map<string, number> {
  const counts = new Map<string, number>()
  let n = 0
  for (const v of values) {
    if (v === null) continue
    const k = level(v)
    counts.set(k, (counts.get(k) ?? 0) + 1)
    n++
  }
  for (const [k, c] of counts) counts.set(k, c / Math.max(n, 1))
  return counts
}

/** Total-variation distance: half the L1 distance between two distributions. */
export function tvd(p: Map<string, number>, q: Map<string, number>): number {
  let sum = 0
  for (const k of new Set([...p.keys(), ...q.keys()])) sum += Math.abs((p.get(k) ?? 0) - (q.get(k) ?? 0))
  return sum / 2
}

function pearson(x: readonly Cell[], y: readonly Cell[]): number | undefined {
  let n = 0
  let sx = 0
  let sy = 0
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (let i = 0; i < x.length; i++) {
    const a = x[i]!
    const b = y[i]!
    if (!isNum(a) || !isNum(b)) continue
    n++
    sx += a
    sy += b
    sxx += a * a
    syy += b * b
    sxy += a * b
  }
  if (n < 3) return undefined
  const cov = sxy - (sx * sy) / n
  const vx = sxx - (sx * sx) / n
  const vy = syy - (sy * sy) / n
  if (vx <= 0 || vy <= 0) return undefined
  return cov / Math.sqrt(vx * vy)
}

/** One column's fidelity (real values against synthetic values of the same column). */
export function columnFidelity(
  r: readonly Cell[],
  s: readonly Cell[],
  options: CompareOptions = {},
): ColumnFidelity {
  const bins = options.bins ?? 20
  const maxLevels = options.maxLevels ?? 50
  const missing = (list: readonly Cell[]) => list.filter((v) => v === null).length / Math.max(list.length, 1)
  const presentReal = r.filter((v) => v !== null)
  const isNumeric = presentReal.length > 0 && presentReal.every((v) => typeof v === 'number')
  const distinct = new Set(presentReal.map(String))
  let level: (v: Cell) => string = String
  if (isNumeric && distinct.size > maxLevels) {
    const nums = presentReal.filter(isNum)
    let lo = Number.POSITIVE_INFINITY
    let hi = Number.NEGATIVE_INFINITY
    for (const v of nums) {
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    const width = (hi - lo) / bins || 1
    level = (v) =>
      typeof v === 'number'
        ? String(Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width))))
        : String(v)
  }
  const fidelity: ColumnFidelity = {
    kind: isNumeric ? 'numeric' : 'categorical',
    tvd: tvd(distribution(r, level), distribution(s, level)),
    missingReal: missing(r),
    missingSynthetic: missing(s),
    missingDiff: missing(s) - missing(r),
  }
  if (!isNumeric) {
    const seen = new Set(s.filter((v) => v !== null).map(String))
    fidelity.categoryCoverage =
      distinct.size === 0 ? 1 : [...distinct].filter((v) => seen.has(v)).length / distinct.size
  }
  return fidelity
}

/** Compares two data files column by column (by name). Throws USAGE when they share no column. */
export async function compareFiles(
  realFile: string,
  syntheticFile: string,
  options: CompareOptions = {},
): Promise<FidelityReport> {
  const [real, synthetic] = await Promise.all([readColumns(realFile), readColumns(syntheticFile)])
  return compareColumns(real, synthetic, realFile, syntheticFile, options)
}

const listed = (t: ColumnsRead) =>
  t.names.length > 0 ? t.names.join(', ') : t.rows === 0 ? '(none: no rows)' : '(none)'

/** Compares two data sets already read. Throws USAGE when they share no column. */
export function compareColumns(
  real: ColumnsRead,
  synthetic: ColumnsRead,
  realFile: string,
  syntheticFile: string,
  options: CompareOptions = {},
): FidelityReport {
  const shared = real.names.filter((n) => synthetic.values.has(n))
  if (shared.length === 0) {
    throw new GoldgenError(
      'USAGE',
      `${realFile} and ${syntheticFile} have no column in common, so there is nothing to compare (real: ${listed(real)}; synthetic: ${listed(synthetic)})`,
    )
  }
  const columns: Record<string, ColumnFidelity> = {}
  const numeric: string[] = []
  for (const name of shared) {
    const fidelity = columnFidelity(real.values.get(name)!, synthetic.values.get(name)!, options)
    if (fidelity.kind === 'numeric') numeric.push(name)
    columns[name] = fidelity
  }
  const pairs: FidelityReport['correlation']['pairs'] = []
  for (let i = 0; i < numeric.length; i++) {
    for (let j = i + 1; j < numeric.length; j++) {
      const [a, b] = [numeric[i]!, numeric[j]!]
      const cr = pearson(real.values.get(a)!, real.values.get(b)!)
      const cs = pearson(synthetic.values.get(a)!, synthetic.values.get(b)!)
      if (cr === undefined || cs === undefined) continue
      pairs.push({ a, b, real: cr, synthetic: cs, diff: cs - cr })
    }
  }
  const fids = Object.values(columns)
  return {
    real: realFile,
    synthetic: syntheticFile,
    rows: { real: real.rows, synthetic: synthetic.rows },
    columns,
    onlyReal: real.names.filter((n) => !synthetic.values.has(n)),
    onlySynthetic: synthetic.names.filter((n) => !real.values.has(n)),
    meanTvd: fids.length === 0 ? 0 : fids.reduce((s, f) => s + f.tvd, 0) / fids.length,
    maxMissingDiff: fids.reduce((m, f) => Math.max(m, Math.abs(f.missingDiff)), 0),
    correlation: {
      pairs,
      meanAbsDiff: pairs.length === 0 ? 0 : pairs.reduce((s, p) => s + Math.abs(p.diff), 0) / pairs.length,
      maxAbsDiff: pairs.reduce((m, p) => Math.max(m, Math.abs(p.diff)), 0),
    },
  }
}

/** The report as a table for people. */
export function renderFidelity(report: FidelityReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`
  const names = Object.keys(report.columns)
  const width = Math.max(6, ...names.map((n) => n.length))
  const lines = [
    `real ${report.real} (${report.rows.real} rows) vs synthetic ${report.synthetic} (${report.rows.synthetic} rows)`,
    '',
    `${'column'.padEnd(width)}  kind         TVD     missing real → synthetic   categories`,
  ]
  for (const name of names) {
    const c = report.columns[name]!
    lines.push(
      `${name.padEnd(width)}  ${c.kind.padEnd(11)}  ${c.tvd.toFixed(4)}  ${pct(c.missingReal).padStart(7)} → ${pct(c.missingSynthetic).padEnd(13)}  ${c.categoryCoverage === undefined ? '' : `${pct(c.categoryCoverage)} covered`}`,
    )
  }
  lines.push('')
  lines.push(
    `mean TVD ${report.meanTvd.toFixed(4)}; largest missing-rate difference ${(report.maxMissingDiff * 100).toFixed(2)} points`,
  )
  lines.push(
    `correlation (Pearson, ${report.correlation.pairs.length} numeric pairs): mean |difference| ${report.correlation.meanAbsDiff.toFixed(4)}, largest ${report.correlation.maxAbsDiff.toFixed(4)}`,
  )
  if (report.onlyReal.length > 0) lines.push(`only in real: ${report.onlyReal.join(', ')}`)
  if (report.onlySynthetic.length > 0) lines.push(`only in synthetic: ${report.onlySynthetic.join(', ')}`)
  return `${lines.join('\n')}\n`
}
