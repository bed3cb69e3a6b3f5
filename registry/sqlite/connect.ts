/**
 * Opening the SQLite database (WAL, busy timeout, foreign keys, full sync) and the migration
 * runner: drizzle's migrations from registry/migrations, applied on open, retried while another
 * process applies the same ones. better-sqlite3 and drizzle's SQLite modules load only here.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { GoldgenError } from '../../src/core/errors.ts'
import { PACKAGE_ROOT } from '../../src/core/version.ts'
import * as t from './schema.ts'

const MIGRATIONS = join(PACKAGE_ROOT, 'registry', 'migrations')
const require = createRequire(import.meta.url)

export type Db = BetterSQLite3Database<typeof t>

/** Opens the database file (creating it) and brings its tables up to date. */
export async function connect(file: string): Promise<{ sqlite: import('better-sqlite3').Database; db: Db }> {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3')
  const { drizzle } = await import('drizzle-orm/better-sqlite3')
  let sqlite: import('better-sqlite3').Database
  try {
    sqlite = new Database(file)
  } catch (e) {
    throw new GoldgenError('IO', `cannot open the registry database ${file}: ${(e as Error).message}`, {
      cause: e,
    })
  }
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('busy_timeout = 30000')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('synchronous = FULL')
  const db = drizzle(sqlite, { schema: t })
  await migrateDb(db)
  return { sqlite, db }
}

/** Applies the migrations that the database has not seen yet. */
async function migrateDb(db: Db): Promise<void> {
  const { migrate } = await import('drizzle-orm/better-sqlite3/migrator')
  if (!existsSync(MIGRATIONS))
    throw new GoldgenError('INTERNAL', `registry migrations are missing at ${MIGRATIONS}`)
  for (let attempt = 0; ; attempt++) {
    try {
      migrate(db, { migrationsFolder: MIGRATIONS })
      break
    } catch (e) {
      // Another process may be applying the same migrations right now; it wins, we re-check.
      if (attempt >= 5)
        throw new GoldgenError('IO', `cannot migrate the registry database: ${(e as Error).message}`, {
          cause: e,
        })
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)))
    }
  }
}
