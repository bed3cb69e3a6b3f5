/**
 * Records mode: rows are instances of a JSON Schema. Each block of rows has its own seeded
 * stream; each record is sampled, then checked against the whole schema with ajv, and drawn
 * again when the check fails, so every written record validates.
 */

import type { DatasetDef } from '../../schemas/language.ts'
import type { ColumnBlock } from '../core/blocks.ts'
import { GoldgenError } from '../core/errors.ts'
import { blockRng } from '../core/random.ts'
import {
  describeErrors,
  type JsonObject,
  type Node,
  openSchemaDocument,
  type SchemaDocument,
} from './document.ts'
import { Sampler, Unsatisfiable } from './sample.ts'
import { type RecordColumn, recordColumns } from './shape.ts'

/** Bump when the records made for a given JSON Schema and seed change. */
export const RECORDS_GENERATOR_VERSION = 1

/** Attempts per record before generation gives up with the validator's reason. */
export const MAX_RECORD_ATTEMPTS = 200

/** The stream name records are keyed by (no column may start with `_goldgen`). */
const RECORD_STREAM = '_goldgen_records'

/**
 * Rows made whole, one record at a time, rather than column by column: records of a JSON
 * Schema (`records:`) or rows of a fitted model (`model:`). Each column is one property.
 */
export interface RecordsPlan {
  columns: RecordColumn[]
  /** The generator, for the manifest. */
  generator: { type: string; version: number }
  /** The manifest's `records` section (what made the rows). */
  info: Record<string, string>
  /** The record source for a seed. */
  source(seed: number): RecordSource
}

interface JsonSchemaRecords {
  doc: SchemaDocument
  /** The subschema one record follows. */
  node: Node
  pointer: string
  columns: RecordColumn[]
}

/** Opens the JSON Schema of a `records` definition. Errors name `file` and the JSON pointer. */
export function planRecords(def: DatasetDef, file?: string): RecordsPlan {
  const records = def.records!
  const doc = openSchemaDocument(
    records.json_schema,
    file,
    records.refs as Record<string, unknown> | undefined,
  )
  const pointer = records.pointer ?? '#'
  const node = pointer === '#' ? doc.root : doc.resolve(pointer, '')
  const plan: JsonSchemaRecords = { doc, node, pointer, columns: recordColumns(doc, node) }
  return {
    columns: plan.columns,
    generator: { type: 'json-schema', version: RECORDS_GENERATOR_VERSION },
    info: { from: 'json-schema', draft: doc.draft, pointer },
    source: (seed) => createRecordSource(plan, seed),
  }
}

export interface RecordSource {
  /** The records of block `index` (`length` rows), made once and kept until another block is asked for. */
  block(index: number, length: number): JsonObject[]
  /** Draws that failed the final check so far (a measure of how well the sampler fits the schema). */
  rejected(): number
}

function createRecordSource(plan: JsonSchemaRecords, seed: number): RecordSource {
  const names = plan.columns.map((c) => c.name)
  const validate = plan.pointer === '#' ? plan.doc.validate : plan.doc.validatorAt(plan.pointer.slice(1))
  let cached: { index: number; rows: JsonObject[] } | undefined
  let rejected = 0
  return {
    rejected: () => rejected,
    block(index, length) {
      if (cached?.index === index && cached.rows.length === length) return cached.rows
      const sampler = new Sampler(plan.doc, blockRng(seed, RECORD_STREAM, 'records', index))
      const rows: JsonObject[] = new Array(length)
      for (let r = 0; r < length; r++) {
        let reason = ''
        for (let attempt = 0; ; attempt++) {
          if (attempt === MAX_RECORD_ATTEMPTS) {
            throw new GoldgenError(
              'NOT_SUPPORTED',
              `goldgen could not make a record that satisfies the JSON Schema in ${MAX_RECORD_ATTEMPTS} attempts`,
              {
                file: plan.doc.file,
                issues: [{ code: 'unsatisfied', path: ['records', 'json_schema'], message: reason }],
              },
            )
          }
          let record: JsonObject
          try {
            record = sampler.sample([plan.node], 0, names) as JsonObject
          } catch (e) {
            if (!(e instanceof Unsatisfiable)) throw e
            reason = e.message
            rejected++
            continue
          }
          if (validate(record)) {
            rows[r] = record
            break
          }
          reason = describeErrors(validate)
          rejected++
        }
      }
      cached = { index, rows }
      return rows
    },
  }
}

/** One column of a block of records: the property's values, `undefined` where a record leaves it out. */
export function recordColumnBlock(rows: readonly JsonObject[], name: string): ColumnBlock {
  const values: unknown[] = new Array(rows.length)
  let validity: Uint8Array | undefined
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    const v = Object.hasOwn(row, name) ? row[name] : undefined
    values[i] = v
    if (v === undefined || v === null) {
      validity ??= new Uint8Array(rows.length).fill(1)
      validity[i] = 0
    }
  }
  return { kind: 'json', values, validity }
}
