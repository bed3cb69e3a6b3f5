/**
 * Record sources as the engine runs them: rows made whole, one record at a time (JSON Schema
 * `records:` here, fitted `model:` rows in src/privacy/model.ts), each property one column.
 */
import { shapeTypeName } from '../core/shape.ts'
import { defineRowSource, type PlannedSource } from '../engine/source.ts'
import { planRecords, type RecordsPlan, recordColumnBlock } from './records.ts'

/** A planned record source: `json` columns projected from the same seeded records. */
export function recordsSource(kind: string, records: RecordsPlan): PlannedSource {
  return {
    kind,
    columns: records.columns.map((c) => ({
      name: c.name,
      kind: 'json',
      shape: c.shape,
      describe: { type: 'json', generator: records.generator, arrowType: shapeTypeName(c.shape) },
    })),
    open(seed) {
      const source = records.source(seed)
      return {
        rejected: source.rejected,
        block: (c, b, length) => recordColumnBlock(source.block(b, length), records.columns[c]!.name),
      }
    },
    info: records.info,
    manifest: (figures) => ({ records: { ...records.info, rejected: figures.rejected ?? 0 } }),
  }
}

/** Schemas with `records:` (imported JSON Schemas). */
export const recordsRowSource = defineRowSource({
  name: 'records',
  claims: (def) => def.records !== undefined,
  tags: false,
  plan: (def, ctx) => recordsSource('records', planRecords(def, ctx.source.file)),
})
