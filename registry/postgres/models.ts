/**
 * The PostgreSQL store's model versions and expected outputs, bound to (model version, dataset
 * version). A record is immutable; an update adds a newer record, the current one, and keeps the old.
 *
 * `modelOps` is one closure over the connection (~145 lines) on purpose: its methods are short
 * and share the connection and the transaction helper, like the SQLite driver's modules.
 */
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { Tolerance } from '../../src/compare/rows.ts'
import { GoldgenError } from '../../src/core/errors.ts'
import type { ExpectationRecord, MetadataStore } from '../stores.ts'
import type { PgContext } from './context.ts'
import * as t from './schema.ts'

type ModelOps = Pick<
  MetadataStore,
  | 'addModelVersion'
  | 'getModelVersion'
  | 'listModelVersions'
  | 'addExpectation'
  | 'expectations'
  | 'expectationHistory'
  | 'expectationsOfVersion'
>

export function modelOps({ db, tx, versionById }: PgContext): ModelOps {
  /** Every expectation record of a model version, oldest first. */
  const history = (modelVersionId: number) => records(eq(t.expectations.modelVersionId, modelVersionId))
  /** Every expectation record that matches `where`, oldest first. */
  const records = async (where: SQL): Promise<ExpectationRecord[]> => {
    const rows = await db
      .select({ e: t.expectations, model: t.models.name, modelVersion: t.modelVersions.version })
      .from(t.expectations)
      .innerJoin(t.modelVersions, eq(t.modelVersions.id, t.expectations.modelVersionId))
      .innerJoin(t.models, eq(t.models.id, t.modelVersions.modelId))
      .where(where)
      .orderBy(asc(t.expectations.id))
    const out: ExpectationRecord[] = []
    for (const { e, model, modelVersion } of rows)
      out.push({
        id: e.id,
        model,
        modelVersion,
        dataset: (await versionById(e.datasetVersionId))!,
        sha256: e.sha256,
        format: e.format,
        rows: e.rows,
        tolerances: e.tolerances as Record<string, Tolerance>,
        createdAt: e.createdAt,
      })
    return out
  }
  return {
    async addModelVersion(model, version, metadata) {
      return tx(async (q) => {
        await q.insert(t.models).values({ name: model }).onConflictDoNothing()
        const { rows } = await q.execute<{ id: number }>(
          sql`select id from ${t.models} where ${t.models.name} = ${model} for update`,
        )
        const id = Number(rows[0]!.id)
        const [existing] = await q
          .select()
          .from(t.modelVersions)
          .where(and(eq(t.modelVersions.modelId, id), eq(t.modelVersions.version, version)))
        if (existing !== undefined)
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
        const [row] = await q.insert(t.modelVersions).values({ modelId: id, version, metadata }).returning()
        return { record: { id: row!.id, model, version, metadata, createdAt: row!.createdAt }, created: true }
      })
    },
    async getModelVersion(model, version) {
      const [row] = await db
        .select({
          id: t.modelVersions.id,
          metadata: t.modelVersions.metadata,
          createdAt: t.modelVersions.createdAt,
        })
        .from(t.modelVersions)
        .innerJoin(t.models, eq(t.models.id, t.modelVersions.modelId))
        .where(and(eq(t.models.name, model), eq(t.modelVersions.version, version)))
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
      const rows = await db
        .select({
          id: t.modelVersions.id,
          model: t.models.name,
          version: t.modelVersions.version,
          metadata: t.modelVersions.metadata,
          createdAt: t.modelVersions.createdAt,
        })
        .from(t.modelVersions)
        .innerJoin(t.models, eq(t.models.id, t.modelVersions.modelId))
        .orderBy(asc(t.modelVersions.id))
      return rows.map((r) => ({ ...r, metadata: r.metadata as Record<string, string> }))
    },
    async addExpectation(e) {
      return tx(async (q) => {
        // The model version's row lock orders concurrent writers of its expectations.
        await q.execute(sql`select id from ${t.modelVersions} where id = ${e.modelVersionId} for update`)
        const [existing] = await q
          .select()
          .from(t.expectations)
          .where(
            and(
              eq(t.expectations.modelVersionId, e.modelVersionId),
              eq(t.expectations.datasetVersionId, e.datasetVersionId),
            ),
          )
          .orderBy(desc(t.expectations.id))
          .limit(1)
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
        await q.insert(t.blobs).values({ sha256: e.sha256, bytes: e.bytes }).onConflictDoNothing()
        const [inserted] = await q
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
        return { created: true, id: inserted!.id, replaced: existing?.id ?? null }
      })
    },
    async expectations(modelVersionId) {
      const current = new Map<number, ExpectationRecord>()
      for (const e of await history(modelVersionId)) current.set(e.dataset.id, e)
      return [...current.values()].sort((a, b) => a.id - b.id)
    },
    expectationHistory: history,
    async expectationsOfVersion(datasetVersionId) {
      // The current record of each model version bound to the dataset version.
      const current = new Map<string, ExpectationRecord>()
      for (const e of await records(eq(t.expectations.datasetVersionId, datasetVersionId)))
        current.set(`${e.model}@${e.modelVersion}`, e)
      return [...current.values()].sort((a, b) => a.id - b.id)
    },
  }
}
