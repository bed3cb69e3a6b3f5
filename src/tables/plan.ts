/**
 * Planning a `tables` schema: tables in dependency order (parents and referenced tables first),
 * each planned as a `columns` source whose stream keys are `<table>.<column>` (so a column depends
 * only on its own table, name and spec and on what it names), with its parent's groups for
 * `sequence` and the ref/lookup columns of refs.ts. Problems of every table are reported together.
 *
 * `planTables` is ~135 lines on purpose: one pass over the tables in dependency order, where each
 * step (parents, refs, lookups, sequences) reads what the previous tables planned.
 */
import type { DatasetDef } from '../../schemas/language.ts'
import { plural, withLocation } from '../../schemas/parse.ts'
import { planColumns } from '../columns/plan.ts'
import { type ColumnsSource, columnsSource } from '../columns/source.ts'
import { GoldgenError, type Issue } from '../core/errors.ts'
import type { SourceInfo } from '../engine/source.ts'
import { exprTypeOfKind } from '../expr/blocks.ts'
import { checkCount, childOffsets, groupsOf, rootRows, type TableDef, tableOrder } from './graph.ts'
import { danglingRows, planLookup, planRef, type RefPlan, Tables } from './refs.ts'

/** One ref column, for the integrity report. */
export interface RefInfo {
  column: string
  table: string
  key: string
  parent: boolean
}

export interface PlannedTable {
  name: string
  def: DatasetDef
  rows: number
  source: ColumnsSource
  refs: RefInfo[]
}

export interface TablesPlan {
  def: DatasetDef
  seed: number
  /** In the schema's order. */
  tables: PlannedTable[]
  /** Reads the tables' rows for integrity checks. */
  access: Tables
}

export interface TablesOptions {
  seed?: number | undefined
  rows?: number | undefined
  tags?: boolean | undefined
}

/** The default key of a table: its `id` column, else its one `unique` column. */
function defaultKey(table: TableDef): string | undefined {
  const entries = Object.entries(table.columns)
  const id = entries.filter(([, s]) => s.type === 'id')
  if (id.length === 1) return id[0]![0]
  const unique = entries.filter(([, s]) => (s as { unique?: boolean }).unique === true)
  return unique.length === 1 ? unique[0]![0] : undefined
}

function fail(issues: Issue[], source: SourceInfo): never {
  throw new GoldgenError('SCHEMA_INVALID', `invalid schema (${plural(issues.length, 'problem')})`, {
    file: source.file,
    issues: issues.map((i) => withLocation(i, source.locate ?? (() => undefined))),
  })
}

