/**
 * The load stage: --concurrency connections for --duration seconds replaying fixture rows (one
 * row per request, as online traffic sends them), judged against the SLA.
 */
import { type Context, stageResult } from '../context.ts'
import { generateLoad, type LoadRequest } from '../load.ts'
import { judgeSla } from '../sla.ts'
import type { StageResult } from '../types.ts'
import { notSendable } from './replay.ts'

const MAX_BODIES = 1024

export async function loadStage(ctx: Context): Promise<StageResult[]> {
  const start = performance.now()
  const url = new URL(ctx.http.url(ctx.protocol.inferPath(ctx.modelName)))
  const requests: LoadRequest[] = []
  for (const f of ctx.fixtures) {
    const plan = await ctx.plan(f)
    for (let r = 0; r < f.rows.length && requests.length < MAX_BODIES; r++) {
      if (notSendable(ctx, plan, f, r) !== undefined) continue
      requests.push({
        path: `${url.pathname}${url.search}`,
        body: ctx.protocol.encode([ctx.sendRow(plan, f.rows[r]!)], plan.inputs, ctx.modelName),
      })
    }
  }
  if (requests.length === 0)
    return [stageResult('load', 'fail', 'no fixture row can be sent to load the server with', start)]
  const { figures, statuses, failures } = await generateLoad({
    origin: url.origin,
    requests,
    concurrency: ctx.concurrency,
    seconds: ctx.duration,
    timeout: ctx.timeout,
  })
  const verdicts = judgeSla(ctx.sla, figures)
  const summary = `${figures.requests} requests in ${figures.seconds} s over ${ctx.concurrency} connections: p50 ${figures.p50} ms, p95 ${figures.p95} ms, p99 ${figures.p99} ms, ${figures.rps} rps, error rate ${figures.error_rate.toFixed(4)}`
  const details = [
    `answers: ${
      Object.entries(statuses)
        .map(([s, n]) => `${s} ×${n}`)
        .join(', ') || 'none'
    }`,
    ...Object.entries(failures).map(([code, n]) => `failed requests (${code}): ${n}`),
  ]
  const broken = verdicts.filter((v) => !v.ok)
  const extra = { details, figures, sla: verdicts }
  if (broken.length > 0)
    return [
      stageResult(
        'load',
        'fail',
        `SLA ${ctx.slaText} not met: ${broken.map((v) => `${v.bound} (actual ${v.actual})`).join(', ')}; ${summary}`,
        start,
        extra,
      ),
    ]
  return [stageResult('load', 'pass', `SLA ${ctx.slaText} met: ${summary}`, start, extra)]
}
