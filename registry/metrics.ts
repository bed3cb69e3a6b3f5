/**
 * Metric expectations (`goldgen expect … --metric … --slice … --baseline … --max-drop …`):
 * stored with a model version and a dataset version, in the model version's metadata under
 * `metrics:DATASET@VERSION` (as its SLA is under `sla`; no table of their own), as JSON of the
 * canonical texts. Immutable like expected outputs: the same again is a no-op, other ones a
 * conflict. Checking evaluates them on outputs (src/metrics/evaluate.ts), the baseline's values
 * coming from its own expected outputs for the same dataset version.
 */
import { GoldgenError } from '../src/core/errors.ts'
import type { FormatName } from '../src/formats/index.ts'
import { type DataRow, sniffFormat } from '../src/formats/read.ts'
import { evaluateMetrics, type MetricEvaluation, type MetricExpectation } from '../src/metrics/evaluate.ts'
import { formatMetric, formatSlice, parseMetric, parseSlice } from '../src/metrics/expression.ts'
import { type RegistryContext, readAll, refOf } from './context.ts'
import { resolveRef } from './datasets.ts'
import { modelVersion } from './models.ts'
import type { ModelVersionRecord, VersionRecord } from './stores.ts'

const PREFIX = 'metrics:'

/** The metadata key of a dataset version's metric expectations. */
export const metricsKey = (v: VersionRecord) => `${PREFIX}${refOf(v)}`

/** The stored form: canonical texts, so it reads as the command that made it. */
interface Stored {
  metrics: string[]
  slices: string[]
  baseline?: { model: string; maxDrop: number }
}

const toStored = (e: MetricExpectation): Stored => ({
  metrics: e.metrics.map(formatMetric),
  slices: e.slices.map(formatSlice),
  ...(e.baseline === undefined ? {} : { baseline: e.baseline }),
})

function fromStored(text: string, key: string): MetricExpectation {
  const where = `the stored ${key}`
  let s: Stored
  try {
    s = JSON.parse(text) as Stored
    if (!Array.isArray(s.metrics) || !Array.isArray(s.slices)) throw new Error('not metric expectations')
  } catch (e) {
    throw new GoldgenError(
      'PARSE',
      `${where} of the model version is not metric expectations (${(e as Error).message}); the metadata key prefix ${PREFIX} is goldgen's`,
    )
  }
  return {
    metrics: s.metrics.map((m) => parseMetric(m, where)),
    slices: s.slices.map((x) => parseSlice(x, where)),
    ...(s.baseline === undefined ? {} : { baseline: s.baseline }),
  }
}

/** One dataset version's metric expectations. */
export interface MetricBinding {
  /** `dataset@version`. */
  dataset: string
  version: VersionRecord
  expectation: MetricExpectation
}

/** What a check of one dataset version's metric expectations found. */
export interface MetricReport extends MetricEvaluation {
  dataset: string
  baseline: string | null
}

/** The metric expectations stored with a model version, by dataset version. */
async function bindingsOf(ctx: RegistryContext, mv: ModelVersionRecord): Promise<MetricBinding[]> {
  const out: MetricBinding[] = []
  for (const [key, text] of Object.entries(mv.metadata)) {
    if (!key.startsWith(PREFIX)) continue
    const version = await resolveRef(ctx, key.slice(PREFIX.length))
    out.push({ dataset: refOf(version), version, expectation: fromStored(text, key) })
  }
  return out.sort((a, b) => a.version.id - b.version.id)
}

const datasetRows = async (ctx: RegistryContext, v: VersionRecord) =>
  readAll(await ctx.blobs.verifiedPath(v.sha256), v.format as FormatName)

/** The baseline's expected outputs for dataset version `v`, or a NOT_FOUND error saying how to attach them. */
async function baselineRows(ctx: RegistryContext, model: string, v: VersionRecord): Promise<DataRow[]> {
  const mv = await modelVersion(ctx, model)
  const e = (await ctx.store.expectations(mv.id)).find((x) => x.dataset.id === v.id)
  if (e === undefined)
    throw new GoldgenError(
      'NOT_FOUND',
      `the baseline ${model} has no expected outputs for ${refOf(v)}; attach them with goldgen expect ${model} ${refOf(v)} OUTPUTS`,
    )
  return readAll(await ctx.blobs.verifiedPath(e.sha256), e.format as FormatName)
}

