/**
 * `validate` as a core call: load a schema, plan it (which checks feasibility, e.g. `unique` for
 * the row count) and summarize what it describes. Invalid schemas throw their `GoldgenError`.
 */
import { schemaSha256 } from '../../schemas/canonical.ts'
import { planTables } from '../tables/plan.ts'
import { loadSchema } from './load-schema.ts'
import { planDataset } from './plan.ts'

export interface ValidationSummary {
  valid: true
  file: string
  name: string | null
  columns: number
  /** Records schemas: the kind of each record column. */
  records?: Record<string, string>
  rows: number
  seed: number
  schemaSha256: string
  /** Tables schemas: the rows of each table. */
  tables?: Record<string, number>
}

/** Checks a schema file as `generate` would, for `rows` rows (default: the schema's). */
export function validateSchemaFile(
  file: string,
  options: { rows?: number | undefined } = {},
): ValidationSummary {
  const source = loadSchema(file)
  if (source.def.tables !== undefined) {
    const planned = planTables(source.def, { rows: options.rows }, source)
    return {
      valid: true,
      file,
      name: source.def.name ?? null,
      columns: planned.tables.reduce((n, t) => n + t.source.columns.length, 0),
      rows: planned.tables.reduce((n, t) => n + t.rows, 0),
      seed: planned.seed,
      schemaSha256: schemaSha256(source.def),
      tables: Object.fromEntries(planned.tables.map((t) => [t.name, t.rows])),
    }
  }
  const plan = planDataset(source.def, { rows: options.rows }, source)
  const records = plan.source.info
  return {
    valid: true,
    file,
    name: plan.def.name ?? null,
    columns: plan.source.columns.filter((c) => c.describe !== undefined).length,
    ...(records !== undefined ? { records } : {}),
    rows: plan.rows,
    seed: plan.seed,
    schemaSha256: schemaSha256(plan.def),
  }
}
