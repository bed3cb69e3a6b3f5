/** The SQLite store's dataset versions: publishing (numbered max + 1, deduplicated by content) and look-ups. */
import { and, eq, like, sql } from 'drizzle-orm'
import type { MetadataStore } from '../stores.ts'
import type { SqliteContext } from './context.ts'
import * as t from './schema.ts'

type DatasetOps = Pick<
  MetadataStore,
  | 'publishVersion'
  | 'listDatasets'
  | 'listVersions'
  | 'getVersion'
  | 'latestVersion'
  | 'versionsBySha'
  | 'datasetExists'
>

export function datasetOps({
  db,
  write,
  versions,
  versionById,
  versionByNumber,
  latestVersion,
  datasetId,
}: SqliteContext): DatasetOps {
  return {
    async publishVersion(v) {
      return write(() => {
        let id = datasetId(v.dataset)
        if (id === undefined)
          id = db.insert(t.datasets).values({ name: v.dataset }).returning({ id: t.datasets.id }).get().id
        const existing = versions()
          .where(and(eq(t.datasetVersions.datasetId, id), eq(t.datasetVersions.sha256, v.sha256)))
          .get()
        if (existing !== undefined) return { version: existing, created: false }
        db.insert(t.blobs).values({ sha256: v.sha256, bytes: v.bytes }).onConflictDoNothing().run()
        db.insert(t.blobs)
          .values({ sha256: v.manifestSha256, bytes: v.manifestBytes })
          .onConflictDoNothing()
          .run()
        const last = db
          .select({ n: sql<number>`coalesce(max(${t.datasetVersions.version}), 0)` })
          .from(t.datasetVersions)
          .where(eq(t.datasetVersions.datasetId, id))
          .get()!.n
        const row = db
          .insert(t.datasetVersions)
          .values({
            datasetId: id,
            version: last + 1,
            sha256: v.sha256,
            format: v.format,
            rows: v.rows,
            recipe: v.recipe,
            manifestSha256: v.manifestSha256,
            createdBy: v.createdBy ?? null,
            ...(v.createdAt === undefined ? {} : { createdAt: v.createdAt }),
          })
          .returning({ id: t.datasetVersions.id })
          .get()
        return { version: versionById(row.id)!, created: true }
      })
    },
    async listDatasets() {
      return db
        .select({
          name: t.datasets.name,
          versions: sql<number>`count(${t.datasetVersions.id})`,
          latest: sql<number | null>`max(${t.datasetVersions.version})`,
        })
        .from(t.datasets)
        .leftJoin(t.datasetVersions, eq(t.datasetVersions.datasetId, t.datasets.id))
        .groupBy(t.datasets.id)
        .orderBy(t.datasets.name)
        .all()
    },
    async listVersions(dataset) {
      return versions().where(eq(t.datasets.name, dataset)).orderBy(t.datasetVersions.version).all()
    },
    async getVersion(dataset, version) {
      return versionByNumber(dataset, version)
    },
    async latestVersion(dataset) {
      return latestVersion(dataset)
    },
    async versionsBySha(dataset, prefix) {
      return versions()
        .where(and(eq(t.datasets.name, dataset), like(t.datasetVersions.sha256, `${prefix}%`)))
        .orderBy(t.datasetVersions.version)
        .all()
    },
    async datasetExists(dataset) {
      return datasetId(dataset) !== undefined
    },
  }
}
