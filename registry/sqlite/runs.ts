/** The SQLite store's contract runs (`goldgen contract --record`) and the dataset versions each replayed. */
import { eq, sql } from 'drizzle-orm'
import type { MetadataStore } from '../stores.ts'
import type { SqliteContext } from './context.ts'
import * as t from './schema.ts'

type RunOps = Pick<MetadataStore, 'addContractRun' | 'contractRuns'>

export function runOps({ db, write }: SqliteContext): RunOps {
  const datasetsOf = (runId: number) =>
    db
      .select({ ref: sql<string>`${t.datasets.name} || '@' || ${t.datasetVersions.version}` })
      .from(t.contractRunDatasets)
      .innerJoin(t.datasetVersions, eq(t.datasetVersions.id, t.contractRunDatasets.datasetVersionId))
      .innerJoin(t.datasets, eq(t.datasets.id, t.datasetVersions.datasetId))
      .where(eq(t.contractRunDatasets.runId, runId))
      .orderBy(t.datasets.name, t.datasetVersions.version)
      .all()
      .map((d) => d.ref)
  return {
    async addContractRun(run) {
      return write(() => {
        const { id } = db
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
          .get()
        for (const datasetVersionId of new Set(run.datasetVersionIds))
          db.insert(t.contractRunDatasets).values({ runId: id, datasetVersionId }).run()
        return id
      })
    },
    async contractRuns(modelVersionId) {
      const rows = db
        .select({ r: t.contractRuns, model: t.models.name, version: t.modelVersions.version })
        .from(t.contractRuns)
        .innerJoin(t.modelVersions, eq(t.modelVersions.id, t.contractRuns.modelVersionId))
        .innerJoin(t.models, eq(t.models.id, t.modelVersions.modelId))
        .where(eq(t.contractRuns.modelVersionId, modelVersionId))
        .orderBy(t.contractRuns.id)
        .all()
      return rows.map(({ r, model, version }) => ({
        id: r.id,
        model,
        version,
        at: r.at,
        endpoint: r.endpoint,
        protocol: r.protocol,
        passed: r.passed,
        goldgen: r.goldgenVersion,
        datasets: datasetsOf(r.id),
        stages: r.stages,
        figures: r.figures,
        report: r.report,
      }))
    },
  }
}
