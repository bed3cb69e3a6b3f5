/**
 * `validate` as a core call: load a schema, plan it (which checks feasibility, e.g. `unique` for
 * the row count) and summarize what it describes. Invalid schemas throw their `GoldgenError`.
 */
import { schemaSha256 } from '../../schemas/canonical.ts'
import { parseSchemaDocument, plural, salvageDef } from '../../schemas/parse.ts'
import { formatPath, GoldgenError, type Issue } from '../core/errors.ts'
import { readTextFile } from '../core/files.ts'
import { planTables } from '../tables/plan.ts'
import type { SchemaSource } from './generate.ts'
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
  let source: ReturnType<typeof loadSchema>
  try {
    source = loadSchema(file)
  } catch (e) {
    throw withSemanticProblems(e, file, options.rows)
  }
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

/** Plans a schema as generate would (tables or one dataset); throws its semantic problems. */
function planSchema(source: SchemaSource, rows: number | undefined): void {
  if (source.def.tables !== undefined) planTables(source.def, { rows }, source)
  else planDataset(source.def, { rows }, source)
}

/**
 * A schema's shape problems together with the semantic problems of the parts that have none
 * (so one run reports everything): the columns with shape problems are left out and the rest is
 * planned; semantic problems about what was left out are not reported.
 */
function withSemanticProblems(error: unknown, file: string, rows: number | undefined): unknown {
  if (!(error instanceof GoldgenError) || error.code !== 'SCHEMA_INVALID' || error.issues.length === 0)
    return error
  let parsed: ReturnType<typeof parseSchemaDocument>
  try {
    parsed = parseSchemaDocument(readTextFile(file), file)
  } catch {
    return error
  }
  const salvaged = salvageDef(parsed.raw, error.issues)
  if (salvaged === undefined) return error
  const dropped = salvaged.dropped.map((p) => formatPath(p))
  const names = salvaged.dropped.map((p) => String(p.at(-1)))
  let semantic: Issue[] = []
  try {
    planSchema({ def: salvaged.def, file, locate: parsed.locate }, rows)
  } catch (e) {
    if (!(e instanceof GoldgenError) || e.code !== 'SCHEMA_INVALID') return error
    semantic = e.issues.filter(
      (i) =>
        !dropped.some((d) => formatPath(i.path).startsWith(d)) &&
        !names.some((n) => new RegExp(`\\b${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(i.message)),
    )
  }
  if (semantic.length === 0) return error
  const issues = [...error.issues, ...semantic].sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
  return new GoldgenError('SCHEMA_INVALID', `invalid schema (${plural(issues.length, 'problem')})`, {
    file,
    issues,
  })
}
