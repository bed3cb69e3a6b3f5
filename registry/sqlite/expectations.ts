/** The SQLite store's expected outputs, bound to (model version, dataset version) and immutable. */
import { and, eq } from 'drizzle-orm'
import type { Tolerance } from '../../src/compare/rows.ts'
import { GoldgenError } from '../../src/core/errors.ts'
import type { MetadataStore } from '../stores.ts'
import type { SqliteContext } from './context.ts'
import * as t from './schema.ts'

type ExpectationOps = Pick<MetadataStore, 'addExpectation' | 'expectations'>

export function expectationOps({ db, write, versionById }: SqliteContext): ExpectationOps {
  return {
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
