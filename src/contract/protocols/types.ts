/**
 * What a protocol adapter of the contract runner is: where its health, metadata and inference
 * endpoints are, which values it can carry, how rows become a request body and how a response
 * body becomes rows of outputs, and what its error bodies look like.
 */
import type { CellValue, DataRow } from '../../formats/read.ts'
import type { InputTensor, OutputPlan } from '../mapping.ts'
import type { ProtocolName } from '../types.ts'

/** Outputs read from a response: one row per input row keyed by expected column, or problems. */
export interface Decoded {
  rows: DataRow[]
  /** Shape and type problems: any makes the response wrong. */
  problems: string[]
  /** Things worth saying that do not fail the stage (e.g. outputs paired by position). */
  notes: string[]
}

/** A row as sent: dataset values by column; a column left out is absent. */
export type SendRow = Record<string, unknown>

export interface Protocol {
  name: ProtocolName
  /** Readiness probes (paths under the endpoint), judged by status code: 2xx (`below500`: any below 500). */
  health(model: string): { label: string; path: string; below500?: boolean }[]
  /** The model metadata path (OIP only). */
  metadataPath?(model: string): string
  inferPath(model: string): string
  /** Why this protocol cannot carry a value as it is; undefined when it can. */
  unsendable(value: CellValue): string | undefined
  /** The request body for rows; `raw` sends values exactly as given (negative rows). */
  encode(rows: SendRow[], inputs: InputTensor[], model: string, raw?: boolean): string
  decode(json: unknown, rows: number, outputs: OutputPlan): Decoded
  /** What the protocol's error body looks like, in words. */
  errorShape: string
  isErrorBody(json: unknown): boolean
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

export { isRecord }

/** Row objects for row-oriented protocols: a one-column input is a value, a packed one an array. */
export function rowObjects(rows: SendRow[], inputs: InputTensor[]): Record<string, unknown>[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = {}
    for (const input of inputs) {
      if (input.columns.length === 1) {
        const c = input.columns[0]!
        if (c in row) out[input.name] = row[c]
      } else out[input.name] = input.columns.map((c) => (c in row ? row[c] : null))
    }
    return out
  })
}

/**
 * Pairs expected columns with output names: by name (after --outputs), and when names differ
 * but the counts agree, by position with a note (the metadata stage judges the names).
 */
export function pairOutputs(
  available: string[],
  outputs: OutputPlan,
): { pairs: Map<string, string>; missing: string[]; note?: string } {
  const pairs = new Map<string, string>()
  const unmatched: string[] = []
  for (const column of outputs.columns) {
    const name = outputs.nameOf[column] ?? column
    if (available.includes(name)) pairs.set(column, name)
    else unmatched.push(column)
  }
  if (unmatched.length === 0) return { pairs, missing: [] }
  const spare = available.filter((n) => ![...pairs.values()].includes(n))
  if (available.length === outputs.columns.length && spare.length === unmatched.length) {
    for (const [i, c] of unmatched.entries()) pairs.set(c, spare[i]!)
    return {
      pairs,
      missing: [],
      note: `outputs ${spare.map((s) => JSON.stringify(s)).join(', ')} compared by position with ${unmatched.map((s) => JSON.stringify(s)).join(', ')} (their names differ)`,
    }
  }
  return { pairs, missing: unmatched }
}

/** Reads `predictions` (bare values for one output, or objects keyed by output name). */
export function decodePredictions(predictions: unknown, n: number, outputs: OutputPlan): Decoded {
  const problems: string[] = []
  const notes: string[] = []
  if (!Array.isArray(predictions)) return { rows: [], problems: ['expected an array of predictions'], notes }
  if (predictions.length !== n)
    problems.push(`expected ${n} predictions (one per row), got ${predictions.length}`)
  const rows: DataRow[] = []
  let noted = false
  for (const [i, p] of predictions.entries()) {
    const item = Array.isArray(p) && p.length === 1 ? p[0] : p
    if (isRecord(item)) {
      const { pairs, missing, note } = pairOutputs(Object.keys(item), outputs)
      if (missing.length > 0) {
        problems.push(
          `prediction ${i} has no output ${missing.map((m) => JSON.stringify(outputs.nameOf[m] ?? m)).join(', ')} (it has ${Object.keys(item).join(', ') || 'none'})`,
        )
        break
      }
      if (note !== undefined && !noted) {
        notes.push(note)
        noted = true
      }
      rows.push(Object.fromEntries([...pairs].map(([c, name]) => [c, cell(item[name])])))
    } else if (outputs.columns.length === 1 && !Array.isArray(item) && item !== undefined) {
      rows.push({ [outputs.columns[0]!]: cell(item) })
    } else {
      problems.push(
        `prediction ${i} is ${JSON.stringify(p)?.slice(0, 60)}: expected ${outputs.columns.length === 1 ? 'a value or ' : ''}an object keyed by ${outputs.columns.map((c) => outputs.nameOf[c] ?? c).join(', ')}`,
      )
      break
    }
  }
  for (const [i, r] of rows.entries()) {
    const bad = Object.entries(r).find(([, v]) => v === undefined)
    if (bad !== undefined) {
      problems.push(`prediction ${i}: ${bad[0]} is not a number, string, boolean or null`)
      break
    }
  }
  return { rows, problems, notes }
}

/** A JSON value as a cell; undefined for values no cell holds (objects, arrays). */
export function cell(v: unknown): CellValue {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v
  return undefined as unknown as CellValue
}

/** Why strict JSON cannot carry a value (NaN and ±Infinity have no JSON form). */
export function strictJsonUnsendable(value: CellValue): string | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return `${String(value)} has no form in JSON`
  return undefined
}
