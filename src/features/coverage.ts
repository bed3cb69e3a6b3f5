/**
 * Coverage: rows forced to hold chosen values so that every category (`min_per_category`) and
 * every pair of values of the listed columns (`pairwise`, over `bins` for numeric columns)
 * appears. Rows are placed by seeded permutations of the full dataset; the forced values are
 * written first, and later features leave those rows alone.
 */
import { categoryValues } from '../../generators/category.ts'
import type { ColumnDef, DatasetDef } from '../../schemas/language.ts'
import type { ColumnBlock } from '../core/blocks.ts'
import { blockRng, type Rng } from '../core/random.ts'
import { coveringArray } from './covering-array.ts'
import { pickRows, range, type SparseRows, setValue } from './placement.ts'
import type { FeatureColumn, FeatureIssue } from './types.ts'

export interface PairwisePlan {
  columns: string[]
  /** Levels per column: how many values (or bins) each has. */
  levels: number[]
  rows: number
}

export interface CoveragePlan {
  /** Forced values per column (row → value in the block's representation). */
  forced: Map<number, number>[]
  pairwise: PairwisePlan[]
  /** Bin edges per numeric column named in `coverage.bins`. */
  bins: Record<string, number[]>
}

/** Equal-width or explicit bin edges for a numeric coverage column. */
function binEdges(spec: ColumnDef, bins: number | number[]): number[] | string {
  if (Array.isArray(bins)) {
    for (let i = 1; i < bins.length; i++)
      if (!(bins[i]! > bins[i - 1]!)) return 'bin edges must be strictly increasing'
    return bins
  }
  if ((spec.type !== 'int' && spec.type !== 'float') || spec.min === undefined || spec.max === undefined) {
    return `${bins} equal-width bins need the column's min and max; give them, or list the bin edges`
  }
  const { min, max } = spec
  if (spec.type === 'int' && max - min + 1 < bins) return `[${min}, ${max}] holds fewer than ${bins} integers`
  const edges = Array.from({ length: bins + 1 }, (_, i) => min + ((max - min) * i) / bins)
  edges[bins] = max
  return edges
}

/** A value inside bin `b` (and inside [min, max]), drawn from the row's own coverage stream. */
function binValue(spec: ColumnDef, edges: number[], b: number, rng: Rng): number {
  const lo = Math.max(
    edges[b]!,
    spec.type === 'int' || spec.type === 'float' ? (spec.min ?? -Infinity) : -Infinity,
  )
  const last = b === edges.length - 2
  const hi = Math.min(
    edges[b + 1]!,
    spec.type === 'int' || spec.type === 'float' ? (spec.max ?? Infinity) : Infinity,
  )
  if (spec.type === 'int') {
    const first = Math.ceil(lo)
    const end = last ? Math.floor(hi) : Math.ceil(hi) - 1
    return first + rng.below(Math.max(end - first + 1, 1))
  }
  const x = lo + rng.next() * (hi - lo)
  if (spec.type === 'float' && spec.precision !== undefined) {
    const f = 10 ** spec.precision
    return Math.min(Math.max(Math.round(x * f) / f, Math.ceil(lo * f) / f), Math.floor(hi * f) / f)
  }
  return x
}

/** How many values (or bins) a coverage column has; undefined when it cannot be covered. */
export function levelCount(spec: ColumnDef, bins: number[] | undefined): number | undefined {
  if (spec.type === 'category') return categoryValues(spec).values.length
  if (spec.type === 'bool') return 2
  if (bins !== undefined) return bins.length - 1
  return undefined
}

function planBins(
  coverage: DatasetDef['coverage'],
  columns: FeatureColumn[],
  byName: Map<string, number>,
  issues: FeatureIssue[],
): Record<string, number[]> {
  const bins: Record<string, number[]> = {}
  for (const [name, b] of Object.entries(coverage?.bins ?? {})) {
    const i = byName.get(name)
    if (i === undefined) {
      issues.push({ path: ['coverage', 'bins', name], message: `no column named ${JSON.stringify(name)}` })
      continue
    }
    const spec = columns[i]!.spec
    if (spec.type !== 'int' && spec.type !== 'float') {
      issues.push({
        path: ['coverage', 'bins', name],
        message: `bins apply to int and float columns; ${name} is ${spec.type}`,
      })
      continue
    }
    const edges = binEdges(spec, b)
    if (typeof edges === 'string') issues.push({ path: ['coverage', 'bins', name], message: edges })
    else bins[name] = edges
  }
  return bins
}

