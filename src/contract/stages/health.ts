/**
 * The health stage: the protocol's readiness probes (OIP server and model ready, KServe v1
 * model, MLflow ping), judged by status code.
 */
import { type Context, stageResult } from '../context.ts'
import { failed } from '../http.ts'
import type { StageResult } from '../types.ts'

/** The probes that fail, in words (empty when the server is ready). */
export async function notReady(ctx: Context): Promise<string[]> {
  const problems: string[] = []
  for (const probe of ctx.protocol.health(ctx.modelName)) {
    const res = await ctx.http.get(probe.path)
    const url = ctx.http.url(probe.path)
    if (failed(res)) problems.push(`${probe.label}: GET ${url}: ${res.failure}`)
    else if (probe.below500 ? res.status >= 500 : res.status < 200 || res.status >= 300)
      problems.push(
        `${probe.label}: GET ${url} answered ${res.status}${probe.below500 ? '' : ', expected 200'}`,
      )
  }
  return problems
}

export async function healthStage(ctx: Context): Promise<StageResult[]> {
  const start = performance.now()
  const problems = await notReady(ctx)
  const probes = ctx.protocol.health(ctx.modelName).map((p) => p.label)
  return [
    problems.length === 0
      ? stageResult('health', 'pass', `ready (${probes.join(', ')})`, start)
      : stageResult('health', 'fail', problems[0]!, start, { details: problems.slice(1) }),
  ]
}
