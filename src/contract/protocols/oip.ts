/**
 * The Open Inference Protocol (KServe v2, Triton, MLServer) over REST: `/v2/health/ready`,
 * `/v2/models/{m}/ready`, `/v2/models/{m}` (metadata), `POST /v2/models/{m}/infer` with one
 * tensor per input; responses are checked against the protocol's own schemas.
 * Tensors have no null and JSON has no NaN/±Infinity: rows holding them are not sendable.
 */
import { createRequire } from 'node:module'
import type { ValidateFunction } from 'ajv'
import type { CellValue, DataRow } from '../../formats/read.ts'
import { asDatatype, type InputTensor, type OutputPlan } from '../mapping.ts'
import { OIP_SCHEMAS } from './oip-spec.ts'
import { type Decoded, isRecord, type Protocol, pairOutputs, type SendRow } from './types.ts'

const require = createRequire(import.meta.url)
let validators: Map<string, ValidateFunction> | undefined

/** Validates a body against one of the protocol's schemas; the problems in words (empty when valid). */
export function oipSchemaProblems(schema: keyof typeof OIP_SCHEMAS, body: unknown): string[] {
  if (validators === undefined) {
    const m = require('ajv') as { default?: typeof import('ajv').default }
    const Ajv = m.default ?? (m as unknown as typeof import('ajv').default)
    const ajv = new Ajv({ strict: false, logger: false, allErrors: true })
    ajv.addSchema({ $id: 'oip', components: { schemas: OIP_SCHEMAS } })
    validators = new Map()
    for (const name of Object.keys(OIP_SCHEMAS))
      validators.set(name, ajv.getSchema(`oip#/components/schemas/${name}`)!)
  }
  const validate = validators.get(schema)!
  if (validate(body)) return []
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${schema}${e.instancePath === '' ? '' : ` at ${e.instancePath}`}: ${e.message ?? 'invalid'}`)
}

const flatten = (data: unknown[]): unknown[] =>
  data.flatMap((d) => (Array.isArray(d) ? flatten(d as unknown[]) : [d]))

function typeProblem(datatype: string, values: unknown[]): string | undefined {
  const want = datatype === 'BOOL' ? 'boolean' : datatype === 'BYTES' ? 'string' : 'number'
  const bad = values.find((v) => typeof v !== want)
  return bad === undefined ? undefined : `holds ${JSON.stringify(bad)} where ${datatype} needs a ${want}`
}

/** Reads the outputs of an inference response. */
function decode(json: unknown, n: number, outputs: OutputPlan): Decoded {
  const problems = oipSchemaProblems('inference_response', json)
  const notes: string[] = []
  if (problems.length > 0 || !isRecord(json)) return { rows: [], problems, notes }
  const list = json.outputs as { name: string; shape: number[]; datatype: string; data: unknown[] }[]
  const { pairs, missing, note } = pairOutputs(
    list.map((o) => o.name),
    outputs,
  )
  if (note !== undefined) notes.push(note)
  if (missing.length > 0)
    problems.push(
      `the response has no output ${missing.map((m) => JSON.stringify(outputs.nameOf[m] ?? m)).join(', ')} (it has ${list.map((o) => o.name).join(', ') || 'none'})`,
    )
  const columns = new Map<string, unknown[]>()
  for (const [column, name] of pairs) {
    const o = list.find((x) => x.name === name)!
    const data = flatten(o.data)
    const size = o.shape.reduce((a, b) => a * b, 1)
    if (size !== data.length)
      problems.push(
        `output ${name}: shape [${o.shape.join(', ')}] holds ${size} values but data has ${data.length}`,
      )
    if (o.shape[0] !== n || o.shape.slice(1).some((d) => d !== 1))
      problems.push(
        `output ${name}: shape [${o.shape.join(', ')}], expected [${n}] or [${n}, 1] (one value per row)`,
      )
    const bad = typeProblem(o.datatype, data)
    if (bad !== undefined) problems.push(`output ${name} ${bad}`)
    columns.set(column, data)
  }
  const rows: DataRow[] = []
  if (problems.length === 0)
    for (let i = 0; i < n; i++)
      rows.push(Object.fromEntries([...columns].map(([c, data]) => [c, data[i] as CellValue])))
  return { rows, problems, notes }
}

function encode(rows: SendRow[], inputs: InputTensor[], _model: string, raw = false): string {
  const tensors = []
  for (const input of inputs) {
    const present = rows.every((r) => input.columns.every((c) => c in r))
    // A negative row that leaves a one-column input out sends no tensor for it.
    if (!present && input.columns.length === 1) continue
    const value = (v: unknown) => (raw ? (v ?? null) : asDatatype(v as CellValue, input.datatype))
    const data =
      input.rank === 2 || input.columns.length > 1
        ? rows.map((r) => input.columns.map((c) => value(r[c])))
        : rows.map((r) => value(r[input.columns[0]!]))
    const shape =
      input.rank === 2 || input.columns.length > 1 ? [rows.length, input.columns.length] : [rows.length]
    tensors.push({ name: input.name, shape, datatype: input.datatype, data })
  }
  return JSON.stringify({ inputs: tensors })
}

export const oip: Protocol = {
  name: 'oip',
  health: (m) => [
    { label: 'server ready', path: '/v2/health/ready' },
    { label: 'model ready', path: `/v2/models/${encodeURIComponent(m)}/ready` },
  ],
  metadataPath: (m) => `/v2/models/${encodeURIComponent(m)}`,
  inferPath: (m) => `/v2/models/${encodeURIComponent(m)}/infer`,
  unsendable(value) {
    if (value === null) return 'an Open Inference Protocol tensor has no null'
    if (typeof value === 'number' && !Number.isFinite(value))
      return `${String(value)} has no form in JSON tensor data`
    return undefined
  },
  encode,
  decode,
  errorShape: '{"error": "…"}',
  isErrorBody: (json) => isRecord(json) && typeof json.error === 'string' && json.error !== '',
}
