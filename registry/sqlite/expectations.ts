/**
 * The SQLite store's expected outputs, bound to (model version, dataset version). A record is
 * immutable; an update adds a newer record, which becomes the current one, and keeps the old.
 */
import { and, desc, eq, type SQL } from 'drizzle-orm'
import type { Tolerance } from '../../src/compare/rows.ts'
import { GoldgenError } from '../../src/core/errors.ts'
import type { ExpectationRecord, MetadataStore } from '../stores.ts'
import type { SqliteContext } from './context.ts'
import * as t from './schema.ts'

type ExpectationOps = Pick<
  MetadataStore,
  'addExpectation' | 'expectations' | 'expectationHistory' | 'expectationsOfVersion'
>

export function expectationOps({ db, write, versionById }: SqliteContext): ExpectationOps {
  /** Every expectation record that matches `where`, oldest first. */
  const records = (where: SQL): ExpectationRecord[] =>
    db
      .select({ e: t.expectations, model: t.models.name, modelVersion: t.modelVersions.version })
      .from(t.expectations)
      .innerJoin(t.modelVersions, eq(t.modelVersions.id, t.expectations.modelVersionId))
      .innerJoin(t.models, eq(t.models.id, t.modelVersions.modelId))
      .where(where)
      .orderBy(t.expectations.id)
      .all()
      .map(({ e, model, modelVersion }) => ({
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

  /** Every expectation record of a model version, oldest first. */
  const history = (modelVersionId: number) => records(eq(t.expectations.modelVersionId, modelVersionId))

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
          .orderBy(desc(t.expectations.id))
          .get()
        if (existing !== undefined) {
          if (
            existing.sha256 === e.sha256 &&
            JSON.stringify(existing.tolerances) === JSON.stringify(e.tolerances)
          )
            return { created: false, id: existing.id, replaced: null }
          if (e.update !== true)
            throw new GoldgenError(
              'CONFLICT',
              'expected outputs are already attached for this model version and dataset version; they are immutable (publish a new dataset version or model version, or record an update: --goldgen-update in pytest, GOLDGEN_UPDATE=1 in vitest)',
            )
        }
        db.insert(t.blobs).values({ sha256: e.sha256, bytes: e.bytes }).onConflictDoNothing().run()
        const inserted = db
          .insert(t.expectations)
          .values({
            modelVersionId: e.modelVersionId,
            datasetVersionId: e.datasetVersionId,
            sha256: e.sha256,
            format: e.format,
            rows: e.rows,
            tolerances: e.tolerances,
          })
          .returning({ id: t.expectations.id })
          .get()
        return { created: true, id: inserted.id, replaced: existing?.id ?? null }
      })
    },
    async expectations(modelVersionId) {
      const current = new Map<number, ExpectationRecord>()
      for (const e of history(modelVersionId)) current.set(e.dataset.id, e)
      return [...current.values()].sort((a, b) => a.id - b.id)
    },
    async expectationHistory(modelVersionId) {
      return history(modelVersionId)
    },
    async expectationsOfVersion(datasetVersionId) {
      // The current record of each model version bound to the dataset version.
      const current = new Map<string, ExpectationRecord>()
      for (const e of records(eq(t.expectations.datasetVersionId, datasetVersionId)))
        current.set(`${e.model}@${e.modelVersion}`, e)
      return [...current.values()].sort((a, b) => a.id - b.id)
    },
  }
}
