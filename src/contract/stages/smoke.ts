/**
 * The smoke stage (for right after a deployment): one known row, answered correctly within
 * --timeout. The row is the first one of the first fixture that has no edge case or missing
 * value and can be sent.
 */
import { type Context, stageResult } from '../context.ts'
import type { StageResult } from '../types.ts'
import { compareSent, describeFailures, notSendable, sendRows } from './replay.ts'

export async function smokeStage(ctx: Context): Promise<StageResult[]> {
  const start = performance.now()
  const f = ctx.fixtures[0]!
  const plan = await ctx.plan(f)
  const sendable = f.rows.map((_, r) => r).filter((r) => notSendable(ctx, plan, f, r) === undefined)
  const row = sendable.find((r) => f.tags(r).length === 0) ?? sendable[0]
  if (row === undefined)
    return [stageResult('smoke', 'fail', `no row of ${f.ref} can be sent in ${ctx.protocol.name}`, start)]
  const t0 = performance.now()
  const { outputs, problems } = await sendRows(ctx, plan, f, [row], 1)
  const ms = Math.round(performance.now() - t0)
  if (problems.length > 0) return [stageResult('smoke', 'fail', `${f.ref} ${problems[0]}`, start)]
  const c = compareSent(f, outputs)
  if (c.rowsFailing > 0 || c.problems.length > 0)
    return [
      stageResult('smoke', 'fail', `${f.ref} row ${row} answered wrongly in ${ms} ms`, start, {
        details: [...c.problems, ...describeFailures(c.firstFailures)],
      }),
    ]
  return [
    stageResult(
      'smoke',
      'pass',
      `${f.ref} row ${row} answered correctly in ${ms} ms (timeout ${ctx.timeout} ms)`,
      start,
    ),
  ]
}
