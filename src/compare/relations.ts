/**
 * How the files of a table set relate, found from their cells alone: each table's key (a column
 * without nulls whose values are all distinct, preferring `id` and `<table>_id`), foreign keys (a
 * column named like another table's key, or holding text, whose values all appear in that key;
 * the first one of a table is its parent) and lookups (a column that always equals a column of the
 * row its foreign key points to). `goldgen infer a.csv b.csv …` writes them into a `tables` schema;
 * `goldgen compare` checks that a synthetic set keeps the ones its real set has.
 */
import { basename, extname } from 'node:path'

/** One file's cells as text (null: missing), row by row. */
export interface CellTable {
  name: string
  names: string[]
  rows: (string | null)[][]
}

export interface FoundRef {
  table: string
  column: string
  /** The referenced table and its key column. */
  target: string
  key: string
  /** The table's first foreign key: its parent. */
  parent: boolean
}

export interface FoundLookup {
  table: string
  column: string
  /** The foreign key column of `table` it goes through. */
  via: string
  /** The referenced table and the column there it equals. */
  target: string
  from: string
}

export interface Relations {
  keys: Record<string, string>
  refs: FoundRef[]
  lookups: FoundLookup[]
}

/** A file's table name: its name without the extension, as a schema key. */
export const tableName = (file: string): string =>
  basename(file, extname(file))
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .replace(/^[^A-Za-z_]/, '_$&')

/** The column whose values are distinct and never missing, preferring `id`, `<table>_id`. */
export function keyOf(t: CellTable): string | undefined {
  const unique = t.names.filter((_, c) => {
    const seen = new Set<string>()
    for (const r of t.rows) {
      const v = r[c]
      if (v === null || v === undefined || seen.has(v)) return false
      seen.add(v)
    }
    return t.rows.length > 0
  })
  const singular = t.name.replace(/s$/, '')
  return unique.find((n) => n === 'id' || n === `${t.name}_id` || n === `${singular}_id`) ?? unique[0]
}

/** The cells of one column (null where the column is missing). */
export const valuesOf = (t: CellTable, column: string): (string | null)[] => {
  const c = t.names.indexOf(column)
  return t.rows.map((r) => (c < 0 ? null : (r[c] ?? null)))
}

/** The keys, foreign keys and lookups of a set of tables. */
export function findRelations(tables: CellTable[]): Relations {
  const keys: Record<string, string> = {}
  const keySets = new Map<string, Set<string>>()
  for (const t of tables) {
    const key = keyOf(t)
    if (key === undefined) continue
    keys[t.name] = key
    keySets.set(t.name, new Set(valuesOf(t, key) as string[]))
  }
  const refs: FoundRef[] = []
  const lookups: FoundLookup[] = []
  for (const t of tables) {
    const kinds = new Map<string, 'ref' | 'lookup'>()
    let hasParent = false
    for (const column of t.names) {
      if (column === keys[t.name]) continue
      const values = valuesOf(t, column).filter((v): v is string => v !== null)
      if (values.length === 0) continue
      // A foreign key is named like the key (or its table), or holds text keys: small numbers
      // (quantities, ratings) fall inside any id range by chance.
      const named = (o: CellTable) =>
        column === keys[o.name] ||
        column.includes(o.name.replace(/s$/, '')) ||
        values.some((v) => !/^-?\d+(\.\d+)?$/.test(v))
      const target = tables.find(
        (o) =>
          o !== t &&
          keys[o.name] !== undefined &&
          named(o) &&
          values.every((v) => keySets.get(o.name)!.has(v)),
      )
      if (target === undefined) continue
      const key = keys[target.name]!
      refs.push({ table: t.name, column, target: target.name, key, parent: !hasParent })
      hasParent = true
      kinds.set(column, 'ref')
      // Lookups: columns of this table that always equal a column of the referenced row.
      const rowOf = new Map(valuesOf(target, key).map((k, i) => [k, target.rows[i]!]))
      const refValues = valuesOf(t, column)
      for (const other of t.names) {
        if (other === column || other === keys[t.name] || kinds.get(other) === 'ref') continue
        const mine = valuesOf(t, other)
        const from = target.names.find(
          (theirs, c) =>
            theirs !== key &&
            refValues.every((k, i) => k === null || (rowOf.get(k)?.[c] ?? null) === mine[i]),
        )
        if (from !== undefined && kinds.get(other) !== 'lookup') {
          kinds.set(other, 'lookup')
          lookups.push({ table: t.name, column: other, via: column, target: target.name, from })
        }
      }
    }
  }
  return { keys, refs, lookups }
}
