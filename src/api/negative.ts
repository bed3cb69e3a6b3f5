/**
 * Negative rows, for contract tests of a serving API's error handling: valid rows of the
 * dataset, each changed to break the schema in exactly one named way. The (column, violation)
 * pairs that apply to the schema are assigned round-robin, so N ≥ their number yields each one.
 */
import { DEFAULT_MAX_LENGTH } from '../../generators/string.ts'
import type { ColumnDef } from '../../schemas/language.ts'
import { isColumnsSource } from '../columns/source.ts'
import { GoldgenError } from '../core/errors.ts'
import { createDataset } from '../engine/dataset.ts'
import type { Plan } from '../engine/plan.ts'
import { jsonlFormat } from '../formats/jsonl.ts'
import { planDataset } from './plan.ts'

export type ViolationKind =
  | 'wrong_type'
  | 'out_of_range'
  | 'unknown_category'
  | 'missing_required'
  | 'too_long'

export interface Violation {
  column: string
  kind: ViolationKind
  /** What the schema expects there, in words. */
  expected: string
}

/** The field added to each negative row; strip it before sending the row. */
export const VIOLATION_FIELD = '_goldgen_violation'

const DAY = 86_400_000

/** The violations a column admits, with the value that commits each (undefined = leave the key out). */
function violationsOf(name: string, spec: ColumnDef): { violation: Violation; value: unknown }[] {
  const out: { violation: Violation; value: unknown }[] = []
  const add = (kind: ViolationKind, expected: string, value: unknown) =>
    out.push({ violation: { column: name, kind, expected }, value })
  const numeric = spec.type === 'id' || spec.type === 'int' || spec.type === 'float'
  if (numeric) add('wrong_type', `a number`, 'not a number')
  else if (spec.type === 'bool') add('wrong_type', 'true or false', 'yes')
  else if (spec.type === 'date' || spec.type === 'datetime')
    add('wrong_type', `a ${spec.type} string`, 20240101)
  else add('wrong_type', 'a string', 12345)
  if ((spec.type === 'int' || spec.type === 'float') && (spec.max !== undefined || spec.min !== undefined)) {
    const step = spec.type === 'int' ? 1 : Math.max(Math.abs(spec.max ?? spec.min ?? 1) * 0.5, 1)
    if (spec.max !== undefined) add('out_of_range', `≤ ${spec.max}`, spec.max + step)
    else add('out_of_range', `≥ ${spec.min}`, spec.min! - step)
  }
  if (spec.type === 'date' && spec.max !== undefined) {
    add(
      'out_of_range',
      `on or before ${spec.max}`,
      new Date(Date.parse(`${spec.max}T00:00:00Z`) + DAY).toISOString().slice(0, 10),
    )
  }
  if (spec.type === 'datetime' && spec.max !== undefined) {
    add('out_of_range', `at or before ${spec.max}`, new Date(Date.parse(spec.max) + DAY).toISOString())
  }
  if (spec.type === 'category') add('unknown_category', 'one of the declared values', '__unknown_category__')
  if (spec.missing === undefined) add('missing_required', 'a value (the column is never missing)', undefined)
  if (spec.type === 'string' && spec.pattern === undefined) {
    const max = spec.max_length ?? Math.max(spec.min_length ?? 1, DEFAULT_MAX_LENGTH)
    add('too_long', `at most ${max} characters`, 'x'.repeat(max + 1))
  }
  return out
}

export interface NegativeRows {
  /** JSON Lines text, one negative row per line. */
  text: string
  rows: number
  violations: Record<ViolationKind, number>
}

/** Makes `n` negative rows for a plan (from the first rows of the same dataset). */
export async function negativeRows(plan: Plan, n: number): Promise<NegativeRows> {
  const violations = { wrong_type: 0, out_of_range: 0, unknown_category: 0, missing_required: 0, too_long: 0 }
  if (n === 0) return { text: '', rows: 0, violations }
  if (plan.def.columns === undefined) {
    throw new GoldgenError(
      'NOT_SUPPORTED',
      'negative rows are made from `columns` schemas; this schema has `records`',
    )
  }
  // Base rows are valid and complete: no edge cases, missing values or coverage placements.
  const columns = Object.fromEntries(
    Object.entries(plan.def.columns).map(([name, spec]) => {
      const { edge_cases: _e, missing: _m, ...rest } = spec
      return [name, rest]
    }),
  )
  const base = planDataset(
    { ...plan.def, columns: columns as typeof plan.def.columns, coverage: undefined },
    { seed: plan.seed, rows: n },
  )
  const dataset = createDataset(base)
  let text = ''
  const encoder = await jsonlFormat.open(dataset.columns, (t) => {
    text += typeof t === 'string' ? t : Buffer.from(t).toString('utf8')
  })
  encoder.write(dataset.read(0, n))
  encoder.end()
  const planned = isColumnsSource(plan.source) ? plan.source.plan.columns : []
  const pairs = planned.flatMap((c) => violationsOf(c.name, c.spec))
  const lines = text
    .trimEnd()
    .split('\n')
    .map((line, i) => {
      const row = JSON.parse(line) as Record<string, unknown>
      const { violation, value } = pairs[i % pairs.length]!
      if (value === undefined) delete row[violation.column]
      else row[violation.column] = value
      row[VIOLATION_FIELD] = violation
      violations[violation.kind]++
      return JSON.stringify(row)
    })
  return { text: `${lines.join('\n')}\n`, rows: n, violations }
}
