/** The SQLite store's aliases: moving one (with its history, in one transaction) and reading them. */
import { and, eq } from 'drizzle-orm'
import type { MetadataStore } from '../stores.ts'
import type { SqliteContext } from './context.ts'
import * as t from './schema.ts'

type AliasOps = Pick<MetadataStore, 'getAlias' | 'moveAlias' | 'aliasHistory' | 'aliases'>

export function aliasOps({ sqlite, db, write, versionById, datasetId }: SqliteContext): AliasOps {
  const aliasTarget = sqlite.prepare<[string, string], { versionId: number }>(
    'select a.version_id as versionId from aliases a join datasets d on d.id = a.dataset_id where d.name = ? and a.name = ?',
  )
  const number = (vid: number | null) => (vid === null ? null : versionById(vid)!.version)
  return {
    async getAlias(dataset, alias) {
      const row = aliasTarget.get(dataset, alias)
      return row === undefined ? undefined : versionById(row.versionId)
    },
    async moveAlias(dataset, alias, versionId, movedBy) {
      return write(() => {
        const id = datasetId(dataset)!
        const current = db
          .select({ versionId: t.aliases.versionId })
          .from(t.aliases)
          .where(and(eq(t.aliases.datasetId, id), eq(t.aliases.name, alias)))
          .get()
        db.insert(t.aliases)
          .values({ datasetId: id, name: alias, versionId })
          .onConflictDoUpdate({ target: [t.aliases.datasetId, t.aliases.name], set: { versionId } })
          .run()
        const moved = db
          .insert(t.aliasHistory)
          .values({
            datasetId: id,
            name: alias,
            fromVersionId: current?.versionId ?? null,
            toVersionId: versionId,
            movedBy: movedBy ?? null,
          })
          .returning()
          .get()
        return {
          name: alias,
          from: number(moved.fromVersionId),
          to: number(moved.toVersionId)!,
          movedAt: moved.movedAt,
          movedBy: moved.movedBy,
        }
      })
    },
    async aliasHistory(dataset) {
      const id = datasetId(dataset)
      if (id === undefined) return []
      const rows = db
        .select()
        .from(t.aliasHistory)
        .where(eq(t.aliasHistory.datasetId, id))
        .orderBy(t.aliasHistory.id)
        .all()
      return rows.map((r) => ({
        name: r.name,
        from: number(r.fromVersionId),
        to: number(r.toVersionId)!,
        movedAt: r.movedAt,
        movedBy: r.movedBy,
      }))
    },
    async aliases(dataset) {
      const rows = db
        .select({ name: t.aliases.name, version: t.datasetVersions.version })
        .from(t.aliases)
        .innerJoin(t.datasets, eq(t.datasets.id, t.aliases.datasetId))
        .innerJoin(t.datasetVersions, eq(t.datasetVersions.id, t.aliases.versionId))
        .where(eq(t.datasets.name, dataset))
        .all()
      return Object.fromEntries(rows.map((r) => [r.name, r.version]))
    },
  }
}
