/**
 * The SQLite driver of the registry's metadata store (drizzle-orm over better-sqlite3): the
 * connection and migrations (connect.ts), the tables (schema.ts), and the store's operations in
 * parts by domain, composed here into one `MetadataStore`.
 */
import type { MetadataStore } from '../stores.ts'
import { accessOps } from './access.ts'
import { aliasOps } from './aliases.ts'
import { blobOps } from './blobs.ts'
import { connect } from './connect.ts'
import { sqliteContext } from './context.ts'
import { datasetOps } from './datasets.ts'
import { expectationOps } from './expectations.ts'
import { ledgerOps } from './ledger.ts'
import { modelOps } from './models.ts'
import { runOps } from './runs.ts'

/** Opens (creating and migrating) the SQLite metadata store at `file`. */
export async function sqliteMetadataStore(file: string): Promise<MetadataStore> {
  const { sqlite, db } = await connect(file)
  const ctx = sqliteContext(sqlite, db)
  return {
    ...datasetOps(ctx),
    ...aliasOps(ctx),
    ...modelOps(ctx),
    ...expectationOps(ctx),
    ...blobOps(ctx),
    ...accessOps(ctx),
    ...ledgerOps(ctx),
    ...runOps(ctx),
    close() {
      sqlite.close()
    },
  }
}
