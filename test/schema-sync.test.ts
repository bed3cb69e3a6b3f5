/**
 * The registry's one schema module (registry/schema/tables.ts) is what both dialects' drizzle
 * files were written from (`npm run db:generate`): each written file is exactly what the module
 * gives today; the PostgreSQL tables match the SQLite ones table for table, column for column
 * (name, kind of value, nullability, key, default), with the same foreign keys, composite keys
 * and indexes; and each dialect's migrations match its schema (drizzle-kit's last snapshot
 * lists the same tables and columns).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type PgTable, getTableConfig as pgConfig } from 'drizzle-orm/pg-core'
import { type SQLiteTable, getTableConfig as sqliteConfig } from 'drizzle-orm/sqlite-core'
import { describe, expect, it } from 'vitest'
import * as pgSchema from '../registry/postgres/schema.ts'
import { type Dialect, emitSchema } from '../registry/schema/emit.ts'
import * as sqliteSchema from '../registry/sqlite/schema.ts'
import { formatSchemaSource } from '../scripts/format-schema.mjs'
import { ROOT } from './helpers.ts'

/** The kind of value a column holds, whatever the dialect calls it. */
function kind(c: { columnType: string; dataType: string }): string {
  if (c.dataType === 'json' || c.columnType === 'PgJson') return 'json'
  if (c.dataType === 'boolean') return 'boolean'
  if (c.columnType === 'SQLiteReal' || c.columnType === 'PgDoublePrecision') return 'float'
  if (c.dataType === 'number') return 'integer'
  return c.dataType
}

type Config = ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>

function describeTable(cfg: Config) {
  return {
    name: cfg.name,
    columns: cfg.columns
      .map((c) => ({
        name: c.name,
        kind: kind(c),
        notNull: c.notNull,
        primary: c.primary,
        unique: c.isUnique,
        hasDefault: c.hasDefault,
        enum: c.enumValues ?? null,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: cfg.foreignKeys
      .map((fk) => {
        const r = fk.reference()
        return `${r.columns.map((c) => c.name).join(',')} -> ${r.foreignColumns.map((c) => c.name).join(',')}`
      })
      .sort(),
    primaryKeys: cfg.primaryKeys.map((pk) => pk.columns.map((c) => c.name).join(',')).sort(),
    indexes: cfg.indexes
      .map(
        (i) =>
          `${i.config.name}(${i.config.columns.map((c) => (c as { name: string }).name).join(',')})${i.config.unique ? ' unique' : ''}`,
      )
      .sort(),
  }
}

const tables = <T>(schema: Record<string, unknown>, is: (v: unknown) => v is T) =>
  Object.values(schema).filter(is)

const sqliteTables = tables(
  sqliteSchema,
  (v): v is SQLiteTable => typeof v === 'object' && v !== null && 'getSQL' in v,
)
const pgTables = tables(pgSchema, (v): v is PgTable => typeof v === 'object' && v !== null && 'getSQL' in v)

describe('one schema in two dialects', () => {
  it.each(['sqlite', 'postgres'] satisfies Dialect[])(
    'writes registry/%s/schema.ts from registry/schema/tables.ts (run `npm run db:generate` after editing it)',
    (dialect) => {
      const file = join(ROOT, 'registry', dialect, 'schema.ts')
      const written = formatSchemaSource(emitSchema(dialect), file)
      expect(readFileSync(file, 'utf8')).toBe(written)
    },
  )

  it('has the same tables, columns, keys and indexes in SQLite and PostgreSQL', () => {
    const a = sqliteTables
      .map((t) => describeTable(sqliteConfig(t)))
      .sort((x, y) => x.name.localeCompare(y.name))
    const b = pgTables.map((t) => describeTable(pgConfig(t))).sort((x, y) => x.name.localeCompare(y.name))
    expect(a.length).toBeGreaterThan(10)
    expect(b).toEqual(a)
  })

  it("has migrations whose last snapshot matches each dialect's schema", () => {
    for (const [folder, names] of [
      ['registry/migrations', sqliteTables.map((t) => sqliteConfig(t))],
      ['registry/postgres/migrations', pgTables.map((t) => pgConfig(t))],
    ] as const) {
      const meta = join(ROOT, folder, 'meta')
      const last = readdirSync(meta)
        .filter((f) => f.endsWith('_snapshot.json'))
        .sort()
        .at(-1)!
      const snapshot = JSON.parse(readFileSync(join(meta, last), 'utf8')) as {
        tables: Record<string, { name: string; columns: Record<string, unknown> }>
      }
      const fromSnapshot = Object.values(snapshot.tables)
        .map((t) => `${t.name}: ${Object.keys(t.columns).sort().join(',')}`)
        .sort()
      const fromSchema = names
        .map(
          (c) =>
            `${c.name}: ${c.columns
              .map((x) => x.name)
              .sort()
              .join(',')}`,
        )
        .sort()
      expect(fromSnapshot, folder).toEqual(fromSchema)
    }
  })
})
