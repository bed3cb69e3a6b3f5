/** The SQLite store's API tokens (by hash) and audit log. */
import { eq } from 'drizzle-orm'
import type { MetadataStore } from '../stores.ts'
import type { SqliteContext } from './context.ts'
import * as t from './schema.ts'

type AccessOps = Pick<MetadataStore, 'addToken' | 'findToken' | 'audit' | 'auditLog'>

export function accessOps({ db }: SqliteContext): AccessOps {
  return {
    async addToken(token) {
      db.insert(t.tokens).values(token).run()
    },
    async findToken(hash) {
      return db
        .select({ name: t.tokens.name, scope: t.tokens.scope })
        .from(t.tokens)
        .where(eq(t.tokens.hash, hash))
        .get()
    },
    async audit(entry) {
      db.insert(t.auditLog)
        .values({
          actor: entry.actor,
          action: entry.action,
          target: entry.target,
          detail: entry.detail ?? null,
        })
        .run()
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
        .orderBy(t.auditLog.id)
        .all()
    },
  }
}
