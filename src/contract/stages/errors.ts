/**
 * The errors stage: the fixture schema's negative rows (src/negative.ts), each sent alone.
 * Each must get a 4xx with the protocol's error body: never a 5xx, a timeout, a dropped
 * connection, a stack trace or an internal path; the server must still be ready afterwards.
 */

import { negativeRows, VIOLATION_FIELD, type Violation } from '../../api/negative.ts'
import { planDataset } from '../../api/plan.ts'
import { type Context, stageResult } from '../context.ts'
import type { Fixture } from '../fixtures.ts'
import { failed } from '../http.ts'
import type { StageResult } from '../types.ts'
import { excerpt, leakIn } from '../values.ts'
import { notReady } from './health.ts'

/** One negative row per (column, violation) the schema admits, for the columns the inputs carry. */
async function negativesOf(f: Fixture, sent: Set<string>) {
  const schema = f.recipe!.schema
  const plan = planDataset(schema, { seed: f.recipe!.seed, rows: f.recipe!.rows })
  const { text } = await negativeRows(plan, Math.max(1, Object.keys(schema.columns ?? {}).length * 5))
  const seen = new Set<string>()
  const out: { row: Record<string, unknown>; violation: Violation }[] = []
  for (const line of text.trimEnd().split('\n')) {
    const { [VIOLATION_FIELD]: violation, ...row } = JSON.parse(line) as Record<string, unknown>
    const v = violation as Violation
    const key = `${v.column}:${v.kind}`
    if (seen.has(key) || !sent.has(v.column)) continue
    seen.add(key)
    out.push({ row, violation: v })
  }
  return out
}

async function errorsFixture(ctx: Context, f: Fixture): Promise<StageResult> {
  const start = performance.now()
  const base = { fixture: f.ref }
  if (f.recipe === null || f.recipe.schema.columns === undefined)
    return stageResult(
      'errors',
      'skip',
      `${f.ref} ${f.recipe === null ? 'was imported from a file' : 'is made of records'}: it has no column schema to make negative rows from`,
      start,
      base,
    )
  const plan = await ctx.plan(f)
  const sent = new Set(plan.inputs.flatMap((i) => i.columns))
  const negatives = await negativesOf(f, sent)
  if (negatives.length === 0)
    return stageResult(
      'errors',
      'skip',
      `the schema of ${f.ref} admits no negative row for the columns sent`,
      start,
      base,
    )
  const path = ctx.protocol.inferPath(ctx.modelName)
  const problems: string[] = []
  for (const { row, violation } of negatives) {
    const what = `${violation.column} ${violation.kind} (expected ${violation.expected})`
    const res = await ctx.http.post(
      path,
      ctx.protocol.encode([ctx.sendRow(plan, row)], plan.inputs, ctx.modelName, true),
    )
    if (failed(res)) {
      problems.push(`${what}: ${res.failure}`)
      continue
    }
    const leak = leakIn(res.text)
    if (res.status >= 500)
      problems.push(
        `${what}: answered ${res.status} (a server error, expected a 4xx)${leak ? ` with ${leak}` : ''}: ${excerpt(res.text)}`,
      )
    else if (res.status < 400)
      problems.push(`${what}: answered ${res.status}, expected a 4xx: the invalid row was accepted`)
    else if (leak !== undefined)
      problems.push(`${what}: the ${res.status} body shows ${leak}: ${excerpt(res.text)}`)
    else if (!ctx.protocol.isErrorBody(res.json))
      problems.push(
        `${what}: the ${res.status} body is not an error body (${ctx.protocol.errorShape}): ${excerpt(res.text)}`,
      )
  }
  const after = await notReady(ctx)
  if (after.length > 0) problems.push(`the server is not ready after the negative rows: ${after.join('; ')}`)
  if (problems.length > 0)
    return stageResult(
      'errors',
      'fail',
      `${problems.length} of ${negatives.length} negative rows mishandled: ${problems[0]}`,
      start,
      {
        ...base,
        details: problems.slice(1),
      },
    )
  return stageResult(
    'errors',
    'pass',
    `${negatives.length} negative rows each got a 4xx with an error body; still ready`,
    start,
    base,
  )
}

export async function errorsStage(ctx: Context): Promise<StageResult[]> {
  const out: StageResult[] = []
  for (const f of ctx.fixtures) out.push(await errorsFixture(ctx, f))
  return out
}
