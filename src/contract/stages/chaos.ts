/**
 * The chaos stage (`goldgen contract … --chaos plan.yaml`): the replay runs again, batch after
 * batch on --concurrency workers, while the plan switches faults through the fault proxy's
 * control API (on at `after`, cleared after `for`). During each window and in the gap after
 * it every answer must be valid predictions or a clean 503/504 with an error body — never
 * another status, a stack trace or a hang past --timeout. Once the last window is cleared the
 * model must answer correctly within `recover_within`, then answer every fixture row correctly.
 * One result per part of the run (baseline, each window, recovery), each with its figures; a
 * failure names its window.
 */
import { describeFaults } from '../../chaos/faults.ts'
import { type ChaosPlan, formatDuration } from '../../chaos/plan.ts'
import {
  type Batch,
  batchesOf,
  describeFigures,
  figuresOf,
  runTraffic,
  type Sample,
  sendBatch,
} from '../chaos/traffic.ts'
import type { Plan } from '../context.ts'
import { type Context, stageResult } from '../context.ts'
import type { Fixture } from '../fixtures.ts'
import type { ChaosFigures, StageResult } from '../types.ts'

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())))
const spanText = (from: number, to: number) =>
  `${formatDuration(Math.round(from))}–${formatDuration(Math.round(to))}`

/**
 * Which part of the run each sample belongs to: a window when the request was in flight while
 * its fault was on (the first such window), else the gap it was sent in (before the first
 * window: the baseline).
 */
function partition(samples: Sample[], applied: { on: number; off: number }[]) {
  const baseline: Sample[] = []
  const windows = applied.map(() => ({ during: [] as Sample[], after: [] as Sample[] }))
  for (const s of samples) {
    const i = applied.findIndex((w) => s.at < w.off && s.at + s.ms > w.on)
    if (i >= 0) {
      windows[i]!.during.push(s)
      continue
    }
    const before = applied.findLastIndex((w) => s.at >= w.off)
    if (before < 0) baseline.push(s)
    else windows[before]!.after.push(s)
  }
  return { baseline, windows }
}

/** Up to `n` distinct problems, each with how often it came. */
function problemsOf(samples: Sample[], n = 5): string[] {
  const counts = new Map<string, number>()
  for (const s of samples)
    if (s.problem !== undefined) counts.set(s.problem, (counts.get(s.problem) ?? 0) + 1)
  return [...counts].slice(0, n).map(([p, c]) => (c > 1 ? `${p} (×${c})` : p))
}

interface Part {
  name: string
  label: string
  during: Sample[]
  after: Sample[]
  figures: ChaosFigures
}

function judge(part: Part, start: number): StageResult {
  const bad = [...part.during, ...part.after].filter((s) => s.kind === 'bad')
  const lines = [describeFigures(part.figures)]
  if (part.after.length > 0)
    lines.push(
      `after it, before the next window: ${part.after.length} requests, ${part.after.filter((s) => s.kind === 'bad').length} bad`,
    )
  const extra = { window: part.name, chaos: part.figures }
  if (part.during.length === 0)
    return stageResult(
      'chaos',
      'fail',
      `${part.label}: no request was sent while it was on, so nothing was checked (make it longer or raise --concurrency)`,
      start,
      { ...extra, details: lines },
    )
  if (bad.length > 0) {
    const inGap = part.during.every((s) => s.kind !== 'bad')
    const [first, ...rest] = problemsOf(bad)
    return stageResult(
      'chaos',
      'fail',
      `${part.label}: ${bad.length} of ${part.during.length + part.after.length} answers ${inGap ? 'after it ' : ''}were neither valid predictions nor a clean 503/504: ${first}`,
      start,
      { ...extra, details: [...lines, ...rest] },
    )
  }
  return stageResult('chaos', 'pass', `${part.label}: ${lines[0]}`, start, {
    ...extra,
    details: lines.slice(1),
  })
}

interface Recovery {
  samples: Sample[]
  recoveredMs: number | null
  /** The full replay after the first correct answer: what did not answer correctly. */
  replay: Sample[]
}

