/**
 * `runParity(options)`: feature parity, the runner `goldgen parity` calls. It checks the
 * options, reads the fixture from the registry, runs both feature pipelines on it (at the same
 * time, in a private temporary folder, each with a timeout) and compares their feature rows column by
 * column. Bad input throws a USAGE/NOT_FOUND GoldgenError; a pipeline that crashes, times out
 * or answers something unreadable, and features that differ, are a report with `passed: false`
 * (a failed pipeline's `error` says why; nothing is compared then).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openRegistry, type Registry } from '../../registry/service.ts'
import { parseTolerances, type Tolerance } from '../compare/rows.ts'
import { GoldgenError } from '../core/errors.ts'
import { VERSION } from '../core/version.ts'
import { compareSides } from './compare.ts'
import { loadParityFixture } from './fixture.ts'
import { isUrl, type PipelineOutput, runPipeline } from './pipeline.ts'
import { INPUT_FORMATS, type InputFormat, type ParityOptions, type ParityReport } from './types.ts'

const DEFAULT_TIMEOUT = 120_000

function checkPipeline(side: string, pipeline: string | undefined): string {
  if (typeof pipeline !== 'string' || pipeline.trim() === '')
    throw new GoldgenError(
      'USAGE',
      `--${side} is required: a command ("python3 features.py {input} {output}", or one that reads CSV on stdin and writes CSV on stdout) or an http(s) URL`,
    )
  if (isUrl(pipeline)) {
    try {
      new URL(pipeline.trim())
    } catch {
      throw new GoldgenError('USAGE', `--${side} ${JSON.stringify(pipeline)} is not a valid URL`)
    }
  }
  return pipeline.trim()
}

function checkOptions(options: ParityOptions) {
  if (typeof options.dataset !== 'string' || options.dataset === '')
    throw new GoldgenError('USAGE', 'give the fixture as DATASET@REF, e.g. churn@3 or churn@prod')
  const inputFormat: InputFormat = options.inputFormat ?? 'csv'
  if (!(INPUT_FORMATS as readonly string[]).includes(inputFormat))
    throw new GoldgenError(
      'USAGE',
      `--input-format ${JSON.stringify(inputFormat)}: expected one of ${INPUT_FORMATS.join(', ')}`,
    )
  const timeout = options.timeout ?? DEFAULT_TIMEOUT
  if (!Number.isInteger(timeout) || timeout <= 0)
    throw new GoldgenError('USAGE', `--timeout must be a whole number of milliseconds > 0, got ${timeout}`)
  const keep = options.keep ?? 10
  if (!Number.isInteger(keep) || keep < 0)
    throw new GoldgenError('USAGE', `keep must be a whole number ≥ 0, got ${keep}`)
  const tolerances: Record<string, Tolerance> = Array.isArray(options.tolerances)
    ? parseTolerances(options.tolerances)
    : ((options.tolerances as Record<string, Tolerance> | undefined) ?? {})
  const key = options.key === undefined || options.key === '' ? null : options.key
  return {
    a: checkPipeline('a', options.a),
    b: checkPipeline('b', options.b),
    inputFormat,
    timeout,
    keep,
    tolerances,
    key,
  }
}

/** The comparison part of a report when a pipeline failed: nothing compared, the failures as problems. */
const notCompared = (problems: string[]) => ({
  rowsCompared: 0,
  rowsDiffering: 0,
  columns: [],
  differingColumns: [],
  onlyInA: [],
  onlyInB: [],
  keysOnlyInA: [],
  keysOnlyInB: [],
  firstDiffering: [],
  problems,
})

/**
 * Runs the same golden rows through two feature pipelines and compares their features.
 *
 * @example
 * ```ts
 * import { runParity } from 'goldgen'
 * const report = await runParity({ dataset: 'churn@3', a: 'python3 train_features.py {input} {output}', b: 'http://127.0.0.1:8080/features', key: 'customer_id' })
 * if (!report.passed) console.log(report.differingColumns, report.firstDiffering)
 * ```
 */
export async function runParity(options: ParityOptions): Promise<ParityReport> {
  const started = new Date()
  const t0 = performance.now()
  const opts = checkOptions(options)
  const own = typeof options.registry !== 'object'
  const registry: Registry = own
    ? await openRegistry({ dir: options.registry as string | undefined, blobsAt: options.blobs })
    : (options.registry as Registry)
  const dir = mkdtempSync(join(tmpdir(), 'goldgen-parity-'))
  try {
    const fixture = await loadParityFixture(registry, options.dataset, dir)
    const common = {
      rows: fixture.rows,
      inputFile: fixture.inputFile,
      inputFormat: opts.inputFormat,
      dir,
      timeout: opts.timeout,
    }
    const settled = await Promise.allSettled([
      runPipeline({ ...common, side: 'a', pipeline: opts.a }),
      runPipeline({ ...common, side: 'b', pipeline: opts.b }),
    ])
    const failed = settled.find((s) => s.status === 'rejected')
    if (failed !== undefined) throw failed.reason
    const [a, b] = settled.map((s) => (s as PromiseFulfilledResult<PipelineOutput>).value) as [
      PipelineOutput,
      PipelineOutput,
    ]
    const head = {
      dataset: fixture.ref,
      a: a.summary,
      b: b.summary,
      key: opts.key,
      inputFormat: opts.inputFormat,
      tolerances: opts.tolerances,
      goldgen: VERSION,
      startedAt: started.toISOString(),
    }
    const errors = [a.summary.error, b.summary.error].filter((e) => e !== undefined)
    if (errors.length > 0)
      return {
        ...head,
        seconds: Math.round(performance.now() - t0) / 1000,
        passed: false,
        fixtureRows: fixture.rows.length,
        ...notCompared(errors),
      }
    if (
      opts.key !== null &&
      ![...a.summary.columns, ...b.summary.columns, ...Object.keys(fixture.rows[0] ?? {})].includes(opts.key)
    )
      throw new GoldgenError(
        'USAGE',
        `--key ${JSON.stringify(opts.key)} is not a column of the fixture or of either pipeline's features (a writes: ${a.summary.columns.join(', ') || 'nothing'})`,
      )
    const outcome = compareSides(
      { a: { rows: a.rows, columns: a.summary.columns }, b: { rows: b.rows, columns: b.summary.columns } },
      fixture,
      opts.key,
      opts.tolerances,
      opts.keep,
    )
    return {
      ...head,
      seconds: Math.round(performance.now() - t0) / 1000,
      passed:
        outcome.rowsDiffering === 0 &&
        outcome.problems.length === 0 &&
        outcome.onlyInA.length === 0 &&
        outcome.onlyInB.length === 0,
      fixtureRows: fixture.rows.length,
      ...outcome,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
    if (own) registry.close()
  }
}