/** Plans every table of a `tables` schema. Throws SCHEMA_INVALID. */
export function planTables(def: DatasetDef, options: TablesOptions, source: SourceInfo): TablesPlan {
  const tables = def.tables!
  const seed = options.seed ?? def.seed ?? 0
  const issues: Issue[] = []
  const order = tableOrder(tables, issues)
  const roots = rootRows(tables, options.rows, issues)
  for (const [name, t] of Object.entries(tables)) {
    if (t.parent !== undefined) checkCount(t.parent.count, ['tables', name, 'parent', 'count'], issues)
  }
  if (issues.length > 0) fail(issues, source)
  const access = new Tables()
  const planned = new Map<string, PlannedTable>()
  for (const name of order) {
    const table = tables[name]!
    const parent = table.parent
    const offsets =
      parent === undefined
        ? undefined
        : childOffsets(seed, name, parent.count, access.info.get(parent.table)!.total)
    const total = offsets === undefined ? roots.get(name)! : offsets[offsets.length - 1]!
    const groups = offsets === undefined ? undefined : groupsOf(offsets)
    const refs = new Map<string, RefPlan>()
    const refInfo: RefInfo[] = []
    const tableDef: DatasetDef = {
      goldgen: 1,
      name,
      columns: table.columns,
      ...(table.coverage ? { coverage: table.coverage } : {}),
    }
    const path = ['tables', name]
    const before = issues.length
    try {
      const plan = planColumns(tableDef, seed, total, source, {
        path,
        prefix: `${name}.`,
        groups,
        external(column, spec, out) {
          const at = [...path, 'columns', column]
          if (spec.type === 'ref') {
            const target = access.info.get(spec.table)
            if (target === undefined || spec.table === name) {
              if (spec.table === name)
                out.push({
                  code: 'invalid_spec',
                  path: [...at, 'table'],
                  message: 'a ref points to another table',
                })
              return undefined
            }
            const key = spec.column ?? target.key
            if (key === undefined || !target.source.columns.some((c) => c.name === key)) {
              out.push({
                code: 'invalid_spec',
                path: [...at, spec.column === undefined ? 'table' : 'column'],
                message:
                  spec.column === undefined
                    ? `${spec.table} has no id column and no one unique column; name the key with column:`
                    : `${spec.table} has no column ${JSON.stringify(spec.column)}`,
              })
              return undefined
            }
            const toParent = parent?.table === spec.table
            if (toParent && spec.distribution !== undefined) {
              out.push({
                code: 'invalid_spec',
                path: [...at, 'distribution'],
                message:
                  "a ref to the table's parent is the parent row's key; distribution applies to other tables",
              })
            }
            if (target.total === 0 && total > 0) {
              out.push({
                code: 'invalid_spec',
                path: [...at, 'table'],
                message: `${spec.table} has no rows to refer to`,
              })
              return undefined
            }
            const dangling = planDangling(spec.edge_cases, at, out)
            const streamKey = `${name}.${column}`
            const ref = planRef({
              spec,
              key: streamKey,
              target,
              column: key,
              parent: toParent ? groups : undefined,
              total,
              tables: access,
              seed,
              dangling:
                dangling === undefined
                  ? undefined
                  : { rate: dangling.rate, forced: danglingRows(total, seed, streamKey, dangling.all) },
            })
            refs.set(column, ref)
            refInfo.push({ column, table: spec.table, key, parent: toParent })
            return { derived: ref.derived, type: exprTypeOfKind(ref.derived.kind) }
          }
          if (spec.type === 'lookup') {
            const refSpec = table.columns[spec.ref]
            if (refSpec?.type !== 'ref') {
              out.push({
                code: 'invalid_spec',
                path: [...at, 'ref'],
                message: `${JSON.stringify(spec.ref)} is not a ref column of ${name}`,
              })
              return undefined
            }
            // Refs are planned before lookups; a ref with problems has none.
            const ref = refs.get(spec.ref)
            if (ref === undefined) return undefined
            const target = access.info.get(ref.table)!
            if (!target.source.columns.some((c) => c.name === spec.column)) {
              out.push({
                code: 'invalid_spec',
                path: [...at, 'column'],
                message: `${ref.table} has no column ${JSON.stringify(spec.column)}`,
              })
              return undefined
            }
            const derived = planLookup(ref, spec.ref, spec.column, access)
            return { derived, type: exprTypeOfKind(derived.kind) }
          }
          return undefined
        },
      })
      const src = columnsSource(tableDef, plan, options.tags ?? false)
      access.info.set(name, { name, total, source: src, key: defaultKey(table) })
      planned.set(name, { name, def: tableDef, rows: total, source: src, refs: refInfo })
    } catch (e) {
      if (!(e instanceof GoldgenError)) throw e
      issues.push(...e.issues)
      if (issues.length === before) throw e
    }
  }
  if (issues.length > 0) fail(issues, source)
  return { def, seed, tables: Object.keys(tables).map((n) => planned.get(n)!), access }
}

/** A ref's `edge_cases`: `dangling` only. */
function planDangling(
  e: unknown,
  at: (string | number)[],
  issues: Issue[],
): { rate: number; all: boolean } | undefined {
  if (e === undefined) return undefined
  const opts = (typeof e === 'number' ? { rate: e } : e) as {
    rate?: number
    include?: string[]
    mode?: string
  }
  for (const [j, kind] of (opts.include ?? []).entries()) {
    if (kind !== 'dangling') {
      issues.push({
        code: 'invalid_spec',
        path: [...at, 'edge_cases', 'include', j],
        message: `unknown edge-case kind ${JSON.stringify(kind)} for a ref column; expected dangling`,
      })
    }
  }
  if (opts.mode !== 'all' && opts.rate === undefined) {
    issues.push({
      code: 'invalid_spec',
      path: [...at, 'edge_cases'],
      message: 'expected a rate (e.g. edge_cases: 0.01) or mode: all',
    })
  }
  return { rate: opts.rate ?? 0, all: opts.mode === 'all' }
}
