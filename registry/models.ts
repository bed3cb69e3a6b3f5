/**
 * Models and expectations: model versions, expected outputs bound to (model version, dataset
 * version) with per-column tolerances, and the fixtures a model version's tests fetch.
 */
import { copyFileSync } from 'node:fs'
import { basename } from 'node:path'
import { inspectFile } from '../src/api/inspect.ts'
import type { Tolerance } from '../src/compare/rows.ts'
import { GoldgenError } from '../src/core/errors.ts'
import { sniffFormat } from '../src/formats/read.ts'
import { type RegistryContext, refOf } from './context.ts'
import { resolveRef } from './datasets.ts'
import { parseModelRef } from './refs.ts'
import type { ExpectationRecord, ModelVersionRecord } from './stores.ts'
import { singleTable } from './tables.ts'

/** The model version a `MODEL@VERSION` reference names, or a NOT_FOUND error. */
export async function modelVersion({ store }: RegistryContext, text: string): Promise<ModelVersionRecord> {
  const { model, version } = parseModelRef(text)
  const found = await store.getModelVersion(model, version)
  if (found === undefined)
    throw new GoldgenError(
      'NOT_FOUND',
      `no model version ${model}@${version}; add it with goldgen model add ${model}@${version}`,
    )
  return found
}

/** Checks outputs against the version they are for: one row per input row, tolerances on real columns. */
async function checkOutputs(
  outputsFile: string,
  rows: number,
  ref: string,
  tolerances: Record<string, Tolerance>,
) {
  const inspection = await inspectFile(outputsFile, 0)
  if (inspection.rows !== rows) {
    throw new GoldgenError(
      'USAGE',
      `the outputs have ${inspection.rows} rows but ${ref} has ${rows}: expected one output row per input row`,
      { file: outputsFile },
    )
  }
  const columns = inspection.columns.map((c) => c.name)
  for (const column of Object.keys(tolerances)) {
    if (!columns.includes(column)) {
      throw new GoldgenError(
        'USAGE',
        `a tolerance names the column ${JSON.stringify(column)}, which the outputs do not have (they have ${columns.join(', ')})`,
        { file: outputsFile },
      )
    }
  }
  return inspection
}

/** The registry's model and expectation methods. */
export function modelMethods(ctx: RegistryContext) {
  const { store, blobs } = ctx
  return {
    async addModel(ref: string, metadata: Record<string, string> = {}) {
      const { model, version } = parseModelRef(ref)
      return store.addModelVersion(model, version, metadata)
    },

    /**
     * Attaches expected outputs (one row per input row) with tolerances. Nothing is written when
     * they are invalid. With `update`, other outputs than the current ones are a new record that
     * replaces them (the old record is kept in the history) instead of a conflict.
     */
    async expect(
      modelRef: string,
      datasetRef: string,
      outputsFile: string,
      tolerances: Record<string, Tolerance> = {},
      options: { update?: boolean | undefined } = {},
    ) {
      const mv = await modelVersion(ctx, modelRef)
      const v = await resolveRef(ctx, datasetRef)
      await singleTable(ctx, v) // expected outputs are one row per input row of one table
      const format = sniffFormat(outputsFile)
      const inspection = await checkOutputs(outputsFile, v.rows, refOf(v), tolerances)
      const tmp = ctx.stagingPath(basename(outputsFile))
      copyFileSync(outputsFile, tmp)
      const blob = await blobs.putFile(tmp)
      const { created, id, replaced } = await store.addExpectation({
        modelVersionId: mv.id,
        datasetVersionId: v.id,
        sha256: blob.sha256,
        bytes: blob.bytes,
        format,
        rows: inspection.rows,
        tolerances,
        update: options.update,
      })
      const result = { model: mv.model, version: mv.version, dataset: refOf(v), created }
      return { ...result, id, replaced, sha256: blob.sha256, rows: inspection.rows }
    },

    /** Every expectation record of a model version, superseded ones included, oldest first. */
    async expectationHistory(modelRef: string) {
      return store.expectationHistory((await modelVersion(ctx, modelRef)).id)
    },

    /** The expected-outputs file of an expectation, verified. */
    async expectedBlob(e: ExpectationRecord) {
      return { sha256: e.sha256, path: await blobs.verifiedPath(e.sha256) }
    },

    async fixtures(modelRef: string) {
      return store.expectations((await modelVersion(ctx, modelRef)).id)
    },

    /** The model versions bound to a dataset version, with their expected outputs and tolerances. */
    async bindings(datasetRef: string) {
      return store.expectationsOfVersion((await resolveRef(ctx, datasetRef)).id)
    },

    /** A registered model version (NOT_FOUND names how to add it). */
    modelVersion: (ref: string) => modelVersion(ctx, ref),
  }
}
