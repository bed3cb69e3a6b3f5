/**
 * Checking a model version: its actual outputs (a file, or made by running a command on each
 * fixture) compared with every expected output under the stored tolerances, failing rows
 * tagged with the dataset row's edge cases.
 */
import { execSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { type Comparison, compareRows } from '../src/compare/rows.ts'
import { GoldgenError } from '../src/core/errors.ts'
import { type FormatName, formats } from '../src/formats/index.ts'
import { sniffFormat } from '../src/formats/read.ts'
import { type RegistryContext, readAll, refOf } from './context.ts'
import { manifestOf, resolveRef } from './datasets.ts'
import { fetchTo } from './fetch.ts'
import { describeFailure } from './model-failure.ts'
import { modelVersion } from './models.ts'
import type { ExpectationRecord, ModelVersionRecord, VersionRecord } from './stores.ts'

export interface CheckReport {
  model: string
  version: string
  passed: boolean
  results: ({ dataset: string; expectation: ExpectationRecord } & Comparison)[]
}

export interface CheckOptions {
  outputs?: string | undefined
  run?: string | undefined
  dataset?: string | undefined
  inputFormat?: FormatName | undefined
}

/** The expectations a check covers (all, or the one for `opts.dataset`), after checking the options. */
async function expectationsToCheck(ctx: RegistryContext, mv: ModelVersionRecord, opts: CheckOptions) {
  let expectations = await ctx.store.expectations(mv.id)
  if (expectations.length === 0)
    throw new GoldgenError(
      'NOT_FOUND',
      `${mv.model}@${mv.version} has no expected outputs; attach them with goldgen expect`,
    )
  if (opts.dataset !== undefined) {
    const v = await resolveRef(ctx, opts.dataset)
    expectations = expectations.filter((e) => e.dataset.id === v.id)
    if (expectations.length === 0)
      throw new GoldgenError('NOT_FOUND', `${mv.model}@${mv.version} has no expected outputs for ${refOf(v)}`)
  }
  if ((opts.outputs === undefined) === (opts.run === undefined))
    throw new GoldgenError('USAGE', 'give either --outputs FILE or --run "CMD {input} {output}"')
  if (opts.outputs !== undefined && expectations.length > 1) {
    throw new GoldgenError(
      'USAGE',
      `${mv.model}@${mv.version} has expected outputs for ${expectations.length} datasets; say which one --outputs is for with --dataset REF, or use --run`,
    )
  }
  return expectations
}

/** Runs the model command ("CMD {input} {output}"); a failure is an IO error naming the exception it raised. */
function runModel(run: string, input: string, output: string, dataset: VersionRecord): void {
  const command = run
    .replaceAll('{input}', JSON.stringify(input))
    .replaceAll('{output}', JSON.stringify(output))
  try {
    execSync(command, { stdio: ['ignore', 'ignore', 'pipe'] })
  } catch (err) {
    const status = (err as { status?: number }).status
    const signal = (err as { signal?: string | null }).signal
    const how = typeof signal === 'string' ? `killed by ${signal}` : `exit code ${status ?? '?'}`
    const why = describeFailure(String((err as { stderr?: Buffer }).stderr ?? ''))
    throw new GoldgenError('IO', `the model command failed (${how}) on ${refOf(dataset)}:\n${why}`)
  }
}

/** Row number → the `column:kind` edge-case tags the dataset's manifest records for it. */
async function edgeCaseTags(ctx: RegistryContext, v: VersionRecord): Promise<Map<number, string[]>> {
  const manifest = await manifestOf(ctx, v)
  const tags = new Map<number, string[]>()
  for (const [column, info] of Object.entries(manifest.columns ?? {})) {
    for (const [kind, rows] of Object.entries(
      (info as { edgeCases?: Record<string, number[]> }).edgeCases ?? {},
    )) {
      for (const r of rows) tags.set(r, [...(tags.get(r) ?? []), `${column}:${kind}`])
    }
  }
  return tags
}

/** Compares one expectation with the outputs given or made by the model command. */
async function checkOne(
  ctx: RegistryContext,
  e: ExpectationRecord,
  opts: CheckOptions,
): Promise<CheckReport['results'][number]> {
  const expected = await readAll(await ctx.blobs.verifiedPath(e.sha256), e.format as FormatName)
  let actualFile = opts.outputs
  const temps: string[] = []
  if (opts.run !== undefined) {
    const inputFormat = opts.inputFormat ?? 'arrow'
    const input = ctx.stagingPath(`input${formats[inputFormat].extensions[0]}`)
    const output = ctx.stagingPath(`output${formats[e.format as FormatName].extensions[0]}`)
    temps.push(input, output)
    await fetchTo(ctx, e.dataset, input, inputFormat)
    runModel(opts.run, input, output, e.dataset)
    actualFile = output
  }
  try {
    const actual = await readAll(actualFile!, sniffFormat(actualFile!))
    const tags = await edgeCaseTags(ctx, e.dataset)
    return {
      dataset: refOf(e.dataset),
      expectation: e,
      ...compareRows(expected, actual, e.tolerances, (r) => tags.get(r) ?? []),
    }
  } finally {
    for (const t of temps) rmSync(t, { force: true })
  }
}

/** The registry's check method. */
export function checkMethods(ctx: RegistryContext) {
  return {
    /**
     * Compares actual outputs with every expectation of a model version: from `outputs` (a file;
     * when the model version has several datasets, name one with `dataset`), or by running
     * `run` ("CMD {input} {output}") on each fixture.
     */
    async check(
      modelRef: string,
      opts: {
        outputs?: string | undefined
        run?: string | undefined
        dataset?: string | undefined
        inputFormat?: FormatName | undefined
      },
    ): Promise<CheckReport> {
      const mv = await modelVersion(ctx, modelRef)
      const expectations = await expectationsToCheck(ctx, mv, opts)
      const results: CheckReport['results'] = []
      for (const e of expectations) results.push(await checkOne(ctx, e, opts))
      return {
        model: mv.model,
        version: mv.version,
        passed: results.every((r) => r.rowsFailing === 0 && r.problems.length === 0),
        results,
      }
    },
  }
}
