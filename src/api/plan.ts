/**
 * Planning through the front door: the engine's `planRun` with every kind of schema goldgen
 * knows (JSON Schema records, fitted models, columns). A new kind of schema is a row source
 * (src/engine/source.ts) added to `rowSources`.
 */
import type { DatasetDef } from '../../schemas/language.ts'
import { columnsRowSource } from '../columns/source.ts'
import { GoldgenError } from '../core/errors.ts'
import { type Plan, planRun, type RunOptions } from '../engine/plan.ts'
import type { RowSourceKind, SourceInfo } from '../engine/source.ts'
import { recordsRowSource } from '../jsonschema/records-source.ts'
import { modelRowSource } from '../privacy/model.ts'
import { planTables } from '../tables/plan.ts'

/** The kinds of schema, in the order they are asked to claim a definition. */
export const rowSources: readonly RowSourceKind[] = [recordsRowSource, modelRowSource, columnsRowSource]

/** Checks a definition for a run and returns its plan. Throws GoldgenError (SCHEMA_INVALID, USAGE). */
export function planDataset(def: DatasetDef, options: RunOptions = {}, source: SourceInfo = {}): Plan {
  if (def.tables !== undefined) {
    planTables(def, options, source) // reports the schema's problems first
    throw new GoldgenError(
      'USAGE',
      `${source.file ?? 'the schema'} has tables (${Object.keys(def.tables).join(', ')}): generate them together (goldgen generate, generateTables) or one with --table`,
    )
  }
  return planRun(def, options, source, rowSources)
}
