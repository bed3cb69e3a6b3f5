/** The SQLite store's privacy ledger (one row per private release) and its integrity check. */
import { eq } from 'drizzle-orm'
import type { LedgerEntry, MetadataStore } from '../stores.ts'
import type { SqliteContext } from './context.ts'
import * as t from './schema.ts'

type LedgerOps = Pick<MetadataStore, 'recordPrivacy' | 'privacyLedger' | 'integrityCheck'>

export function ledgerOps({ sqlite, db }: SqliteContext): LedgerOps {
  return {
    async recordPrivacy(entry) {
      const result = db.insert(t.privacyLedger).values(entry).onConflictDoNothing().run()
      return result.changes > 0
    },
    async privacyLedger(sourceSha256) {
      const rows = db
        .select()
        .from(t.privacyLedger)
        .where(sourceSha256 === undefined ? undefined : eq(t.privacyLedger.sourceSha256, sourceSha256))
        .orderBy(t.privacyLedger.id)
        .all()
      return rows.map(({ id: _id, ...row }) => row as LedgerEntry & { at: string })
    },
    async integrityCheck() {
      return String(sqlite.pragma('integrity_check', { simple: true }))
    },
  }
}
