/**
 * What every stage of a contract run shares: the resolved options, the protocol adapter, the
 * HTTP client, the fixtures, the model's metadata (fetched once, OIP only) and, per fixture,
 * which columns go into which input with which datatype and which output answers which column.
 */
import { GoldgenError } from '../core/errors.ts'
import type { Fixture } from './fixtures.ts'
import { failed, type HttpClient } from './http.ts'
import {
  cannotCarry,
  columnValues,
  defaultDatatype,
  type InputTensor,
  KNOWN_DATATYPES,
  type OutputPlan,
} from './mapping.ts'
import type { Protocol, SendRow } from './protocols/index.ts'
import { oipSchemaProblems } from './protocols/oip.ts'
import type { Sla } from './sla.ts'
import type { StageName, StageResult, StageStatus } from './types.ts'

export interface TensorMetadata {
  name: string
  datatype: string
  shape: number[]
}
export interface ModelMetadata {
  name: string
  inputs: TensorMetadata[]
  outputs: TensorMetadata[]
}
export type MetadataOutcome = { metadata: ModelMetadata } | { problem: string }

export interface RunSettings {
  model: string
  modelName: string
  batch: number
  concurrency: number
  duration: number
  timeout: number
  sla: Sla
  slaText: string
  inputs: { name: string; columns: string[] }[] | undefined
  outputs: Record<string, string>
}

export interface Plan {
  inputs: InputTensor[]
  outputs: OutputPlan
}

export interface Context extends RunSettings {
  protocol: Protocol
  http: HttpClient
  fixtures: Fixture[]
  /** The model's metadata (OIP); undefined for protocols without a metadata endpoint. */
  metadata(): Promise<MetadataOutcome | undefined>
  plan(fixture: Fixture): Promise<Plan>
  /** A row as it is sent: only the columns the inputs carry. */
  sendRow(plan: Plan, row: SendRow): SendRow
}

export function createContext(
  settings: RunSettings,
  protocol: Protocol,
  http: HttpClient,
  fixtures: Fixture[],
): Context {
  let metadata: Promise<MetadataOutcome | undefined> | undefined
  const plans = new Map<Fixture, Promise<Plan>>()

  async function fetchMetadata(): Promise<MetadataOutcome | undefined> {
    if (protocol.metadataPath === undefined) return undefined
    const path = protocol.metadataPath(settings.modelName)
    const res = await http.get(path)
    if (failed(res)) return { problem: `GET ${http.url(path)}: ${res.failure}` }
    if (res.status !== 200) return { problem: `GET ${http.url(path)} answered ${res.status}` }
    const problems = oipSchemaProblems('metadata_model_response', res.json)
    if (problems.length > 0)
      return { problem: `the model metadata does not follow the protocol: ${problems.join('; ')}` }
    const m = res.json as Partial<ModelMetadata> & { name: string }
    return { metadata: { name: m.name, inputs: m.inputs ?? [], outputs: m.outputs ?? [] } }
  }

  async function makePlan(f: Fixture): Promise<Plan> {
    const meta = await ctx.metadata()
    const declared = meta !== undefined && 'metadata' in meta ? meta.metadata.inputs : []
    const groups =
      settings.inputs ??
      (declared.length > 0 ? f.columns.filter((c) => declared.some((d) => d.name === c)) : f.columns).map(
        (c) => ({
          name: c,
          columns: [c],
        }),
      )
    for (const g of groups)
      for (const c of g.columns)
        if (!f.columns.includes(c))
          throw new GoldgenError(
            'USAGE',
            `--inputs names the column ${JSON.stringify(c)}, which ${f.ref} does not have (it has ${f.columns.join(', ')})`,
          )
    const inputs: InputTensor[] = groups.map((g) => {
      const types = g.columns.map((c) => f.types[c] ?? 'string')
      const d = declared.find((x) => x.name === g.name)
      const carries =
        d !== undefined &&
        KNOWN_DATATYPES.has(d.datatype) &&
        g.columns.every((c, i) => cannotCarry(d.datatype, types[i]!, columnValues(f.rows, c)) === undefined)
      return {
        name: g.name,
        columns: g.columns,
        datatype: carries ? d.datatype : defaultDatatype(types),
        rank: d !== undefined ? (d.shape.length >= 2 ? 2 : 1) : g.columns.length > 1 ? 2 : 1,
      }
    })
    const columns = Object.keys(f.expected[0] ?? {})
    for (const c of Object.keys(settings.outputs))
      if (!columns.includes(c))
        throw new GoldgenError(
          'USAGE',
          `--outputs maps to the column ${JSON.stringify(c)}, which the expected outputs of ${f.ref} do not have (they have ${columns.join(', ')})`,
        )
    return { inputs, outputs: { columns, nameOf: settings.outputs } }
  }

  const ctx: Context = {
    ...settings,
    protocol,
    http,
    fixtures,
    metadata: () => {
      metadata ??= fetchMetadata()
      return metadata
    },
    plan(f) {
      let p = plans.get(f)
      if (p === undefined) {
        p = makePlan(f)
        plans.set(f, p)
      }
      return p
    },
    sendRow(plan, row) {
      const out: SendRow = {}
      for (const input of plan.inputs) for (const c of input.columns) if (c in row) out[c] = row[c]
      return out
    },
  }
  return ctx
}

/** A stage result, timed from `start` (performance.now()). */
export function stageResult(
  stage: StageName,
  status: StageStatus,
  reason: string,
  start: number,
  extra: Partial<StageResult> = {},
): StageResult {
  return {
    stage,
    status,
    reason,
    details: [],
    seconds: Math.round(performance.now() - start) / 1000,
    ...extra,
  }
}
