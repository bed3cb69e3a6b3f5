/**
 * The PostgreSQL store's other records: representations and the blobs rows point at, API
 * tokens, the audit log, the privacy ledger, and the integrity check.
 */
import { asc, eq, sql } from 'drizzle-orm'
import type { LedgerEntry, MetadataStore } from '../stores.ts'
import type { PgContext } from './context.ts'
import * as t from './schema.ts'

type RecordOps = Pick<
  MetadataStore,
  | 'getRepresentation'
  | 'addRepresentation'
  | 'referencedBlobs'
  | 'forgetBlob'
  | 'addToken'
  | 'findToken'
  | 'audit'
  | 'auditLog'
  | 'recordPrivacy'
  | 'privacyLedger'
  | 'integrityCheck'
>

export function recordOps({ db, tx }: PgContext): RecordOps {
  return {
    async getRepresentation(versionId, format) {
      const [row] = await db
        .select({ sha256: t.representations.sha256, bytes: t.representations.bytes })
        .from(t.representations)
        .where(sql`${t.representations.versionId} = ${versionId} and ${t.representations.format} = ${format}`)
      return row
    },
    async addRepresentation(r) {
      await tx(async (q) => {
        await q.insert(t.blobs).values({ sha256: r.sha256, bytes: r.bytes }).onConflictDoNothing()
        await q.insert(t.representations).values(r).onConflictDoNothing()
      })
    },
    async referencedBlobs() {
      const { rows } = await db.execute<{ sha256: string }>(
        sql`select sha256 from representations union select sha256 from dataset_versions
            union select manifest_sha256 from dataset_versions union select sha256 from expectations`,
      )
      return new Set(rows.map((r) => r.sha256))
    },
    async forgetBlob(sha256) {
      await db.delete(t.blobs).where(eq(t.blobs.sha256, sha256))
    },
    async addToken(token) {
      await db.insert(t.tokens).values(token)
    },
    async findToken(hash) {
      const [row] = await db
        .select({ name: t.tokens.name, scope: t.tokens.scope })
        .from(t.tokens)
        .where(eq(t.tokens.hash, hash))
      return row
    },
    async audit(entry) {
      await db.insert(t.auditLog).values({
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        detail: entry.detail ?? null,
      })
    },
    async auditLog() {
      return db
        .select({
          at: t.auditLog.at,
          actor: t.auditLog.actor,
          action: t.auditLog.action,
          target: t.auditLog.target,
          detail: t.auditLog.detail,
        })
        .from(t.auditLog)
        .orderBy(asc(t.auditLog.id))
    },
    async recordPrivacy(entry) {
      const rows = await db
        .insert(t.privacyLedger)
        .values(entry)
        .onConflictDoNothing()
        .returning({ id: t.privacyLedger.id })
      return rows.length > 0
    },
    async privacyLedger(sourceSha256) {
      const rows = await db
        .select()
        .from(t.privacyLedger)
        .where(sourceSha256 === undefined ? undefined : eq(t.privacyLedger.sourceSha256, sourceSha256))
        .orderBy(asc(t.privacyLedger.id))
      return rows.map(({ id: _id, ...row }) => row as LedgerEntry & { at: string })
    },
    async integrityCheck() {
      // Every version's blobs have rows, and version numbers run 1..n per dataset without gaps.
      const { rows } = await db.execute<{ problem: string }>(
        sql`select 'dataset ' || d.name || ' has versions numbered other than 1..' || count(v.id) as problem
            from datasets d join dataset_versions v on v.dataset_id = d.id
            group by d.id, d.name having max(v.version) <> count(v.id) or min(v.version) <> 1`,
      )
      return rows.length === 0 ? 'ok' : rows.map((r) => r.problem).join('; ')
    },
  }
}
