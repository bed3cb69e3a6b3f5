/**
 * The metadata stage (the request/response contract). OIP: the model's declared inputs and
 * outputs (name, datatype, shape) against the fixture's columns and the expected outputs'
 * columns. Protocols without a metadata endpoint: one known row is sent and the response's
 * shape and output names are checked instead.
 */
import { type Context, type ModelMetadata, type Plan, stageResult } from '../context.ts'
import type { Fixture } from '../fixtures.ts'
import { failed } from '../http.ts'
import { cannotCarry, columnValues, typeOfValues } from '../mapping.ts'
import type { StageResult } from '../types.ts'
import { excerpt } from '../values.ts'

const names = (list: string[]) => list.map((n) => JSON.stringify(n)).join(', ')

/** Problems between declared metadata and a fixture's plan. */
function declaredProblems(m: ModelMetadata, f: Fixture, plan: Plan): string[] {
  const problems: string[] = []
  const sent = plan.inputs.map((i) => i.name)
  const missing = m.inputs.filter((d) => !sent.includes(d.name)).map((d) => d.name)
  if (missing.length > 0)
    problems.push(
      `missing input ${names(missing)}: the model declares it but ${f.ref} has no such column (map columns with --inputs)`,
    )
  for (const input of plan.inputs) {
    const d = m.inputs.find((x) => x.name === input.name)
    if (d === undefined) {
      if (m.inputs.length > 0)
        problems.push(
          `input ${JSON.stringify(input.name)} is not declared by the model (it declares ${names(m.inputs.map((x) => x.name))})`,
        )
      continue
    }
    for (const c of input.columns) {
      const why = cannotCarry(d.datatype, f.types[c] ?? 'string', columnValues(f.rows, c))
      if (why !== undefined)
        problems.push(
          `input ${JSON.stringify(d.name)} (${d.datatype}) cannot carry column ${JSON.stringify(c)}: ${why}`,
        )
    }
    const k = input.columns.length
    const shapeOk =
      d.shape.length === 1 ? k === 1 : d.shape.length === 2 && (d.shape[1] === -1 || d.shape[1] === k)
    if (!shapeOk)
      problems.push(
        `input ${JSON.stringify(d.name)} has shape [${d.shape.join(', ')}] but carries ${k} column${k === 1 ? '' : 's'} (expected [-1]${k === 1 ? ' or [-1, 1]' : ''}${k > 1 ? ` or [-1, ${k}]` : ''})`,
      )
  }
  const declaredOut = m.outputs.map((o) => o.name)
  for (const column of plan.outputs.columns) {
    const name = plan.outputs.nameOf[column] ?? column
    const d = m.outputs.find((o) => o.name === name)
    if (d === undefined) {
      problems.push(
        `undeclared output ${JSON.stringify(name)} (for the expected column ${JSON.stringify(column)}): the model declares ${declaredOut.length === 0 ? 'no outputs' : names(declaredOut)}`,
      )
      continue
    }
    const values = columnValues(f.expected, column)
    const why = cannotCarry(d.datatype, typeOfValues(values), values)
    if (why !== undefined)
      problems.push(
        `output ${JSON.stringify(name)} (${d.datatype}) cannot carry the expected column ${JSON.stringify(column)}: ${why}`,
      )
    if (!(d.shape.length === 1 || (d.shape.length === 2 && (d.shape[1] === 1 || d.shape[1] === -1))))
      problems.push(
        `output ${JSON.stringify(name)} has shape [${d.shape.join(', ')}], expected one value per row ([-1] or [-1, 1])`,
      )
  }
  return problems
}

/** Protocols without metadata: the answer to one known row must have the expected outputs. */
async function probeProblems(ctx: Context, f: Fixture, plan: Plan): Promise<string[]> {
  const index = f.rows.findIndex((r) =>
    plan.inputs.every((i) => i.columns.every((c) => ctx.protocol.unsendable(r[c] ?? null) === undefined)),
  )
  if (index < 0) return [`no row of ${f.ref} can be sent to probe the response contract`]
  const path = ctx.protocol.inferPath(ctx.modelName)
  const res = await ctx.http.post(
    path,
    ctx.protocol.encode([ctx.sendRow(plan, f.rows[index]!)], plan.inputs, ctx.modelName),
  )
  if (failed(res)) return [`POST ${ctx.http.url(path)}: ${res.failure}`]
  if (res.status !== 200)
    return [
      `POST ${ctx.http.url(path)} answered ${res.status} to row ${index} of ${f.ref}: ${excerpt(res.text)}`,
    ]
  const decoded = ctx.protocol.decode(res.json, 1, plan.outputs)
  // Paired by position means the names drifted: that is this stage's failure.
  return [
    ...decoded.problems,
    ...decoded.notes.map((n) => `output names differ from the expected columns: ${n}`),
  ]
}

export async function metadataStage(ctx: Context): Promise<StageResult[]> {
  const start = performance.now()
  const meta = await ctx.metadata()
  if (meta !== undefined && 'problem' in meta) return [stageResult('metadata', 'fail', meta.problem, start)]
  const problems: string[] = []
  for (const f of ctx.fixtures) {
    const plan = await ctx.plan(f)
    problems.push(
      ...(meta === undefined ? await probeProblems(ctx, f, plan) : declaredProblems(meta.metadata, f, plan)),
    )
  }
  const unique = [...new Set(problems)]
  if (unique.length > 0)
    return [stageResult('metadata', 'fail', unique[0]!, start, { details: unique.slice(1) })]
  const how =
    meta === undefined
      ? `the ${ctx.protocol.name} response to a known row has every expected output`
      : `the declared inputs and outputs match the fixtures (${meta.metadata.inputs.length} inputs, ${meta.metadata.outputs.length} outputs)`
  return [stageResult('metadata', 'pass', how, start)]
}