interface CoverageInput {
  def: DatasetDef
  columns: FeatureColumn[]
  seed: number
  total: number
}

function planPairwise(
  { def, columns, seed, total }: CoverageInput,
  byName: Map<string, number>,
  plan: CoveragePlan,
  issues: FeatureIssue[],
): void {
  const group = def.coverage?.pairwise
  if (group === undefined) return
  const levels: number[] = []
  group.forEach((name, g) => {
    const i = byName.get(name)
    if (i === undefined) {
      issues.push({ path: ['coverage', 'pairwise', g], message: `no column named ${JSON.stringify(name)}` })
      return
    }
    if (group.indexOf(name) !== g)
      issues.push({ path: ['coverage', 'pairwise', g], message: `${name} is listed twice` })
    const n = levelCount(columns[i]!.spec, plan.bins[name])
    if (n === undefined) {
      issues.push({
        path: ['coverage', 'pairwise', g],
        message: `${name} is ${columns[i]!.spec.type}: pairwise coverage takes category and bool columns, and int or float columns with coverage.bins`,
      })
    } else levels.push(n)
  })
  if (issues.length > 0) return
  const array = coveringArray(levels)
  if (array.length > total) {
    issues.push({
      path: ['coverage', 'pairwise'],
      message: `pairwise coverage of ${group.join(', ')} needs at least ${array.length} rows; the dataset has ${total}`,
    })
    return
  }
  const positions = pickRows(total, array.length, seed, `pairwise:${group.join('\0')}`, 'coverage', new Set())
  group.forEach((name, g) => {
    const i = byName.get(name)!
    const spec = columns[i]!.spec
    const edges = plan.bins[name]
    array.forEach((row, r) => {
      const level = row[g]!
      const at = positions[r]!
      const value =
        edges !== undefined
          ? binValue(spec, edges, level, blockRng(seed, name, `coverage-bin:${at}`, 0))
          : level
      plan.forced[i]!.set(at, value)
    })
  })
  plan.pairwise.push({ columns: group, levels, rows: array.length })
}

function planMinPerCategory(
  { def, columns, seed, total }: CoverageInput,
  plan: CoveragePlan,
  issues: FeatureIssue[],
): void {
  const k = def.coverage?.min_per_category
  if (k === undefined) return
  columns.forEach((c, i) => {
    if (c.spec.type !== 'category' && c.spec.type !== 'bool') return
    const m = levelCount(c.spec, undefined)!
    const have = new Float64Array(m)
    for (const v of plan.forced[i]!.values()) have[v]!++
    // Values still short of k, in round-robin order so that any prefix is spread over the values.
    const needs: number[] = []
    for (let round = 0; round < k; round++)
      for (let v = 0; v < m; v++) if (have[v]! + round < k) needs.push(v)
    const taken = new Set(plan.forced[i]!.keys())
    if (taken.size + needs.length > total) {
      issues.push({
        path: ['coverage', 'min_per_category'],
        message: `min_per_category: ${k} for ${c.name} (${m} values) needs at least ${taken.size + needs.length} rows; the dataset has ${total}`,
      })
      return
    }
    const rows = pickRows(total, needs.length, seed, c.key ?? c.name, 'coverage', taken)
    needs.forEach((v, j) => {
      plan.forced[i]!.set(rows[j]!, v)
    })
  })
}

/** Plans coverage: numeric bins, then pairwise covering arrays, then per-category minimums. */
export function planCoverage(input: CoverageInput, issues: FeatureIssue[]): CoveragePlan {
  const byName = new Map(input.columns.map((c, i) => [c.name, i]))
  const bins = planBins(input.def.coverage, input.columns, byName, issues)
  const plan: CoveragePlan = { forced: input.columns.map(() => new Map()), pairwise: [], bins }
  planPairwise(input, byName, plan, issues)
  planMinPerCategory(input, plan, issues)
  return plan
}

/** Writes a column's coverage-forced values into a block that starts at row `start`. */
export function applyCoverage(block: ColumnBlock, forced: SparseRows, start: number): void {
  const [a, b] = range(forced, start, start + block.values.length)
  for (let j = a; j < b; j++) setValue(block, forced.rows[j]! - start, forced.values[j]!)
}
