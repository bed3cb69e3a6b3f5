/**
 * Missing values: MCAR at a rate, an exact `count` of rows, MAR (`when` on other columns), MNAR
 * (`when: { self: … }`), and sentinels (`as`) written instead of nulls. A sentinel the column's
 * type cannot hold turns the column into text, as dirty data does.
 */
import { categoryValues } from '../../generators/category.ts'
import type { ColumnDef } from '../../schemas/language.ts'
import type { BlockKind, ColumnBlock } from '../core/blocks.ts'
import { BLOCK_ROWS, blockRng } from '../core/random.ts'
import { formatDate, formatFloat, formatTimestamp } from '../core/text.ts'
import { numericResult, vecOfBlock } from '../expr/blocks.ts'
import type { ExprType } from '../expr/check.ts'
import { type CompiledExpr, compileExpr } from '../expr/compile.ts'
import { ExprError } from '../expr/parse.ts'
import { maskOf, pickRows, range, type SparseRows, setValue, sparse } from './placement.ts'
import { type ApplyContext, type FeatureColumn, type FeatureIssue, isNumericKind } from './types.ts'
import { type Comparison, type Expected, matcher, planWhen } from './when.ts'

export interface MissingPlan {
  rate: number
  /** `rate: { expr }`: a rate computed per row (clamped to [0, 1]), and the types of the columns it reads. */
  rateExpr?: CompiledExpr
  rateTypes?: Record<string, ExprType>
  /** Exact positions (for `count`). */
  count?: SparseRows
  /** MAR: the other columns' values that select the rows that may be missing (all must hold). */
  when: { column: string; expected: Expected }[]
  /** MNAR: a comparison on the value that would have been there. */
  self?: Comparison
  /** A sentinel written instead of a null (block representation: a number, a string, or a dictionary index). */
  as?: number | string
}

type MissingSpec = {
  rate?: number | { expr: string }
  count?: number
  when?: Record<string, Expected>
  as?: string | number
}

function parseMissing(spec: ColumnDef): MissingSpec | undefined {
  const m = spec.missing
  if (m === undefined) return undefined
  return typeof m === 'number' ? { rate: m } : (m as MissingSpec)
}

interface MissingInput {
  column: FeatureColumn
  seed: number
  total: number
  /** Rows other features hold (coverage, `mode: all` edge cases): never missing. */
  protectedRows: Set<number>
  known: (name: string) => boolean
  /** Expression type of another column (for `rate: { expr }`). */
  typeOf?: ((name: string) => ExprType | undefined) | undefined
}

/** The missing-values plan of a column, and how the column is written after its sentinel. */
export interface PlannedMissing {
  plan: MissingPlan
  kind: BlockKind
  dictionary: readonly string[] | undefined
  /** The column is written as text (a string sentinel in a non-text column). */
  text: boolean
}

/** Plans a column's missing values; undefined when it has none. */
export function planMissing(input: MissingInput, issues: FeatureIssue[]): PlannedMissing | undefined {
  const { column: c, seed, total, protectedRows } = input
  const m = parseMissing(c.spec)
  if (m === undefined) return undefined
  const path = ['columns', c.name, 'missing']
  const plan: MissingPlan = { rate: typeof m.rate === 'object' ? 1 : (m.rate ?? 0), when: [] }
  if (typeof m.rate === 'object')
    planRateExpr(m.rate.expr, c.name, input, plan, [...path, 'rate', 'expr'], issues)
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
      const rows = pickRows(total, m.count, seed, c.key ?? c.name, 'missing-count', protectedRows)
      plan.count = sparse(new Map(rows.map((r) => [r, 1])))
    }
  }
  const when = planWhen(
    { name: c.name, type: c.spec.type, numeric: isNumericKind(c.kind) },
    m.when ?? {},
    input.known,
    [...path, 'when'],
    issues,
  )
  plan.when = when.when
  if (when.self !== undefined) plan.self = when.self
  const out: PlannedMissing = { plan, kind: c.kind, dictionary: c.dictionary, text: false }
  if (m.as !== undefined) planSentinel(c, m.as, out, [...path, 'as'], issues)
  return out
}

