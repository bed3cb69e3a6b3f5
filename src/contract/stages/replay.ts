/**
 * The replay stage: every fixture's rows sent in batches in the protocol's shape, every answer
 * checked for shape and types, and the outputs compared with the stored expected outputs under
 * the stored tolerances (registry/compare.ts), and the model version's metric expectations
 * judged on the answers (overall and per slice). Rows the protocol cannot carry are reported as
 * not sendable, never altered (the metrics exclude and count them).
 */
import { compareRows, type FailingRow } from '../../compare/rows.ts'
import type { DataRow } from '../../formats/read.ts'
import { type Context, type Plan, stageResult } from '../context.ts'
import type { Fixture } from '../fixtures.ts'
import { failed } from '../http.ts'
import type { NotSendable, StageResult } from '../types.ts'
import { excerpt } from '../values.ts'

/** Why row `r` cannot be sent as it is, or undefined. */
export function notSendable(ctx: Context, plan: Plan, f: Fixture, r: number): NotSendable | undefined {
  const row = f.rows[r]!
  for (const input of plan.inputs)
    for (const column of input.columns) {
      const reason = ctx.protocol.unsendable(row[column] ?? null)
      if (reason !== undefined) return { row: r, column, value: String(row[column] ?? null), reason }
    }
  return undefined
}

/** Sends rows `indices` in batches; the outputs by row index, and the problems met. */
export async function sendRows(
  ctx: Context,
  plan: Plan,
  f: Fixture,
  indices: number[],
  batch: number,
): Promise<{ outputs: Map<number, DataRow>; problems: string[]; notes: string[] }> {
  const outputs = new Map<number, DataRow>()
  const problems: string[] = []
  const notes = new Set<string>()
  const path = ctx.protocol.inferPath(ctx.modelName)
  for (let at = 0; at < indices.length; at += batch) {
    const part = indices.slice(at, at + batch)
    const where = part.length === 1 ? `row ${part[0]}` : `rows ${part[0]}–${part.at(-1)}`
    const body = ctx.protocol.encode(
      part.map((r) => ctx.sendRow(plan, f.rows[r]!)),
      plan.inputs,
      ctx.modelName,
    )
    const res = await ctx.http.post(path, body)
    if (failed(res)) problems.push(`${where}: POST ${ctx.http.url(path)}: ${res.failure}`)
    else if (res.status !== 200) problems.push(`${where}: answered ${res.status}: ${excerpt(res.text)}`)
    else {
      const decoded = ctx.protocol.decode(res.json, part.length, plan.outputs)
      for (const n of decoded.notes) notes.add(n)
      if (decoded.problems.length > 0) problems.push(`${where}: ${decoded.problems.join('; ')}`)
      else for (const [i, r] of part.entries()) outputs.set(r, decoded.rows[i]!)
    }
    if (problems.length >= 5) {
      problems.push('… stopped after 5 failed requests')
      break
    }
  }
  return { outputs, problems, notes: [...notes] }
}

/** One line per failing row: its tags and the columns that differ. */
export function describeFailures(failures: FailingRow[]): string[] {
  return failures.map((f) => {
    const cols = f.columns
      .map(
        (c) =>
          `${c.column}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(c.actual)}${c.deviation === null ? '' : ` (off by ${c.deviation})`}`,
      )
      .join('; ')
    return `row ${f.row}${f.tags.length > 0 ? ` [${f.tags.join(', ')}]` : ''}: ${cols}`
  })
}

/** Compares the outputs of the rows sent with their expected rows (rows keep their dataset index). */
export function compareSent(f: Fixture, outputs: Map<number, DataRow>) {
  const sent = [...outputs.keys()].sort((a, b) => a - b)
  const c = compareRows(
    sent.map((r) => f.expected[r]!),
    sent.map((r) => outputs.get(r)!),
    f.tolerances,
    (i) => f.tags(sent[i]!),
  )
  return { ...c, firstFailures: c.firstFailures.map((x) => ({ ...x, row: sent[x.row]! })) }
}

async function replayFixture(ctx: Context, f: Fixture): Promise<StageResult> {
  const start = performance.now()
  const plan = await ctx.plan(f)
  const unsendable: NotSendable[] = []
  const indices: number[] = []
  for (let r = 0; r < f.rows.length; r++) {
    const why = notSendable(ctx, plan, f, r)
    if (why === undefined) indices.push(r)
    else unsendable.push(why)
  }
  const skipped = unsendable.map((u) => `row ${u.row} not sendable: ${u.column} = ${u.value} (${u.reason})`)
  const base = { fixture: f.ref }
  if (indices.length === 0)
    return stageResult('replay', 'fail', `no row of ${f.ref} can be sent in ${ctx.protocol.name}`, start, {
      ...base,
      details: skipped.slice(0, 20),
      rows: { compared: 0, failing: 0, notSendable: unsendable },
    })
  const { outputs, problems, notes } = await sendRows(ctx, plan, f, indices, ctx.batch)
  const c = compareSent(f, outputs)
  const rows = { compared: c.rowsCompared, failing: c.rowsFailing, notSendable: unsendable }
  // Rows not sent (or not answered) have no output: the metrics exclude and count them.
  const metrics = await f.metrics?.(f.rows.map((_, r) => outputs.get(r)))
  const note = `${unsendable.length > 0 ? `; ${unsendable.length} not sendable` : ''}${
    metrics === undefined ? '' : `; ${metrics.checks.length} metric values`
  }`
  const all = [...problems, ...c.problems]
  if (metrics !== undefined && !metrics.passed) {
    const failing = [...metrics.problems, ...metrics.checks.flatMap((m) => (m.passed ? [] : [m.message!]))]
    if (all.length === 0 && c.rowsFailing === 0)
      return stageResult('replay', 'fail', failing[0]!, start, {
        ...base,
        details: [...failing.slice(1), ...notes, ...skipped.slice(0, 20)],
        rows,
        metrics,
      })
    all.push(...failing)
  }
  if (all.length > 0 || c.rowsFailing > 0) {
    const reason =
      all.length > 0
        ? all[0]!
        : `${c.rowsFailing} of ${c.rowsCompared} rows differ beyond tolerance (worst: ${
            Object.entries(c.worst)
              .filter(([, d]) => d !== null && d > 0)
              .map(([col, d]) => `${col} ${d}`)
              .join(', ') || 'text values'
          })`
    return stageResult('replay', 'fail', reason, start, {
      ...base,
      details: [...all.slice(1), ...describeFailures(c.firstFailures), ...notes, ...skipped.slice(0, 20)],
      rows,
      ...(metrics === undefined ? {} : { metrics }),
    })
  }
  const within = metrics === undefined ? '' : ' and every metric is within its bounds'
  return stageResult(
    'replay',
    'pass',
    `${c.rowsCompared} rows match the expected outputs${within}${note}`,
    start,
    {
      ...base,
      details: [...notes, ...skipped.slice(0, 20)],
      rows,
      ...(metrics === undefined ? {} : { metrics }),
    },
  )
}

export async function replayStage(ctx: Context): Promise<StageResult[]> {
  const out: StageResult[] = []
  for (const f of ctx.fixtures) out.push(await replayFixture(ctx, f))
  return out
}
