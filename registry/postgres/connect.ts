/**
 * Opening the PostgreSQL metadata database (node-postgres pool) and the migration runner:
 * drizzle's migrations from registry/postgres/migrations, applied under a PostgreSQL advisory
 * lock so that several replicas starting together apply each one once. `pg` and drizzle's
 * PostgreSQL modules load only here. Errors name the URL without its password.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { NodePgDatabase } from 'drizzle-orm/node-postgres'
import type { Pool } from 'pg'
import { GoldgenError } from '../../src/core/errors.ts'
import { PACKAGE_ROOT } from '../../src/core/version.ts'
import { redactUrl } from '../redact.ts'
import * as t from './schema.ts'

const MIGRATIONS = join(PACKAGE_ROOT, 'registry', 'postgres', 'migrations')
/** The advisory lock key the migration runner holds (any fixed 64-bit number; "goldgen" in ASCII). */
const MIGRATION_LOCK = 0x676f6c6467656en

export type PgDb = NodePgDatabase<typeof t>

/** The reason an error from node-postgres gives, in a sentence (the bare cause, no stack). */
function reason(e: unknown): string {
  const err = e as { code?: string; message?: string; errors?: { message?: string }[] }
  if (err.errors?.length) return err.errors.map((x) => x.message).join('; ')
  return err.message || err.code || String(e)
}

/** Opens a pool on `url`, checks that it answers, and brings the tables up to date. */
export async function connect(url: string): Promise<{ pool: Pool; db: PgDb }> {
  const { default: pg } = await import('pg')
  const { drizzle } = await import('drizzle-orm/node-postgres')
  const shown = redactUrl(url)
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 10_000, max: 10 })
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {})
  let client: import('pg').PoolClient
  try {
    client = await pool.connect()
  } catch (e) {
    await pool.end().catch(() => {})
    throw new GoldgenError('IO', `cannot connect to the registry database ${shown}: ${reason(e)}`, {
      cause: e,
    })
  }
  try {
    if (!existsSync(MIGRATIONS))
      throw new GoldgenError('INTERNAL', `registry migrations are missing at ${MIGRATIONS}`)
    const { migrate } = await import('drizzle-orm/node-postgres/migrator')
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK.toString()])
    try {
      await migrate(drizzle(client, { schema: t }), { migrationsFolder: MIGRATIONS })
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()])
    }
  } catch (e) {
    client.release()
    await pool.end().catch(() => {})
    if (e instanceof GoldgenError) throw e
    throw new GoldgenError('IO', `cannot migrate the registry database ${shown}: ${reason(e)}`, { cause: e })
  }
  client.release()
  return { pool, db: drizzle(pool, { schema: t }) }
}
