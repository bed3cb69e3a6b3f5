/**
 * The shape of a `tables` schema: the order tables are planned in (a table after its parent and
 * the tables it refers to; cycles are errors), root tables' row counts (`--rows` scales them),
 * each child table's rows per parent row (drawn per parent row from the child's own stream
 * "parent-count") and the groups they make: a child's rows are grouped by parent, in the parent's
 * row order.
 */
import { checkNumeric, createFill, type NumericSpec } from '../../generators/distributions.ts'
import type { DatasetDef } from '../../schemas/language.ts'
import type { Groups } from '../columns/derived.ts'
import type { Issue } from '../core/errors.ts'
import { BLOCK_ROWS, blockRng } from '../core/random.ts'

export type TableDef = NonNullable<DatasetDef['tables']>[string]
type CountDef = NonNullable<TableDef['parent']>['count']

/** The tables a table needs first: its parent and the tables its refs point to. */
export function needs(table: TableDef): string[] {
  const out = new Set<string>()
  if (table.parent !== undefined) out.add(table.parent.table)
  for (const spec of Object.values(table.columns)) if (spec.type === 'ref') out.add(spec.table)
  return [...out]
}

/** Tables in planning order; unknown tables and cycles go to `issues`. */
export function tableOrder(tables: Record<string, TableDef>, issues: Issue[]): string[] {
  const order: string[] = []
  const state = new Map<string, 'open' | 'done'>()
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return
    if (state.get(name) === 'open') {
      issues.push({
        code: 'cycle',
        path: ['tables', name],
        message: `tables depend on each other in a cycle (parents and refs): ${[...trail.slice(trail.indexOf(name)), name].join(' → ')}`,
      })
      return
    }
    state.set(name, 'open')
    const table = tables[name]!
    if (table.parent !== undefined && tables[table.parent.table] === undefined) {
      issues.push({
        code: 'invalid_spec',
        path: ['tables', name, 'parent', 'table'],
        message: `no table named ${JSON.stringify(table.parent.table)}; expected one of ${Object.keys(tables).join(', ')}`,
      })
    }
    for (const [column, spec] of Object.entries(table.columns)) {
      if (spec.type === 'ref' && tables[spec.table] === undefined) {
        issues.push({
          code: 'invalid_spec',
          path: ['tables', name, 'columns', column, 'table'],
          message: `no table named ${JSON.stringify(spec.table)}; expected one of ${Object.keys(tables).join(', ')}`,
        })
      }
    }
    for (const next of needs(table)) if (tables[next] !== undefined) visit(next, [...trail, name])
    state.set(name, 'done')
    order.push(name)
  }
  for (const name of Object.keys(tables)) visit(name, [])
  return order
}

/**
 * Root tables' rows: as the schema says, or with `--rows N` the first root table gets N rows and
 * every other root table keeps its ratio to it (rounded; at least 1 when it had any).
 */
export function rootRows(
  tables: Record<string, TableDef>,
  rows: number | undefined,
  issues: Issue[],
): Map<string, number> {
  const out = new Map<string, number>()
  const roots = Object.entries(tables).filter(([, t]) => t.parent === undefined)
  for (const [name, t] of Object.entries(tables)) {
    if (t.parent === undefined && t.rows === undefined)
      issues.push({
        code: 'invalid_spec',
        path: ['tables', name],
        message: 'a table needs rows (a root table) or parent',
      })
    if (t.parent !== undefined && t.rows !== undefined)
      issues.push({
        code: 'invalid_spec',
        path: ['tables', name, 'rows'],
        message: 'a child table has as many rows as its parent rows make (parent.count); remove rows',
      })
  }
  if (roots.length === 0) {
    issues.push({
      code: 'invalid_spec',
      path: ['tables'],
      message: 'expected at least one root table (with rows, no parent)',
    })
  }
  const base = roots[0]?.[1].rows ?? 0
  for (const [name, t] of roots) {
    const n = t.rows ?? 0
    out.set(
      name,
      rows === undefined ? n : base === 0 ? rows : n === 0 ? 0 : Math.max(1, Math.round((n * rows) / base)),
    )
  }
  return out
}

/** The sampler spec of a count distribution. */
function countSpec(count: Exclude<CountDef, number>): NumericSpec {
  if (count.poisson !== undefined) return { min: 0, distribution: { poisson: count.poisson } }
  if (count.uniform !== undefined) return { min: count.uniform.min, max: count.uniform.max }
  if (count.histogram !== undefined) return { min: 0, distribution: { histogram: count.histogram } }
  return { min: 0, distribution: { zipf: count.zipf! } }
}

/** Checks a count; problems go to `issues` with the table's path. */
export function checkCount(count: CountDef, path: (string | number)[], issues: Issue[]): boolean {
  if (typeof count === 'number') return true
  const problems = checkNumeric(countSpec(count), true)
  for (const p of problems)
    issues.push({ code: 'invalid_spec', path: [...path, ...p.path], message: p.message })
  return problems.length === 0
}

/**
 * Where each parent row's children start: `offsets[p]` … `offsets[p + 1]` are the child rows of
 * parent row p (so `offsets[parentRows]` is the child table's row count).
 */
export function childOffsets(seed: number, table: string, count: CountDef, parentRows: number): Float64Array {
  const offsets = new Float64Array(parentRows + 1)
  if (typeof count === 'number') {
    for (let p = 0; p <= parentRows; p++) offsets[p] = p * count
    return offsets
  }
  const fill = createFill(countSpec(count), true)
  let at = 0
  for (let b = 0; b * BLOCK_ROWS < parentRows; b++) {
    const n = Math.min(BLOCK_ROWS, parentRows - b * BLOCK_ROWS)
    const counts = new Int32Array(n)
    fill(counts, blockRng(seed, table, 'parent-count', b))
    for (let i = 0; i < n; i++) {
      offsets[b * BLOCK_ROWS + i] = at
      at += Math.max(0, counts[i]!)
    }
  }
  offsets[parentRows] = at
  return offsets
}

/** The groups of a child table: row r belongs to the parent row p with offsets[p] ≤ r < offsets[p + 1]. */
export function groupsOf(offsets: Float64Array): Groups {
  const parents = offsets.length - 1
  return {
    block(index, length) {
      const start = index * BLOCK_ROWS
      // The last parent whose children start at or before `start`.
      let lo = 0
      let hi = parents - 1
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1
        if (offsets[mid]! <= start) lo = mid
        else hi = mid - 1
      }
      const group = new Float64Array(length)
      const first = new Uint8Array(length)
      let p = lo
      for (let i = 0; i < length; i++) {
        const r = start + i
        while (offsets[p + 1]! <= r) p++
        group[i] = p
        if (offsets[p] === r) first[i] = 1
      }
      return { group, first }
    },
  }
}
