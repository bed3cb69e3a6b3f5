/**
 * The words the registry's one schema module (`tables.ts`) is written in: tables, columns,
 * keys and indexes described as plain data, with no dialect in them. `emit.ts` turns the
 * description into drizzle table definitions for SQLite and for PostgreSQL, which drizzle-kit
 * reads to write each dialect's migrations.
 */

/** What a column holds. Each dialect maps a kind to one of its column types (see `emit.ts`). */
export type ColumnKind =
  /** A row id the database assigns (SQLite `integer … autoincrement`, PostgreSQL `serial`). */
  | 'id'
  /** A 32-bit integer: a version number, a foreign key to an id. */
  | 'integer'
  /** A count that may pass 2³¹ (bytes, rows): SQLite `integer`, PostgreSQL `bigint`. */
  | 'count'
  | 'float'
  | 'text'
  | 'json'
  | 'boolean'
  /** ISO-8601 UTC text with milliseconds, set by the database when the row is written. */
  | 'timestamp'

export interface ColumnSpec {
  readonly kind: ColumnKind
  /** The SQL name. */
  readonly name: string
  readonly notNull: boolean
  readonly primaryKey: boolean
  readonly unique: boolean
  /** For text columns that take one of a few values. */
  readonly values?: readonly string[]
  /** `table.column` in the keys of `tables`, e.g. `datasets.id`. */
  readonly references?: string
  /** A line of documentation carried into both dialects' files. */
  readonly doc?: string
}

/** A column being described; each method returns a new, changed description. */
export class Column {
  constructor(readonly spec: ColumnSpec) {}
  notNull(): Column {
    return new Column({ ...this.spec, notNull: true })
  }
  primaryKey(): Column {
    return new Column({ ...this.spec, primaryKey: true })
  }
  unique(): Column {
    return new Column({ ...this.spec, unique: true })
  }
  references(target: string): Column {
    return new Column({ ...this.spec, references: target })
  }
  doc(text: string): Column {
    return new Column({ ...this.spec, doc: text })
  }
}

const column = (kind: ColumnKind, name: string, values?: readonly string[]): Column =>
  new Column({ kind, name, notNull: false, primaryKey: false, unique: false, ...(values ? { values } : {}) })

export const id = (name = 'id') => new Column({ ...column('id', name).spec, primaryKey: true, notNull: true })
export const integer = (name: string) => column('integer', name)
export const count = (name: string) => column('count', name)
export const float = (name: string) => column('float', name)
export const text = (name: string, values?: readonly string[]) => column('text', name, values)
export const json = (name: string) => column('json', name)
export const boolean = (name: string) => column('boolean', name)
/** A timestamp the database sets on insert (never null). */
export const createdAt = (name = 'created_at') =>
  new Column({ ...column('timestamp', name).spec, notNull: true })

/** A key or index over columns named by their keys in the table's `columns`. */
export type Extra =
  | { readonly type: 'primaryKey'; readonly columns: readonly string[] }
  | { readonly type: 'index' | 'uniqueIndex'; readonly name: string; readonly columns: readonly string[] }

export const primaryKey = (...columns: string[]): Extra => ({ type: 'primaryKey', columns })
export const index = (name: string, ...columns: string[]): Extra => ({ type: 'index', name, columns })
export const uniqueIndex = (name: string, ...columns: string[]): Extra => ({
  type: 'uniqueIndex',
  name,
  columns,
})

export interface TableSpec {
  /** The SQL name. */
  readonly name: string
  /** Documentation carried into both dialects' files. */
  readonly doc?: string
  readonly columns: Readonly<Record<string, Column>>
  readonly extras: readonly Extra[]
  /** A comment placed before the keys and indexes. */
  readonly extrasNote?: string
}

export function table(
  name: string,
  columns: Record<string, Column>,
  options: { doc?: string; extras?: Extra[]; extrasNote?: string } = {},
): TableSpec {
  return { name, columns, extras: options.extras ?? [], ...options }
}
