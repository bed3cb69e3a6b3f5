/**
 * The golden-dataset features layered over a column's base values, in this order:
 * coverage-forced values, edge cases, missing values (then text conversion when a string
 * sentinel lands in a non-text column).
 *
 * Determinism: rate-based choices draw from the column's own streams (purposes "edge" and
 * "missing") per block; placements that need the dataset's size (exact counts, coverage rows,
 * `mode: all`) are seeded permutations of the full dataset's rows [0, total). Either way a row's
 * fate depends on its absolute index, never on how the work was split.
 *
 * Protection: coverage rows never get edge cases or missing values, and rows placed by
 * `mode: all` never get missing values, so every guarantee survives the later stages.
 */
import { categoryValues } from '../../generators/category.ts'
import { coveringArray } from '../../generators/covering.ts'
import { type EdgePool, edgePool } from '../../generators/edge-cases.ts'
import { permutation } from '../../generators/permutation.ts'
import type { ColumnDef, DatasetDef } from '../../schemas/language.ts'
import type { BlockKind, ColumnBlock } from '../core/blocks.ts'
import { BLOCK_ROWS, blockRng, type Rng } from '../core/random.ts'
import { formatDate, formatFloat, formatTimestamp } from '../core/text.ts'

/** Rows with a value each, sorted by row, for placement lookups by block. */
export interface SparseRows {
  rows: Float64Array
  values: Float64Array
}

function sparse(entries: Map<number, number>): SparseRows {
  const rows = Float64Array.from(entries.keys()).sort()
  return { rows, values: Float64Array.from(rows, (r) => entries.get(r)!) }
}