/** After the last window: probes until a correct answer (within recover_within), then every batch once. */
async function recover(
  ctx: Context,
  plan: ChaosPlan,
  batches: Batch[],
  plans: Map<Fixture, Plan>,
  t0: number,
  endAt: number,
): Promise<Recovery> {
  const samples: Sample[] = []
  for (let i = 0; ; i++) {
    const b = batches[i % batches.length]!
    const s = await sendBatch(ctx, plans.get(b.fixture)!, b, t0)
    samples.push(s)
    const answeredAt = s.at + s.ms - endAt
    if (answeredAt > plan.recoverWithinMs) return { samples, recoveredMs: null, replay: [] }
    if (s.kind === 'correct') {
      const replay: Sample[] = []
      for (const x of batches) replay.push(await sendBatch(ctx, plans.get(x.fixture)!, x, t0))
      return {
        samples,
        recoveredMs: Math.round(answeredAt),
        replay: replay.filter((r) => r.kind !== 'correct'),
      }
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}

function recoveryResult(plan: ChaosPlan, r: Recovery, endAt: number, start: number): StageResult {
  const last = plan.windows.at(-1)!
  const figures: ChaosFigures = {
    ...figuresOf(r.samples, {
      fault: null,
      from_ms: Math.round(endAt),
      to_ms: Math.round(endAt + plan.recoverWithinMs),
    }),
    recovered_ms: r.recoveredMs,
    recover_within_ms: plan.recoverWithinMs,
  }
  const extra = { window: 'recovery', chaos: figures, details: [describeFigures(figures)] }
  const within = formatDuration(plan.recoverWithinMs)
  if (r.recoveredMs === null) {
    const lastSample = r.samples.at(-1)
    const lastWords =
      lastSample === undefined
        ? 'none'
        : (lastSample.problem ??
          `${lastSample.status} (${lastSample.kind === 'fallback' ? 'predictions that differ from the expected outputs' : lastSample.kind})`)
    return stageResult(
      'chaos',
      'fail',
      `recovery after window ${last.name}: no correct answer within recover_within ${within} of the fault being cleared; last answer: ${lastWords}`,
      start,
      extra,
    )
  }
  if (r.replay.length > 0)
    return stageResult(
      'chaos',
      'fail',
      `recovery after window ${last.name}: answered correctly ${r.recoveredMs} ms after the fault was cleared, but then ${r.replay.length} batches of the replay did not: ${r.replay[0]!.problem ?? `${r.replay[0]!.status} (${r.replay[0]!.kind})`}`,
      start,
      extra,
    )
  return stageResult(
    'chaos',
    'pass',
    `recovery after window ${last.name}: answered correctly ${r.recoveredMs} ms after the fault was cleared (recover_within ${within}), then every fixture row matched`,
    start,
    extra,
  )
}

export async function chaosStage(ctx: Context, plan: ChaosPlan): Promise<StageResult[]> {
  const start = performance.now()
  const { controlClient } = await import('../../chaos/client.ts')
  const client = controlClient(plan.control)
  const { batches, plans } = await batchesOf(ctx)
  if (batches.length === 0)
    return [stageResult('chaos', 'fail', 'no fixture row can be sent to run the chaos plan with', start)]
  try {
    await client.clear()
  } catch (e) {
    return [
      stageResult(
        'chaos',
        'fail',
        `${plan.file}: cannot reach the fault proxy: ${(e as Error).message}`,
        start,
      ),
    ]
  }
  const t0 = performance.now()
  let stopped = false
  const traffic = runTraffic(ctx, batches, plans, t0, () => stopped, ctx.concurrency)
  const applied: { on: number; off: number }[] = []
  let controlError: StageResult | undefined
  for (const w of plan.windows) {
    try {
      await sleepUntil(t0 + w.afterMs)
      await client.put(w.fault)
      const on = performance.now() - t0
      await sleepUntil(t0 + w.afterMs + w.forMs)
      await client.clear()
      applied.push({ on, off: performance.now() - t0 })
    } catch (e) {
      controlError = stageResult(
        'chaos',
        'fail',
        `window ${w.name}: the fault proxy's control API failed: ${(e as Error).message}`,
        start,
        { window: w.name },
      )
      await client.clear().catch(() => undefined)
      break
    }
  }
  stopped = true
  const endAt = performance.now() - t0
  const recovery =
    controlError === undefined ? await recover(ctx, plan, batches, plans, t0, endAt) : undefined
  const samples = await traffic

  const results: StageResult[] = []
  const parts = partition(samples, applied)
  const firstOn = applied[0]?.on ?? endAt
  if (parts.baseline.length > 0)
    results.push(
      judge(
        {
          name: 'baseline',
          label: `before the first window (${plan.windows[0]!.name})`,
          during: parts.baseline,
          after: [],
          figures: figuresOf(parts.baseline, { fault: null, from_ms: 0, to_ms: Math.round(firstOn) }),
        },
        start,
      ),
    )
  for (const [i, { on, off }] of applied.entries()) {
    const w = plan.windows[i]!
    const { during, after } = parts.windows[i]!
    const figures = figuresOf(during, { fault: w.fault, from_ms: Math.round(on), to_ms: Math.round(off) })
    if (after.length > 0)
      figures.after = { requests: after.length, bad: after.filter((s) => s.kind === 'bad').length }
    const label = `window ${w.name} (${describeFaults(w.fault)}, ${spanText(on, off)})`
    results.push(judge({ name: w.name, label, during, after, figures }, start))
  }
  if (controlError !== undefined) results.push(controlError)
  if (recovery !== undefined) results.push(recoveryResult(plan, recovery, endAt, start))
  return results
}
