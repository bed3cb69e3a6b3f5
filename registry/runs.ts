/**
 * Contract runs: what `goldgen contract --record` stores against a model version and the dataset
 * versions it replayed (stage results, load figures, the goldgen that ran it, the whole report),
 * and the SLA a model version's load stage is judged by (kept in its metadata as `sla`).
 */
import type { RegistryContext } from './context.ts'
import { resolveRef } from './datasets.ts'
import { modelVersion } from './models.ts'

/** What a contract run stores (the report of `runContract`). */
export interface ContractRunInput {
  endpoint: string
  protocol: string
  passed: boolean
  goldgen: string
  datasets: string[]
  stages: {
    stage: string
    fixture?: string
    status: string
    reason: string
    seconds: number
    figures?: unknown
  }[]
}

/** The registry's contract-run methods. */
export function runMethods(ctx: RegistryContext) {
  const { store } = ctx
  return {
    /** A registered model version (NOT_FOUND names how to add it). */
    modelVersion: (ref: string) => modelVersion(ctx, ref),

    /** Sets (or replaces) the SLA of a model version: canonical SLA text, e.g. `p99<=50ms`. */
    async setSla(ref: string, sla: string) {
      const mv = await modelVersion(ctx, ref)
      const metadata = { ...mv.metadata, sla }
      await store.setModelMetadata(mv.id, metadata)
      return { ...mv, metadata }
    },

    /** Stores a contract run against the model version and the dataset versions it replayed. */
    async recordRun(modelRef: string, run: ContractRunInput): Promise<number> {
      const mv = await modelVersion(ctx, modelRef)
      const ids: number[] = []
      for (const ref of run.datasets) ids.push((await resolveRef(ctx, ref)).id)
      return store.addContractRun({
        modelVersionId: mv.id,
        datasetVersionIds: ids,
        endpoint: run.endpoint,
        protocol: run.protocol,
        passed: run.passed,
        goldgen: run.goldgen,
        stages: run.stages.map(({ stage, fixture, status, reason, seconds }) => ({
          stage,
          fixture,
          status,
          reason,
          seconds,
        })),
        figures: run.stages.find((s) => s.figures !== undefined)?.figures ?? null,
        report: run,
      })
    },

    /** A model version's recorded contract runs, oldest first. */
    async runs(modelRef: string) {
      return store.contractRuns((await modelVersion(ctx, modelRef)).id)
    },
  }
}
