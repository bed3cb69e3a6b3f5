/** The PostgreSQL store's contract runs (`goldgen contract --record`), the dataset versions each replayed, and model metadata updates. */
import { asc, eq, sql } from 'drizzle-orm'
import type { MetadataStore } from '../stores.ts'
import type { PgContext } from './context.ts'
import * as t from './schema.ts'

type RunOps = Pick<MetadataStore, 'addContractRun' | 'contractRuns' | 'setModelMetadata'>

export function runOps({ db, tx }: PgContext): RunOps {
  const datasetsOf = async (runId: number) =>
    (
      await db
        .select({ ref: sql<string>`${t.datasets.name} || '@' || ${t.datasetVersions.version}` })
        .from(t.contractRunDatasets)
        .innerJoin(t.datasetVersions, eq(t.datasetVersions.id, t.contractRunDatasets.datasetVersionId))
        .innerJoin(t.datasets, eq(t.datasets.id, t.datasetVersions.datasetId))
        .where(eq(t.contractRunDatasets.runId, runId))
        .orderBy(asc(t.datasets.name), asc(t.datasetVersions.version))
    ).map((d) => d.ref)
  return {
    async setModelMetadata(id, metadata) {
      await db.update(t.modelVersions).set({ metadata }).where(eq(t.modelVersions.id, id))
    },
    async addContractRun(run) {
      return tx(async (q) => {
        const [row] = await q
          .insert(t.contractRuns)
          .values({
            modelVersionId: run.modelVersionId,
            endpoint: run.endpoint,
            protocol: run.protocol,
            passed: run.passed,
            goldgenVersion: run.goldgen,
            stages: run.stages,
            figures: run.figures ?? null,
            report: run.report,
          })
          .returning({ id: t.contractRuns.id })
        for (const datasetVersionId of new Set(run.datasetVersionIds))
          await q.insert(t.contractRunDatasets).values({ runId: row!.id, datasetVersionId })
        return row!.id
      })
    },
    async contractRuns(modelVersionId) {
      const rows = await db
        .select({ r: t.contractRuns, model: t.models.name, version: t.modelVersions.version })
        .from(t.contractRuns)
        .innerJoin(t.modelVersions, eq(t.modelVersions.id, t.contractRuns.modelVersionId))
        .innerJoin(t.models, eq(t.models.id, t.modelVersions.modelId))
        .where(eq(t.contractRuns.modelVersionId, modelVersionId))
        .orderBy(asc(t.contractRuns.id))
      const out = []
      for (const { r, model, version } of rows)
        out.push({
          id: r.id,
          model,
          version,
          at: r.at,
          endpoint: r.endpoint,
          protocol: r.protocol,
          passed: r.passed,
          goldgen: r.goldgenVersion,
          datasets: await datasetsOf(r.id),
          stages: r.stages,
          figures: r.figures,
          report: r.report,
        })
      return out
    },
  }
}
