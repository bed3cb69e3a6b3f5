/** The SQLite store's model versions and the expected outputs bound to them. */
import { and, eq } from 'drizzle-orm'
import type { Tolerance } from '../../src/compare/rows.ts'
import { GoldgenError } from '../../src/core/errors.ts'
import type { MetadataStore } from '../stores.ts'
import type { SqliteContext } from './context.ts'
import * as t from './schema.ts'

type ModelOps = Pick<MetadataStore, 'addModelVersion' | 'getModelVersion' | 'addExpectation' | 'expectations'>

export function modelOps({ db, write, versionById }: SqliteContext): ModelOps {
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
    async addExpectation(e) {
      return write(() => {
        const existing = db
          .select()
          .from(t.expectations)
          .where(
            and(
              eq(t.expectations.modelVersionId, e.modelVersionId),
              eq(t.expectations.datasetVersionId, e.datasetVersionId),
            ),
          )
          .get()
        if (existing !== undefined) {
          if (
            existing.sha256 === e.sha256 &&
            JSON.stringify(existing.tolerances) === JSON.stringify(e.tolerances)
          )
            return { created: false }
          throw new GoldgenError(
            'CONFLICT',
            'expected outputs are already attached for this model version and dataset version; they are immutable (publish a new dataset version or model version instead)',
          )
        }
        db.insert(t.blobs).values({ sha256: e.sha256, bytes: e.bytes }).onConflictDoNothing().run()
        db.insert(t.expectations)
          .values({
            modelVersionId: e.modelVersionId,
            datasetVersionId: e.datasetVersionId,
            sha256: e.sha256,
            format: e.format,
            rows: e.rows,
            tolerances: e.tolerances,
          })
          .run()
        return { created: true }
      })
    },
    async expectations(modelVersionId) {
      const rows = db
        .select({ e: t.expectations, model: t.models.name, modelVersion: t.modelVersions.version })
        .from(t.expectations)
        .innerJoin(t.modelVersions, eq(t.modelVersions.id, t.expectations.modelVersionId))
        .innerJoin(t.models, eq(t.models.id, t.modelVersions.modelId))
        .where(eq(t.expectations.modelVersionId, modelVersionId))
        .orderBy(t.expectations.id)
        .all()
      return rows.map(({ e, model, modelVersion }) => ({
        id: e.id,
        model,
        modelVersion,
        dataset: versionById(e.datasetVersionId)!,
        sha256: e.sha256,
        format: e.format,
        rows: e.rows,
        tolerances: e.tolerances as Record<string, Tolerance>,
        createdAt: e.createdAt,
      }))
    },
  }
}
