/**
 * The chaos stage's traffic: the fixtures' sendable rows in replay batches, sent in turn by a
 * few workers, each answer timed and judged as a chaos window judges it — correct predictions,
 * valid predictions that differ (a fallback), a clean 503/504 with an error body, or bad (any
 * other status, a stack trace or internal path, no error body, invalid predictions, no answer
 * within --timeout, a dropped connection) — and the figures of a set of samples.
 */
import type { DataRow } from '../../formats/read.ts'
import type { Context, Plan } from '../context.ts'
import type { Fixture } from '../fixtures.ts'
import { failed } from '../http.ts'
import { quantile } from '../load.ts'
import { compareSent, notSendable } from '../stages/replay.ts'
import type { ChaosFigures } from '../types.ts'
import { excerpt, leakIn } from '../values.ts'

export type Kind = 'correct' | 'fallback' | 'unavailable' | 'bad'

export interface Sample {
  /** Milliseconds from the start of the run when the request was sent. */
  at: number
  ms: number
  kind: Kind
  /** The status, or the failure's kind (`timeout`, `dropped`, `refused`, `failed`). */
  status: string
  /** For bad answers: what was wrong, in words. */
  problem?: string
}

export interface Batch {
  fixture: Fixture
  indices: number[]
  body: string
}

/** Every fixture's sendable rows in batches of --batch, with their request bodies. */
export async function batchesOf(ctx: Context): Promise<{ batches: Batch[]; plans: Map<Fixture, Plan> }> {
  const batches: Batch[] = []
  const plans = new Map<Fixture, Plan>()
  for (const f of ctx.fixtures) {
    const plan = await ctx.plan(f)
    plans.set(f, plan)
    const sendable = f.rows.map((_, r) => r).filter((r) => notSendable(ctx, plan, f, r) === undefined)
    for (let at = 0; at < sendable.length; at += ctx.batch) {
      const indices = sendable.slice(at, at + ctx.batch)
      const rows = indices.map((r) => ctx.sendRow(plan, f.rows[r]!))
      batches.push({ fixture: f, indices, body: ctx.protocol.encode(rows, plan.inputs, ctx.modelName) })
    }
  }
  return { batches, plans }
}

function failureKind(failure: string): string {
  if (failure.startsWith('timed out')) return 'timeout'
  if (failure.startsWith('connection refused')) return 'refused'
  if (failure.includes('dropped the connection')) return 'dropped'
  return 'failed'
}

/** Sends one batch and judges the answer. */
export async function sendBatch(ctx: Context, plan: Plan, b: Batch, t0: number): Promise<Sample> {
  const at = performance.now() - t0
  const res = await ctx.http.post(ctx.protocol.inferPath(ctx.modelName), b.body)
  const base = { at, ms: res.ms }
  const where = `${b.fixture.ref} rows ${b.indices[0]}–${b.indices.at(-1)}`
  if (failed(res)) {
    const status = failureKind(res.failure)
    const hang = status === 'timeout' ? ` (a hang past --timeout ${ctx.timeout} ms)` : ''
    return { ...base, kind: 'bad', status, problem: `${where}: no answer: ${res.failure}${hang}` }
  }
  const status = String(res.status)
  const leak = leakIn(res.text)
  if (res.status === 200) {
    const decoded = ctx.protocol.decode(res.json, b.indices.length, plan.outputs)
    if (decoded.problems.length > 0)
      return {
        ...base,
        kind: 'bad',
        status,
        problem: `${where}: answered 200 with invalid predictions: ${decoded.problems[0]}`,
      }
    const outputs = new Map<number, DataRow>(b.indices.map((r, i) => [r, decoded.rows[i]!]))
    const c = compareSent(b.fixture, outputs)
    return { ...base, kind: c.rowsFailing === 0 && c.problems.length === 0 ? 'correct' : 'fallback', status }
  }
  if (res.status === 503 || res.status === 504) {
    if (leak !== undefined)
      return {
        ...base,
        kind: 'bad',
        status,
        problem: `${where}: the ${status} body shows ${leak}: ${excerpt(res.text)}`,
      }
    if (!ctx.protocol.isErrorBody(res.json))
      return {
        ...base,
        kind: 'bad',
        status,
        problem: `${where}: the ${status} body is not an error body (${ctx.protocol.errorShape}): ${excerpt(res.text)}`,
      }
    return { ...base, kind: 'unavailable', status }
  }
  return {
    ...base,
    kind: 'bad',
    status,
    problem: `${where}: answered ${status}${leak === undefined ? '' : ` with ${leak}`}, expected valid predictions or a clean 503/504 with an error body: ${excerpt(res.text)}`,
  }
}

/**
 * Runs `workers` loops sending the batches in turn (each loop at most one batch every
 * `gapMs`) until `stop()` is true; resolves with every sample once the last answer is in.
 */
export async function runTraffic(
  ctx: Context,
  batches: Batch[],
  plans: Map<Fixture, Plan>,
  t0: number,
  stop: () => boolean,
  workers: number,
  gapMs = 20,
): Promise<Sample[]> {
  const samples: Sample[] = []
  let next = 0
  const loop = async () => {
    while (!stop()) {
      const b = batches[next++ % batches.length]!
      const started = performance.now()
      samples.push(await sendBatch(ctx, plans.get(b.fixture)!, b, t0))
      const rest = gapMs - (performance.now() - started)
      if (rest > 0) await new Promise((r) => setTimeout(r, rest))
    }
  }
  await Promise.all(Array.from({ length: workers }, loop))
  return samples.sort((a, b) => a.at - b.at)
}

const round = (x: number) => Math.round(x * 10) / 10

/** The figures of some samples (latencies in ms, rounded to 0.1). */
export function figuresOf(
  samples: Sample[],
  span: { fault: ChaosFigures['fault']; from_ms: number; to_ms: number },
): ChaosFigures {
  const ms = Float64Array.from(samples.map((s) => s.ms)).sort()
  const count = (k: Kind) => samples.filter((s) => s.kind === k).length
  const statuses: Record<string, number> = {}
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1
  const predictions = count('correct') + count('fallback')
  return {
    ...span,
    requests: samples.length,
    correct: count('correct'),
    fallback: count('fallback'),
    unavailable: count('unavailable'),
    bad: count('bad'),
    error_rate: samples.length === 0 ? 0 : Math.round((1 - predictions / samples.length) * 10_000) / 10_000,
    p50: round(quantile(ms, 0.5)),
    p95: round(quantile(ms, 0.95)),
    p99: round(quantile(ms, 0.99)),
    max: round(ms.length === 0 ? 0 : ms[ms.length - 1]!),
    statuses,
  }
}

/** `42 requests: 40 correct, 2 clean 503/504; p50 812 ms, p95 905 ms, max 930 ms`. */
export function describeFigures(f: ChaosFigures): string {
  const parts = [`${f.correct} correct`]
  if (f.fallback > 0) parts.push(`${f.fallback} fallback predictions`)
  if (f.unavailable > 0) parts.push(`${f.unavailable} clean 503/504`)
  if (f.bad > 0) parts.push(`${f.bad} bad`)
  const answers = Object.entries(f.statuses)
    .map(([s, n]) => `${s} ×${n}`)
    .join(', ')
  return `${f.requests} requests (${answers || 'none'}): ${parts.join(', ')}; error rate ${f.error_rate}; p50 ${f.p50} ms, p95 ${f.p95} ms, p99 ${f.p99} ms, max ${f.max} ms`
}
