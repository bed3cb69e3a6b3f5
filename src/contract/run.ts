/**
 * `runContract(options)`: the contract runner that `goldgen contract`, the library and the
 * vitest helper share. It checks the options, loads the model version's fixtures from the
 * registry, runs the chosen stages in order against the endpoint and returns the report
 * (stored in the registry with `record`). Bad input throws a GoldgenError; a failing stage is a
 * report with `passed: false`.
 */
import { openRegistry, type Registry } from '../../registry/service.ts'
import type { ChaosPlan } from '../chaos/plan.ts'
import { GoldgenError } from '../core/errors.ts'
import { VERSION } from '../core/version.ts'
import { type Context, createContext, stageResult } from './context.ts'
import { loadFixtures } from './fixtures.ts'
import { createHttpClient } from './http.ts'
import { parseInputs, parseOutputs } from './mapping.ts'
import { protocols } from './protocols/index.ts'
import { DEFAULT_SLA, formatSla, parseSla } from './sla.ts'
import { errorsStage } from './stages/errors.ts'
import { healthStage } from './stages/health.ts'
import { loadStage } from './stages/load.ts'
import { metadataStage } from './stages/metadata.ts'
import { replayStage } from './stages/replay.ts'
import { smokeStage } from './stages/smoke.ts'
import {
  type ContractOptions,
  type ContractReport,
  type PlainStageName,
  PROTOCOLS,
  type ProtocolName,
  STAGES,
  type StageResult,
} from './types.ts'

const RUNNERS: Record<PlainStageName, (ctx: Context) => Promise<StageResult[]>> = {
  health: healthStage,
  metadata: metadataStage,
  replay: replayStage,
  errors: errorsStage,
  smoke: smokeStage,
  load: loadStage,
}

/** Parses `"health,replay"` (or a list) into stages in run order. */
export function parseStages(stages: ContractOptions['stages']): PlainStageName[] {
  if (stages === undefined) return [...STAGES]
  const list =
    typeof stages === 'string'
      ? stages
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : [...stages]
  const unknown = list.filter((s) => !(STAGES as readonly string[]).includes(s))
  if (unknown.length > 0 || list.length === 0)
    throw new GoldgenError(
      'USAGE',
      `${unknown.length > 0 ? `unknown stage ${unknown.map((s) => JSON.stringify(s)).join(', ')}` : 'no stages given'}: expected some of ${STAGES.join(', ')}`,
    )
  return STAGES.filter((s) => list.includes(s))
}

function positive(name: string, value: number | undefined, fallback: number, integer = true): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new GoldgenError('USAGE', `${name} must be a ${integer ? 'whole ' : ''}number > 0, got ${value}`)
  return value
}

function checkEndpoint(endpoint: string): void {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    throw new GoldgenError(
      'USAGE',
      `--endpoint ${JSON.stringify(endpoint)} is not a URL: expected e.g. http://127.0.0.1:8080`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new GoldgenError(
      'USAGE',
      `--endpoint ${JSON.stringify(endpoint)}: expected an http:// or https:// URL`,
    )
}

/** The chaos plan of the options: loaded (and checked) from its file, or as given. */
async function chaosPlan(chaos: ContractOptions['chaos']): Promise<ChaosPlan | undefined> {
  if (chaos === undefined || typeof chaos === 'object') return chaos
  const { loadPlan } = await import('../chaos/plan.ts')
  return loadPlan(chaos)
}

/**
 * Runs the contract stages of a model version against a served model.
 *
 * @example
 * ```ts
 * import { runContract } from 'goldgen'
 * const report = await runContract({ model: 'churn-model@1.0.0', endpoint: 'http://127.0.0.1:8080', stages: 'health,replay' })
 * if (!report.passed) process.exitCode = 1
 * ```
 */
export async function runContract(options: ContractOptions): Promise<ContractReport> {
  const started = new Date()
  const t0 = performance.now()
  const protocolName: ProtocolName = options.protocol ?? 'oip'
  if (!(PROTOCOLS as readonly string[]).includes(protocolName))
    throw new GoldgenError(
      'USAGE',
      `unknown protocol ${JSON.stringify(protocolName)}: expected ${PROTOCOLS.join(', ')}`,
    )
  checkEndpoint(options.endpoint)
  const chaos = await chaosPlan(options.chaos)
  // With a chaos plan and no --stages, only health runs before the chaos stage.
  const stages =
    chaos !== undefined && options.stages === undefined ? ['health' as const] : parseStages(options.stages)
  const batch = positive('--batch', options.batch, 32)
  const concurrency = positive('--concurrency', options.concurrency, 8)
  const duration = positive('--duration', options.duration, 10, false)
  const timeout = positive('--timeout', options.timeout, 5000)
  const inputs = options.inputs === undefined ? undefined : parseInputs(options.inputs)
  const outputs = options.outputs === undefined ? {} : parseOutputs(options.outputs)
  if (options.sla !== undefined) parseSla(options.sla)

  const own = typeof options.registry !== 'object'
  const registry: Registry = own
    ? await openRegistry({ dir: options.registry as string | undefined })
    : (options.registry as Registry)
  try {
    const mv = await registry.modelVersion(options.model)
    const fixtures = await loadFixtures(registry, options.model)
    const slaText = formatSla(parseSla(options.sla ?? mv.metadata.sla ?? DEFAULT_SLA))
    const modelName = options.modelName ?? mv.model
    const http = await createHttpClient(options.endpoint, timeout)
    const ctx = createContext(
      {
        model: options.model,
        modelName,
        batch,
        concurrency,
        duration,
        timeout,
        sla: parseSla(slaText),
        slaText,
        inputs,
        outputs,
      },
      protocols[protocolName],
      http,
      fixtures,
    )
    const results: StageResult[] = []
    try {
      for (const stage of stages) {
        if (results.some((r) => r.stage === 'health' && r.status === 'fail')) {
          results.push(
            stageResult(stage, 'skip', 'not run: the endpoint is not ready (see health)', performance.now()),
          )
          continue
        }
        results.push(...(await RUNNERS[stage](ctx)))
      }
      if (chaos !== undefined) {
        if (results.some((r) => r.stage === 'health' && r.status === 'fail'))
          results.push(
            stageResult(
              'chaos',
              'skip',
              'not run: the endpoint is not ready (see health)',
              performance.now(),
            ),
          )
        else {
          const { chaosStage } = await import('./stages/chaos.ts')
          results.push(...(await chaosStage(ctx, chaos)))
        }
      }
    } finally {
      await http.close()
    }
    const report: ContractReport = {
      model: mv.model,
      version: mv.version,
      endpoint: options.endpoint,
      protocol: protocolName,
      modelName,
      goldgen: VERSION,
      startedAt: started.toISOString(),
      seconds: Math.round(performance.now() - t0) / 1000,
      passed: results.every((r) => r.status !== 'fail'),
      datasets: fixtures.map((f) => f.ref),
      stages: results,
    }
    if (options.record) report.runId = await registry.recordRun(options.model, report)
    return report
  } finally {
    if (own) registry.close()
  }
}
