/**
 * The PostgreSQL driver of the registry's metadata store (drizzle-orm over node-postgres): the
 * connection and migrations (connect.ts), the tables (schema.ts), and the operations in parts
 * (datasets.ts, models.ts, records.ts, runs.ts), composed here into one `MetadataStore`. Every write is
 * one transaction, so any number of stateless replicas can share one database.
 */
import type { MetadataStore } from '../stores.ts'
import { connect } from './connect.ts'
import { pgContext } from './context.ts'
import { datasetOps } from './datasets.ts'
import { modelOps } from './models.ts'
import { recordOps } from './records.ts'
import { runOps } from './runs.ts'

/** Opens (and migrates) the PostgreSQL metadata store at `url` (postgres://user:password@host:port/db). */
export async function postgresMetadataStore(url: string): Promise<MetadataStore & { ended: Promise<void> }> {
  const { pool, db } = await connect(url)
  const ctx = pgContext(db)
  let ended: Promise<void> | undefined
  const store = {
    ...datasetOps(ctx),
    ...modelOps(ctx),
    ...recordOps(ctx),
    ...runOps(ctx),
    close() {
      ended ??= pool.end().catch(() => {})
    },
    get ended() {
      return ended ?? Promise.resolve()
    },
  }
  return store
}
