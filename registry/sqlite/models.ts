/** The SQLite store's model versions. */
import { and, eq } from 'drizzle-orm'
import type { MetadataStore } from '../stores.ts'
import type { SqliteContext } from './context.ts'
import * as t from './schema.ts'

type ModelOps = Pick<
  MetadataStore,
  'addModelVersion' | 'getModelVersion' | 'setModelMetadata' | 'listModelVersions'
>

export function modelOps({ db, write }: SqliteContext): ModelOps {
  return {
    async addModelVersion(model, version, metadata) {
      return write(() => {
        let id = db.select({ id: t.models.id }).from(t.models).where(eq(t.models.name, model)).get()?.id
        if (id === undefined)
          id = db.insert(t.models).values({ name: model }).returning({ id: t.models.id }).get().id
        const existing = db
          .select()
          .from(t.modelVersions)
          .where(and(eq(t.modelVersions.modelId, id), eq(t.modelVersions.version, version)))
          .get()
        if (existing !== undefined) {
          return {
            record: {
              id: existing.id,
              model,
              version,
              metadata: existing.metadata as Record<string, string>,
              createdAt: existing.createdAt,
            },
            created: false,
          }
        }
        const row = db.insert(t.modelVersions).values({ modelId: id, version, metadata }).returning().get()
        return { record: { id: row.id, model, version, metadata, createdAt: row.createdAt }, created: true }
      })
    },
    async setModelMetadata(id, metadata) {
      db.update(t.modelVersions).set({ metadata }).where(eq(t.modelVersions.id, id)).run()
    },
    async getModelVersion(model, version) {
      const row = db
        .select({
          id: t.modelVersions.id,
          metadata: t.modelVersions.metadata,
          createdAt: t.modelVersions.createdAt,
        })
        .from(t.modelVersions)
        .innerJoin(t.models, eq(t.models.id, t.modelVersions.modelId))
        .where(and(eq(t.models.name, model), eq(t.modelVersions.version, version)))
        .get()
      return row === undefined
        ? undefined
        : {
            id: row.id,
            model,
            version,
            metadata: row.metadata as Record<string, string>,
            createdAt: row.createdAt,
          }
    },
    async listModelVersions() {
      return db
        .select({
          id: t.modelVersions.id,
          model: t.models.name,
          version: t.modelVersions.version,
          metadata: t.modelVersions.metadata,
          createdAt: t.modelVersions.createdAt,
        })
        .from(t.modelVersions)
        .innerJoin(t.models, eq(t.models.id, t.modelVersions.modelId))
        .orderBy(t.modelVersions.id)
        .all()
        .map((r) => ({ ...r, metadata: r.metadata as Record<string, string> }))
    },
  }
}