/** Compiles `rate: { expr }` (a number per row, from other columns). */
function planRateExpr(
  text: string,
  name: string,
  input: MissingInput,
  plan: MissingPlan,
  path: (string | number)[],
  issues: FeatureIssue[],
): void {
  const typeOf = (n: string) => (n === name || !input.known(n) ? undefined : input.typeOf?.(n))
  try {
    const compiled = compileExpr(text, typeOf)
    if (compiled.type !== 'number' && compiled.type !== 'null') {
      issues.push({
        path,
        message: `the expression gives a ${compiled.type}; a rate needs a number (in ${JSON.stringify(text)})`,
      })
      return
    }
    plan.rateExpr = compiled
    plan.rateTypes = Object.fromEntries(compiled.columns.map((c) => [c, typeOf(c) ?? 'number']))
  } catch (e) {
    if (!(e instanceof ExprError)) throw e
    issues.push({
      path,
      message: `${e.message}, at character ${e.pos + 1} of the expression ${JSON.stringify(text)}`,
    })
  }
}

/** Where a sentinel goes: a dictionary entry, a string, a number, or (when the type cannot hold it) text. */
function planSentinel(
  c: FeatureColumn,
  as: string | number,
  out: PlannedMissing,
  path: (string | number)[],
  issues: FeatureIssue[],
): void {
  if (c.kind === 'dict') {
    const dict = out.dictionary ?? []
    const text = String(as)
    if (categoryValues(c.spec as never).values.includes(text)) {
      issues.push({
        path,
        message: `the sentinel ${JSON.stringify(text)} is one of the column's values; choose another`,
      })
    }
    out.plan.as = dict.includes(text) ? dict.indexOf(text) : dict.length
    if (!dict.includes(text)) out.dictionary = [...dict, text]
  } else if (c.kind === 'utf8') {
    out.plan.as = String(as)
  } else if (
    typeof as === 'number' &&
    (c.kind === 'float64' ||
      (Number.isInteger(as) && (c.kind === 'int64' || (as >= -2147483648 && as <= 2147483647))))
  ) {
    out.plan.as = as
  } else {
    // A sentinel the column's type cannot hold: the column is written as text, like dirty data.
    out.plan.as = String(as)
    out.text = true
    out.kind = 'utf8'
    out.dictionary = undefined
  }
}

/** Marks a block's missing rows (in place), skipping `guarded` rows. Sentinels are written by `writeSentinels`. */
export function applyMissing(
  block: ColumnBlock,
  m: MissingPlan,
  guarded: (SparseRows | undefined)[],
  ctx: ApplyContext,
): void {
  const length = block.values.length
  const start = ctx.index * BLOCK_ROWS
  const missing = new Uint8Array(length)
  let count = 0
  if (m.count !== undefined) {
    const [a, b] = range(m.count, start, start + length)
    for (let j = a; j < b; j++) missing[m.count.rows[j]! - start] = 1
    count = b - a
  } else if (m.rate > 0) {
    const guard = maskOf(length, start, ...guarded)
    const conditions = m.when.map((w) => matcher(ctx.other(w.column), w.expected))
    if (m.self !== undefined) conditions.push(matcher(block, m.self))
    const rng = blockRng(ctx.seed, ctx.column, 'missing', ctx.index)
    const rates = m.rateExpr === undefined ? undefined : rowRates(m, ctx, length)
    for (let i = 0; i < length; i++) {
      // One draw per row whatever the conditions, so a row's draw never depends on other rows.
      const u = rng.next()
      if (
        u < (rates === undefined ? m.rate : rates[i]!) &&
        guard?.[i] !== 1 &&
        conditions.every((c) => c(i))
      ) {
        missing[i] = 1
        count++
      }
    }
  }
  if (count > 0) {
    block.missing = missing
    if (m.as === undefined) {
      const before = block.validity
      block.validity = Uint8Array.from(missing, (x, i) => (1 - x) & (before?.[i] ?? 1))
    }
  }
}

/** Per-row rates of `rate: { expr }` (null or NaN: 0). */
function rowRates(m: MissingPlan, ctx: ApplyContext, length: number): Float64Array {
  const compiled = m.rateExpr!
  const vecs = new Map(compiled.columns.map((c) => [c, vecOfBlock(ctx.other(c), m.rateTypes![c]!)]))
  const { values, valid } = numericResult(compiled.evaluate({ length, column: (c) => vecs.get(c)! }), length)
  for (let i = 0; i < length; i++) {
    const r = values[i]!
    values[i] = valid?.[i] === 0 || Number.isNaN(r) ? 0 : Math.min(1, Math.max(0, r))
  }
  return values
}

/** Writes the sentinel into a final block's missing rows (in place). */
export function writeSentinels(block: ColumnBlock, as: number | string): void {
  if (block.missing === undefined) return
  for (let i = 0; i < block.values.length; i++) if (block.missing[i] === 1) setValue(block, i, as)
}

/** Renders a block's values as text (for columns that carry a string sentinel). */
export function asText(block: ColumnBlock): ColumnBlock {
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
