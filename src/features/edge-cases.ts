/**
 * Edge cases: boundary and hostile values from the column type's pool (edge-pools.ts) mixed in,
 * at a rate drawn from the column's own "edge" stream per block, or once per kind (`mode: all`)
 * at rows placed over the full dataset. Each placed row is marked with its kind (`block.edge`).
 */
import type { ColumnBlock } from '../core/blocks.ts'
import { BLOCK_ROWS, blockRng } from '../core/random.ts'
import { type EdgePool, edgePool } from './edge-pools.ts'
import { maskOf, pickRows, range, type SparseRows, setValue, sparse } from './placement.ts'
import type { ApplyContext, FeatureColumn, FeatureIssue } from './types.ts'

export interface EdgePlan {
  pool: EdgePool
  rate: number
  /** Pool-kind indices used for rate-based edge cases. */
  include: number[]
  /** `mode: all`: one row per included kind (values = kind index). */
  forced?: SparseRows
}

interface EdgeInput {
  column: FeatureColumn
  seed: number
  total: number
  /** Rows other features hold (coverage); `mode: all` rows are added to it. */
  protectedRows: Set<number>
}

/** Plans a column's edge cases; undefined when it has none (or they are invalid: see `issues`). */
export function planEdgeCases(
  { column: c, seed, total, protectedRows }: EdgeInput,
  issues: FeatureIssue[],
): EdgePlan | undefined {
  const e = c.spec.edge_cases
  if (e === undefined) return undefined
  const path = ['columns', c.name, 'edge_cases']
  const pool = edgePool(c.spec)
  const opts = typeof e === 'number' ? { rate: e } : e
  if (pool === undefined) {
    issues.push({ path, message: `${c.spec.type} columns have no edge cases; remove edge_cases` })
    return undefined
  }
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
      const rows = pickRows(total, include.length, seed, c.key ?? c.name, 'edge-all', protectedRows)
      plan.forced = sparse(new Map(rows.map((r, j) => [r, include[j]!])))
      for (const r of rows) protectedRows.add(r)
    }
  }
  return plan
}

/** Places a column's edge cases in a block (in place), skipping `guarded` rows (coverage). */
export function applyEdgeCases(
  block: ColumnBlock,
  edge: EdgePlan,
  guarded: SparseRows | undefined,
  ctx: ApplyContext,
): void {
  const length = block.values.length
  const start = ctx.index * BLOCK_ROWS
  const kinds = new Int8Array(length).fill(-1)
  let any = false
  const guard = maskOf(length, start, guarded)
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
