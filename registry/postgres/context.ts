/**
 * What the PostgreSQL store's parts share: the drizzle handle, transactions, and the version
 * look-ups every part needs (by id, by number, latest), each usable inside a transaction.
 */
import { eq, sql } from 'drizzle-orm'
import type { VersionRecord } from '../stores.ts'
import type { PgDb } from './connect.ts'
import * as t from './schema.ts'

/** A drizzle handle: the pool's, or a transaction's. */
export type Q = Pick<PgDb, 'select' | 'insert' | 'update' | 'delete' | 'execute'>

export interface PgContext {
  db: PgDb
  /** Runs `f` in a transaction (READ COMMITTED; writers of one dataset queue on its row lock). */
  tx<T>(f: (q: Q) => Promise<T>): Promise<T>
  versions(q?: Q): ReturnType<typeof selectVersions>
  versionById(id: number, q?: Q): Promise<VersionRecord | undefined>
  datasetId(name: string, q?: Q): Promise<number | undefined>
  /** Creates the dataset row if needed and locks it until the transaction ends. */
  lockDataset(q: Q, name: string): Promise<number>
}

const versionColumns = {
  id: t.datasetVersions.id,
  dataset: t.datasets.name,
  version: t.datasetVersions.version,
  sha256: t.datasetVersions.sha256,
  format: t.datasetVersions.format,
  rows: t.datasetVersions.rows,
  recipe: t.datasetVersions.recipe,
  manifestSha256: t.datasetVersions.manifestSha256,
  createdAt: t.datasetVersions.createdAt,
  createdBy: t.datasetVersions.createdBy,
}

function selectVersions(q: Q) {
  return q
    .select(versionColumns)
    .from(t.datasetVersions)
    .innerJoin(t.datasets, eq(t.datasets.id, t.datasetVersions.datasetId))
}

export function pgContext(db: PgDb): PgContext {
  return {
    db,
    tx: (f) => db.transaction((q) => f(q)),
    versions: (q = db) => selectVersions(q),
    async versionById(id, q = db) {
      const [row] = await selectVersions(q).where(eq(t.datasetVersions.id, id))
      return row
    },
    async datasetId(name, q = db) {
      const [row] = await q.select({ id: t.datasets.id }).from(t.datasets).where(eq(t.datasets.name, name))
      return row?.id
    },
    async lockDataset(q, name) {
      await q.insert(t.datasets).values({ name }).onConflictDoNothing()
      const { rows } = await q.execute<{ id: number }>(
        sql`select id from ${t.datasets} where ${t.datasets.name} = ${name} for update`,
      )
      return Number(rows[0]!.id)
    },
  }
}
