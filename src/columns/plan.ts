/**
 * Planning a `columns` schema: each column gets its generator (or, for columns computed from
 * others — `cases`, `expr`, `p: { expr }`, `sequence`, and a table's `ref`/`lookup` — a derived
 * maker) and the semantic checks the language cannot express, then the row features (coverage,
 * edge cases, missing values) are planned over all columns. Dependencies between columns must not
 * form a cycle. Problems are reported together, with file, path and line.
 */
import { generators } from '../../generators/index.ts'
import type { GeneratorPlugin } from '../../generators/types.ts'
import type { ColumnDef, DatasetDef } from '../../schemas/language.ts'
import { plural, withLocation } from '../../schemas/parse.ts'
import type { BlockKind } from '../core/blocks.ts'
import { GoldgenError, type Issue } from '../core/errors.ts'
import type { SourceInfo } from '../engine/source.ts'
import { exprTypeOfColumnType } from '../expr/blocks.ts'
import type { ExprType } from '../expr/check.ts'
import { type ColumnFeatures, type PairwisePlan, planFeatures } from '../features/index.ts'
import { checkCycles } from '../features/when.ts'
import { type Derived, type Groups, isDerived, planDerived } from './derived.ts'

export interface PlannedColumn {
  name: string
  /** The column's stream key when it differs from its name (`<table>.<name>`). */
  key?: string | undefined
  spec: ColumnDef
  /** The generator's identity, for the manifest (derived columns name their type). */
  plugin: Pick<GeneratorPlugin, 'type' | 'version'> & Partial<GeneratorPlugin>
  /** Set when the column's values read other columns (or a table's parent). */
  derived?: Derived | undefined
  /** How the generator holds values. */
  baseKind: BlockKind
  /** How the column is written (differs when a string sentinel turns it into text). */
  kind: BlockKind
  dictionary?: readonly string[] | undefined
  features: ColumnFeatures
}

export interface ColumnsPlan {
  columns: PlannedColumn[]
  pairwise: PairwisePlan[]
  bins: Record<string, number[]>
  /** Prepended to column names in stream keys (`<table>.` in a `tables` schema; empty otherwise). */
  prefix: string
}

/** What a `tables` schema adds when it plans one table's columns. */
export interface TableContext {
  /** Path of the table in the schema, e.g. `['tables', 'orders']`. */
  path: (string | number)[]
  prefix: string
  groups?: Groups | undefined
  /** Columns the table itself makes (ref, lookup): their maker, or undefined (problems in `issues`). */
  external(name: string, spec: ColumnDef, issues: Issue[]): { derived: Derived; type: ExprType } | undefined
}

/** Plans the columns of a definition over a dataset of `total` rows. Throws SCHEMA_INVALID. */
export function planColumns(
  def: DatasetDef,
  seed: number,
  total: number,
  source: SourceInfo,
  table?: TableContext,
): ColumnsPlan {
  const issues: Issue[] = []
  const at = (path: (string | number)[]) => (table === undefined ? path : [...table.path, ...path])
  const base: Omit<PlannedColumn, 'features'>[] = []
  const entries = Object.entries(def.columns ?? {})
  const types = new Map<string, ExprType | undefined>(
    entries.map(([n, s]) => [n, exprTypeOfColumnType(s.type)]),
  )
  const external = new Map<string, Derived | undefined>()
  // Refs first: a lookup reads the ref it names.
  const linked = [
    ...entries.filter(([, s]) => s.type === 'ref'),
    ...entries.filter(([, s]) => s.type === 'lookup'),
  ]
  for (const [name, spec] of linked) {
    const found = table?.external(name, spec, issues)
    if (table === undefined) {
      issues.push({
        code: 'invalid_spec',
        path: ['columns', name, 'type'],
        message: `${spec.type} columns point into other tables; use them inside \`tables\``,
      })
    }
    external.set(name, found?.derived)
    types.set(name, found?.type)
  }
  const known = entries.map(([n]) => n)
  const failed: string[] = []
  for (const [name, spec] of entries) {
    const dctx = {
      path: at(['columns', name]),
      typeOf: (n: string) => (n === name ? undefined : types.get(n)),
      known: known.filter((n) => n !== name),
      issues: [] as { path: (string | number)[]; message: string }[],
      rows: total,
      groups: table?.groups,
    }
    let derived: Derived | undefined
    let plugin: PlannedColumn['plugin'] | undefined = generators[spec.type as keyof typeof generators] as
      | GeneratorPlugin
      | undefined
    if (external.has(name)) derived = external.get(name)
    else if (isDerived(spec)) derived = planDerived(spec, dctx)
    else {
      for (const i of plugin!.check?.(spec as never, { rows: total }) ?? [])
        dctx.issues.push({ path: [...dctx.path, ...i.path], message: i.message })
    }
    for (const i of dctx.issues) issues.push({ code: 'invalid_spec', ...i })
    if (dctx.issues.length > 0 || (external.has(name) && derived === undefined)) {
      failed.push(name)
      continue
    }
    plugin ??= { type: spec.type as never, version: 1 }
    const kind = derived?.kind ?? plugin.kind!(spec as never)
    const dictionary = derived !== undefined ? derived.dictionary : plugin.dictionary?.(spec as never)
    const key = table === undefined ? {} : { key: `${table.prefix}${name}` }
    base.push({ name, ...key, spec: featureSpec(spec), plugin, derived, baseKind: kind, kind, dictionary })
  }
  // The features of the columns that planned are checked even when others did not, so one run
  // reports every problem; a feature problem that names a column with problems of its own is
  // left out (it may only be a consequence).
  const features = planFeatures({ def, columns: base, seed, total, typeOf: (n) => types.get(n) })
  for (const i of features.issues)
    if (!namesAny(i, failed)) issues.push({ code: 'invalid_spec', ...i, path: at(i.path) })
  if (issues.length === 0) {
    checkCycles(
      base.map((c) => c.name),
      (i) => {
        const index = (n: string) => base.findIndex((c) => c.name === n)
        const missing = features.features[i]!.missing
        const names = [
          ...(base[i]!.derived?.deps ?? []),
          ...(missing?.when ?? []).map((w) => w.column),
          ...(missing?.rateExpr?.columns ?? []),
        ]
        return names.map(index).filter((j) => j >= 0)
      },
      (name) => at(['columns', name]),
      issues as never,
      'columns depend on each other in a cycle',
    )
  }
  if (issues.length > 0) {
    throw new GoldgenError('SCHEMA_INVALID', `invalid schema (${plural(issues.length, 'problem')})`, {
      file: source.file,
      issues: issues.map((i) => withLocation(i, source.locate ?? (() => undefined))),
    })
  }
  const columns = base.map((c, i) => ({
    ...c,
    kind: features.kinds[i]!,
    dictionary: features.dictionaries[i],
    features: features.features[i]!,
  }))
  return { columns, pairwise: features.pairwise, bins: features.bins, prefix: table?.prefix ?? '' }
}

/**
 * The spec the row features see: a ref column's edge cases (`dangling`) are its own, not the features'.
 */
function featureSpec(spec: ColumnDef): ColumnDef {
  if (spec.type === 'ref') {
    const { edge_cases: _e, ...rest } = spec
    return rest as ColumnDef
  }
  return spec
}

/** Whether a problem is about one of `names`: at its path, or naming it (quoted) in its message. */
function namesAny(issue: { path: (string | number)[]; message: string }, names: string[]): boolean {
  return names.some((n) => issue.path.includes(n) || issue.message.includes(`"${n}"`))
}