/** Evaluates one binding on outputs (one entry per dataset row; undefined where a row has none). */
async function evaluateBinding(
  ctx: RegistryContext,
  b: MetricBinding,
  outputs: readonly (DataRow | undefined)[],
): Promise<MetricReport> {
  const rows = await datasetRows(ctx, b.version)
  const base = b.expectation.baseline
  let baseline: DataRow[] | undefined
  const problems: string[] = []
  if (base !== undefined) {
    try {
      baseline = await baselineRows(ctx, base.model, b.version)
    } catch (e) {
      if (!(e instanceof GoldgenError) || e.code !== 'NOT_FOUND') throw e
      problems.push(e.message)
    }
  }
  const r = evaluateMetrics(b.expectation, rows, outputs, baseline)
  const all = [...problems, ...r.problems]
  return {
    dataset: b.dataset,
    baseline: base?.model ?? null,
    ...r,
    problems: all,
    passed: r.passed && all.length === 0,
  }
}

/** The registry's metric-expectation methods. */
export function metricMethods(ctx: RegistryContext) {
  return {
    /**
     * Checks metric expectations for (model version, dataset version) and returns a `commit`
     * that stores them. The columns are checked against the outputs file when one is given and
     * the baseline's expected outputs (which must exist); the values are computed on them for
     * the report, never judged here (`goldgen check` does that).
     */
    async planMetrics(modelRef: string, datasetRef: string, spec: MetricExpectation, outputsFile?: string) {
      const mv = await modelVersion(ctx, modelRef)
      const v = await resolveRef(ctx, datasetRef)
      if (spec.metrics.length === 0)
        throw new GoldgenError('USAGE', 'give at least one --metric "NAME(truth, prediction) OP bound"')
      if (spec.baseline !== undefined && spec.baseline.model === `${mv.model}@${mv.version}`)
        throw new GoldgenError(
          'USAGE',
          `--baseline names ${spec.baseline.model} itself; name an earlier model version`,
        )
      const key = metricsKey(v)
      const text = JSON.stringify(toStored(spec))
      const existing = mv.metadata[key]
      if (existing !== undefined && existing !== text)
        throw new GoldgenError(
          'CONFLICT',
          `other metric expectations are already stored for ${mv.model}@${mv.version} on ${refOf(v)} (${existing}); they are immutable: register a new model version`,
        )
      const rows = await datasetRows(ctx, v)
      const baseline =
        spec.baseline === undefined ? undefined : await baselineRows(ctx, spec.baseline.model, v)
      const outputs =
        outputsFile === undefined ? baseline : await readAll(outputsFile, sniffFormat(outputsFile))
      // Without an outputs file the baseline's own values are shown (not compared with themselves).
      const shown = outputsFile === undefined ? { ...spec, baseline: undefined } : spec
      const evaluation = outputs === undefined ? undefined : evaluateMetrics(shown, rows, outputs, baseline)
      if (evaluation !== undefined && evaluation.problems.length > 0)
        throw new GoldgenError(
          'USAGE',
          `the metric expectations do not fit ${outputsFile ?? `the expected outputs of ${spec.baseline!.model}`}: ${evaluation.problems.join('; ')}`,
          outputsFile === undefined ? {} : { file: outputsFile },
        )
      return {
        model: mv.model,
        version: mv.version,
        dataset: refOf(v),
        /** The values on the outputs file (else on the baseline's expected outputs), for the report. */
        evaluation,
        async commit(): Promise<{ created: boolean }> {
          if (existing === text) return { created: false }
          const fresh = await modelVersion(ctx, modelRef)
          await ctx.store.setModelMetadata(fresh.id, { ...fresh.metadata, [key]: text })
          return { created: true }
        },
      }
    },

    /** Every dataset version's metric expectations stored with a model version. */
    async metricExpectations(modelRef: string): Promise<MetricBinding[]> {
      return bindingsOf(ctx, await modelVersion(ctx, modelRef))
    },

    /**
     * Evaluates a model version's metric expectations for one dataset version on `outputs`; undefined
     * when it has none there.
     */
    async checkMetrics(
      modelRef: string,
      dataset: VersionRecord | string,
      outputs: readonly (DataRow | undefined)[],
    ): Promise<MetricReport | undefined> {
      const v = typeof dataset === 'string' ? await resolveRef(ctx, dataset) : dataset
      const b = (await bindingsOf(ctx, await modelVersion(ctx, modelRef))).find((x) => x.version.id === v.id)
      return b === undefined ? undefined : evaluateBinding(ctx, b, outputs)
    },
  }
}

/** The dataset versions a model version has metric expectations for (for `goldgen check`). */
export async function metricBindings(ctx: RegistryContext, mv: ModelVersionRecord) {
  return bindingsOf(ctx, mv)
}

export { evaluateBinding }