/** Index range [i, j) of the entries whose rows fall in [from, to). */
function range(s: SparseRows, from: number, to: number): [number, number] {
  const lower = (x: number) => {
    let lo = 0
    let hi = s.rows.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (s.rows[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  return [lower(from), lower(to)]
}

type Scalar = string | number | boolean
interface Comparison {
  gt?: number | undefined
  gte?: number | undefined
  lt?: number | undefined
  lte?: number | undefined
}
type Expected = Scalar | Scalar[] | Comparison

export interface MissingPlan {
  rate: number
  /** Exact positions (for `count`). */
  count?: SparseRows
  /** MAR: the other columns' values that select the rows that may be missing (all must hold). */
  when: { column: string; expected: Expected }[]
  /** MNAR: a comparison on the value that would have been there. */
  self?: Comparison
  /** A sentinel written instead of a null (block representation: a number, a string, or a dictionary index). */
  as?: number | string
}

export interface EdgePlan {
  pool: EdgePool
  rate: number
  /** Pool-kind indices used for rate-based edge cases. */
  include: number[]
  /** `mode: all`: one row per included kind (values = kind index). */
  forced?: SparseRows
}

export interface ColumnExtras {
  /** Coverage-forced values (block representation). */
  forced?: SparseRows
  edge?: EdgePlan
  missing?: MissingPlan
  /** The column is written as text (a string sentinel in a non-text column). */
  text?: boolean
}

export interface PairwisePlan {
  columns: string[]
  /** Levels per column: how many values (or bins) each has. */
  levels: number[]
  rows: number
}

export interface ExtrasPlan {
  extras: ColumnExtras[]
  /** Output kind and dictionary per column after extras (sentinels and edge values may add entries). */
  kinds: BlockKind[]
  dictionaries: (readonly string[] | undefined)[]
  pairwise: PairwisePlan[]
  /** Bin edges per numeric column named in `coverage.bins`. */
  bins: Record<string, number[]>
  issues: { path: (string | number)[]; message: string }[]
}

export interface ExtrasInput {
  def: DatasetDef
  columns: { name: string; spec: ColumnDef; kind: BlockKind; dictionary?: readonly string[] | undefined }[]
  seed: number
  total: number
}

const isNumericKind = (k: BlockKind) => k === 'int32' || k === 'int64' || k === 'float64'

/** The `count` rows that a seeded permutation of [0, total) puts first, skipping `taken`. */
function pickRows(
  total: number,
  count: number,
  seed: number,
  key: string,
  purpose: string,
  taken: Set<number>,
): number[] {
  const permute = permutation(total, seed, key, purpose)
  const out: number[] = []
  for (let j = 0; out.length < count && j < total; j++) {
    const row = permute(j)
    if (!taken.has(row)) out.push(row)
  }
  return out
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

function levelsOf(spec: ColumnDef, bins: number[] | undefined): number | undefined {
  if (spec.type === 'category') return categoryValues(spec).values.length
  if (spec.type === 'bool') return 2
  if (bins !== undefined) return bins.length - 1
  return undefined
}

function parseMissing(
  spec: ColumnDef,
): { rate?: number; count?: number; when?: Record<string, Expected>; as?: string | number } | undefined {
  const m = spec.missing
  if (m === undefined) return undefined
  return typeof m === 'number'
    ? { rate: m }
    : (m as { rate?: number; count?: number; when?: Record<string, Expected>; as?: string | number })
}

/** Plans coverage, edge cases and missing values for every column; semantic problems go to `issues`. */
export function planExtras(input: ExtrasInput): ExtrasPlan {
  const { def, columns, seed, total } = input
  const issues: ExtrasPlan['issues'] = []
  const byName = new Map(columns.map((c, i) => [c.name, i]))
  const forcedEntries = columns.map(() => new Map<number, number>())
  const kinds = columns.map((c) => c.kind)
  const dictionaries = columns.map((c) => c.dictionary)
  const coverage = def.coverage
  const bins: Record<string, number[]> = {}
  const pairwise: PairwisePlan[] = []

  // Coverage: numeric bins, then pairwise covering arrays, then per-category minimums.
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
  if (coverage?.pairwise !== undefined) {
    const group = coverage.pairwise
    const levels: number[] = []
    group.forEach((name, g) => {
      const i = byName.get(name)
      if (i === undefined) {
        issues.push({ path: ['coverage', 'pairwise', g], message: `no column named ${JSON.stringify(name)}` })
        return
      }
      if (group.indexOf(name) !== g)
        issues.push({ path: ['coverage', 'pairwise', g], message: `${name} is listed twice` })
      const n = levelsOf(columns[i]!.spec, bins[name])
      if (n === undefined) {
        issues.push({
          path: ['coverage', 'pairwise', g],
          message: `${name} is ${columns[i]!.spec.type}: pairwise coverage takes category and bool columns, and int or float columns with coverage.bins`,
        })
      } else levels.push(n)
    })
    if (issues.length === 0) {
      const array = coveringArray(levels)
      if (array.length > total) {
        issues.push({
          path: ['coverage', 'pairwise'],
          message: `pairwise coverage of ${group.join(', ')} needs at least ${array.length} rows; the dataset has ${total}`,
        })
      } else {
        const positions = pickRows(
          total,
          array.length,
          seed,
          `pairwise:${group.join('\0')}`,
          'coverage',
          new Set(),
        )
        group.forEach((name, g) => {
          const i = byName.get(name)!
          const spec = columns[i]!.spec
          array.forEach((row, r) => {
            const level = row[g]!
            const at = positions[r]!
            const value =
              bins[name] !== undefined
                ? binValue(spec, bins[name], level, blockRng(seed, name, `coverage-bin:${at}`, 0))
                : level
            forcedEntries[i]!.set(at, value)
          })
        })
        pairwise.push({ columns: group, levels, rows: array.length })
      }
    }
  }
  const k = coverage?.min_per_category
  if (k !== undefined) {
    columns.forEach((c, i) => {
      if (c.spec.type !== 'category' && c.spec.type !== 'bool') return
      const m = levelsOf(c.spec, undefined)!
      const have = new Float64Array(m)
      for (const v of forcedEntries[i]!.values()) have[v]!++
      // Values still short of k, in round-robin order so that any prefix is spread over the values.
      const needs: number[] = []
      for (let round = 0; round < k; round++)
        for (let v = 0; v < m; v++) if (have[v]! + round < k) needs.push(v)
      const taken = new Set(forcedEntries[i]!.keys())
      if (taken.size + needs.length > total) {
        issues.push({
          path: ['coverage', 'min_per_category'],
          message: `min_per_category: ${k} for ${c.name} (${m} values) needs at least ${taken.size + needs.length} rows; the dataset has ${total}`,
        })
        return
      }
      const rows = pickRows(total, needs.length, seed, c.name, 'coverage', taken)
      needs.forEach((v, j) => {
        forcedEntries[i]!.set(rows[j]!, v)
      })
    })
  }

  const extras: ColumnExtras[] = columns.map((c, i) => {
    const ex: ColumnExtras = {}
    if (forcedEntries[i]!.size > 0) ex.forced = sparse(forcedEntries[i]!)
    const protectedRows = new Set(forcedEntries[i]!.keys())

    // Edge cases.
    const e = c.spec.edge_cases
    if (e !== undefined) {
      const path = ['columns', c.name, 'edge_cases']
      const pool = edgePool(c.spec)
      const opts = typeof e === 'number' ? { rate: e } : e
      if (pool === undefined) {
        issues.push({ path, message: `${c.spec.type} columns have no edge cases; remove edge_cases` })
      } else {
        const include: number[] = []
        for (const [j, kind] of (opts.include ?? pool.kinds).entries()) {
          const at = pool.kinds.indexOf(kind)
          if (at < 0) {
            issues.push({
              path: [...path, 'include', j],
              message: `unknown edge-case kind ${JSON.stringify(kind)} for a ${c.spec.type} column; expected one of ${pool.kinds.join(', ')}`,
            })
          } else include.push(at)
        }
        const rate = opts.rate ?? 0
        if (opts.mode !== 'all' && opts.rate === undefined) {
          issues.push({ path, message: 'expected a rate (e.g. edge_cases: 0.01) or mode: all' })
        }
        const plan: EdgePlan = { pool, rate, include }
        if (opts.mode === 'all' && include.length > 0) {
          if (protectedRows.size + include.length > total) {
            issues.push({
              path: [...path, 'mode'],
              message: `mode: all needs ${include.length} rows for its edge cases; the dataset has ${total - protectedRows.size} free rows`,
            })
          } else {
            const rows = pickRows(total, include.length, seed, c.name, 'edge-all', protectedRows)
            plan.forced = sparse(new Map(rows.map((r, j) => [r, include[j]!])))
            for (const r of rows) protectedRows.add(r)
          }
        }
        ex.edge = plan
        if (c.kind === 'dict' && pool.dictionary !== undefined)
          dictionaries[i] = [...(dictionaries[i] ?? []), ...pool.dictionary]
      }
    }

    // Missing values.
    const m = parseMissing(c.spec)
    if (m !== undefined) {
      const path = ['columns', c.name, 'missing']
      const plan: MissingPlan = { rate: m.rate ?? 0, when: [] }
      if (m.rate !== undefined && m.count !== undefined)
        issues.push({ path, message: 'give rate or count, not both' })
      if (m.rate === undefined && m.count === undefined)
        issues.push({ path, message: 'expected a rate (e.g. missing: 0.05) or a count' })
      if (m.count !== undefined) {
        if (m.when !== undefined)
          issues.push({ path: [...path, 'when'], message: 'when goes with rate, not with count' })
        const free = total - protectedRows.size
        if (m.count > free) {
          issues.push({
            path: [...path, 'count'],
            message: `count (${m.count}) is more than the ${free} rows that can be missing in a dataset of ${total} rows`,
          })
        } else {
          plan.count = sparse(
            new Map(
              pickRows(total, m.count, seed, c.name, 'missing-count', protectedRows).map((r) => [r, 1]),
            ),
          )
        }
      }
      for (const [other, expected] of Object.entries(m.when ?? {})) {
        if (other === 'self') {
          const cmp = expected as Comparison
          if (
            typeof expected !== 'object' ||
            Array.isArray(expected) ||
            !['gt', 'gte', 'lt', 'lte'].some((op) => op in cmp)
          ) {
            issues.push({
              path: [...path, 'when', 'self'],
              message: 'expected a comparison such as { gt: 100000 } (gt, gte, lt, lte)',
            })
          } else if (!isNumericKind(c.kind)) {
            issues.push({
              path: [...path, 'when', 'self'],
              message: `self comparisons apply to int and float columns; ${c.name} is ${c.spec.type}`,
            })
          } else plan.self = cmp
          continue
        }
        const j = byName.get(other)
        if (j === undefined) {
          issues.push({
            path: [...path, 'when', other],
            message: `no column named ${JSON.stringify(other)}; when names other columns (or self)`,
          })
        } else if (other === c.name) {
          issues.push({
            path: [...path, 'when', other],
            message: 'a column cannot depend on itself by name; use self',
          })
        } else plan.when.push({ column: other, expected })
      }
      if (m.as !== undefined) {
        const as = m.as
        if (c.kind === 'dict') {
          const dict = dictionaries[i] ?? []
          const text = String(as)
          if (categoryValues(c.spec as never).values.includes(text)) {
            issues.push({
              path: [...path, 'as'],
              message: `the sentinel ${JSON.stringify(text)} is one of the column's values; choose another`,
            })
          }
          plan.as = dict.includes(text) ? dict.indexOf(text) : dict.length
          if (!dict.includes(text)) dictionaries[i] = [...dict, text]
        } else if (c.kind === 'utf8') {
          plan.as = String(as)
        } else if (
          typeof as === 'number' &&
          (c.kind === 'float64' ||
            (Number.isInteger(as) && (c.kind === 'int64' || (as >= -2147483648 && as <= 2147483647))))
        ) {
          plan.as = as
        } else {
          // A sentinel the column's type cannot hold: the column is written as text, like dirty data.
          plan.as = String(as)
          ex.text = true
          kinds[i] = 'utf8'
          dictionaries[i] = undefined
        }
      }
      ex.missing = plan
    }
    return ex
  })

  // MAR dependencies must not form a cycle.
  const visiting = new Set<number>()
  const done = new Set<number>()
  const visit = (i: number, trail: string[]): void => {
    if (done.has(i)) return
    if (visiting.has(i)) {
      issues.push({
        path: ['columns', columns[i]!.name, 'missing', 'when'],
        message: `missing values depend on each other in a cycle: ${[...trail, columns[i]!.name].join(' → ')}`,
      })
      return
    }
    visiting.add(i)
    for (const w of extras[i]!.missing?.when ?? []) visit(byName.get(w.column)!, [...trail, columns[i]!.name])
    visiting.delete(i)
    done.add(i)
  }
  for (let i = 0; i < columns.length; i++) visit(i, [])
  return { extras, kinds, dictionaries, pairwise, bins, issues }
}

/** Writes a value in a block's own representation. */
function setValue(block: ColumnBlock, i: number, value: number | string): void {
  ;(block.values as unknown as (number | string)[])[i] = value
}

/** Whether row i of a final block matches an expected value, list or comparison. */
function matcher(block: ColumnBlock, expected: Expected): (i: number) => boolean {
  const text = (i: number): string | number => {
    switch (block.kind) {
      case 'dict':
        return block.dictionary[block.values[i]!]!
      case 'bool':
        return block.values[i] === 1 ? 'true' : 'false'
      case 'date32':
        return formatDate(block.values[i]!)
      case 'timestamp':
        return formatTimestamp(block.values[i]!)
      case 'utf8':
        return block.values[i]!
      case 'json':
        return String(block.values[i])
      default:
        return block.values[i]!
    }
  }
  const present = (i: number) => block.missing?.[i] !== 1 && block.validity?.[i] !== 0
  if (typeof expected === 'object' && !Array.isArray(expected)) {
    const c = expected
    return (i) => {
      if (!present(i)) return false
      const v = Number(text(i))
      return (
        (c.gt === undefined || v > c.gt) &&
        (c.gte === undefined || v >= c.gte) &&
        (c.lt === undefined || v < c.lt) &&
        (c.lte === undefined || v <= c.lte)
      )
    }
  }
  const options = (Array.isArray(expected) ? expected : [expected]).map(String)
  return (i) => present(i) && options.includes(String(text(i)))
}

/** A per-row mask (1 = protected) of the sparse rows in [start, start + length). */
function maskOf(length: number, start: number, ...sets: (SparseRows | undefined)[]): Uint8Array | undefined {
  let mask: Uint8Array | undefined
  for (const s of sets) {
    if (s === undefined) continue
    const [a, b] = range(s, start, start + length)
    if (a === b) continue
    mask ??= new Uint8Array(length)
    for (let j = a; j < b; j++) mask[s.rows[j]! - start] = 1
  }
  return mask
}

export interface ApplyContext {
  seed: number
  column: string
  index: number
  /** Final blocks of the columns that `when` names, for the same block index. */
  other: (column: string) => ColumnBlock
}

/** Applies a column's extras to a freshly generated block (in place), returning the final block. */
export function applyExtras(block: ColumnBlock, ex: ColumnExtras, ctx: ApplyContext): ColumnBlock {
  const length = block.values.length
  const start = ctx.index * BLOCK_ROWS
  if (ex.forced !== undefined) {
    const [a, b] = range(ex.forced, start, start + length)
    for (let j = a; j < b; j++) setValue(block, ex.forced.rows[j]! - start, ex.forced.values[j]!)
  }
  const edge = ex.edge
  if (edge !== undefined) {
    const kinds = new Int8Array(length).fill(-1)
    let any = false
    const guard = maskOf(length, start, ex.forced)
    if (edge.rate > 0 && edge.include.length > 0) {
      const rng = blockRng(ctx.seed, ctx.column, 'edge', ctx.index)
      for (let i = 0; i < length; i++) {
        if (rng.next() >= edge.rate || guard?.[i] === 1) continue
        const kind = edge.include[rng.below(edge.include.length)]!
        setValue(block, i, edge.pool.value(edge.pool.kinds[kind]!, rng))
        kinds[i] = kind
        any = true
      }
    }
    if (edge.forced !== undefined) {
      const rng = blockRng(ctx.seed, ctx.column, 'edge-all', ctx.index)
      const [a, b] = range(edge.forced, start, start + length)
      for (let j = a; j < b; j++) {
        const i = edge.forced.rows[j]! - start
        const kind = edge.forced.values[j]!
        setValue(block, i, edge.pool.value(edge.pool.kinds[kind]!, rng))
        kinds[i] = kind
        any = true
      }
    }
    if (any) block.edge = kinds
  }
  const m = ex.missing
  if (m !== undefined) {
    const missing = new Uint8Array(length)
    let count = 0
    if (m.count !== undefined) {
      const [a, b] = range(m.count, start, start + length)
      for (let j = a; j < b; j++) missing[m.count.rows[j]! - start] = 1
      count = b - a
    } else if (m.rate > 0) {
      const guard = maskOf(length, start, ex.forced, ex.edge?.forced)
      const conditions = m.when.map((w) => matcher(ctx.other(w.column), w.expected))
      if (m.self !== undefined) conditions.push(matcher(block, m.self))
      const rng = blockRng(ctx.seed, ctx.column, 'missing', ctx.index)
      for (let i = 0; i < length; i++) {
        // One draw per row whatever the conditions, so a row's draw never depends on other rows.
        const u = rng.next()
        if (u < m.rate && guard?.[i] !== 1 && conditions.every((c) => c(i))) {
          missing[i] = 1
          count++
        }
      }
    }
    if (count > 0) {
      block.missing = missing
      if (m.as === undefined) block.validity = Uint8Array.from(missing, (x) => 1 - x)
    }
  }
  if (ex.text === true) block = asText(block)
  if (m?.as !== undefined && block.missing !== undefined) {
    for (let i = 0; i < length; i++) if (block.missing[i] === 1) setValue(block, i, m.as)
  }
  return block
}

/** Renders a block's values as text (for columns that carry a string sentinel). */
function asText(block: ColumnBlock): ColumnBlock {
  const n = block.values.length
  const out: string[] = new Array(n)
  for (let i = 0; i < n; i++) {
    switch (block.kind) {
      case 'bool':
        out[i] = block.values[i] === 1 ? 'true' : 'false'
        break
      case 'date32':
        out[i] = formatDate(block.values[i]!)
        break
      case 'timestamp':
        out[i] = formatTimestamp(block.values[i]!)
        break
      case 'float64':
        out[i] = formatFloat(block.values[i]!)
        break
      case 'dict':
        out[i] = block.dictionary[block.values[i]!]!
        break
      default:
        out[i] = String(block.values[i])
    }
  }
  return { kind: 'utf8', values: out, validity: block.validity, missing: block.missing, edge: block.edge }
}
