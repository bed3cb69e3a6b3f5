/**
 * `goldgen infer a.csv b.csv …`: a `tables` schema from several files. Each file is inferred as
 * one table (infer.ts); then keys (columns without nulls whose values are all distinct), foreign
 * keys (a column whose values all appear in another file's key), the parent of each table (its
 * first foreign key; the rows per parent row become `count`: fixed, or a histogram of the counts
 * seen) and lookups (a column that always equals a column of the row its foreign key points to).
 */
import { basename, extname } from 'node:path'
import { stringify } from 'yaml'
import type { ColumnDef, DatasetDef } from '../../schemas/language.ts'
import { validateDef } from '../../schemas/parse.ts'
import { type InferOptions, inferSchema, readCells } from './infer.ts'

interface FileTable {
  name: string
  names: string[]
  rows: (string | null)[][]
  columns: Record<string, ColumnDef>
}

export interface InferredTables {
  def: DatasetDef
  yaml: string
  /** What was found, for the summary. */
  keys: Record<string, string>
  refs: { table: string; column: string; references: string; parent: boolean }[]
  lookups: { table: string; column: string; via: string; from: string }[]
}

const tableName = (file: string) =>
  basename(file, extname(file))
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .replace(/^[^A-Za-z_]/, '_$&')

/** The column whose values are distinct and never missing, preferring `id`, `<table>_id`. */
function keyOf(t: FileTable): string | undefined {
  const unique = t.names.filter((_, c) => {
    const seen = new Set<string>()
    for (const r of t.rows) {
      const v = r[c]
      if (v === null || v === undefined || seen.has(v)) return false
      seen.add(v)
    }
    return t.rows.length > 0
  })
  const singular = t.name.replace(/s$/, '')
  return unique.find((n) => n === 'id' || n === `${t.name}_id` || n === `${singular}_id`) ?? unique[0]
}

const valuesOf = (t: FileTable, column: string) => {
  const c = t.names.indexOf(column)
  return t.rows.map((r) => r[c] ?? null)
}

/** Rows per parent row: a fixed count when they are all equal, else a histogram of the counts. */
function countOf(counts: number[]): number | { histogram: { bins: number[]; weights: number[] } } {
  const max = Math.max(...counts)
  if (counts.every((n) => n === counts[0])) return counts[0] ?? 0
  const weights = new Array<number>(max + 1).fill(0)
  for (const n of counts) weights[n]!++
  return { histogram: { bins: weights.map((_, k) => k - 0.5).concat(max + 0.5), weights } }
}

/** A key column generated as keys: an id for consecutive integers, else unique values. */
function keySpec(spec: ColumnDef, values: string[]): ColumnDef {
  const numbers = values.map(Number)
  if (numbers.every(Number.isInteger)) {
    const step = numbers.length > 1 ? numbers[1]! - numbers[0]! : 1
    if (step !== 0 && numbers.every((n, i) => n === numbers[0]! + i * step))
      return { type: 'id', start: numbers[0] ?? 1, step }
    return { type: 'int', min: Math.min(...numbers), max: Math.max(...numbers), unique: true }
  }
  if (spec.type === 'string')
    return {
      type: 'string',
      ...('pattern' in spec
        ? {}
        : {
            min_length: Math.min(...values.map((v) => v.length)),
            max_length: Math.max(...values.map((v) => v.length)),
          }),
      unique: true,
    }
  return { type: 'uuid', unique: true }
}

/** Infers a `tables` schema from several data files. */
export async function inferTables(files: string[], options: InferOptions = {}): Promise<InferredTables> {
  const tables: FileTable[] = []
  for (const file of files) {
    const name = tableName(file)
    const inferred = await inferSchema(file, {
      ...options,
      name: name.toLowerCase().replace(/[^a-z0-9._-]/g, '-'),
    })
    const { names, rows } = await readCells(file, options)
    tables.push({ name, names, rows, columns: { ...inferred.def.columns! } })
  }
  const keys: Record<string, string> = {}
  const keySets = new Map<string, Set<string>>()
  for (const t of tables) {
    const key = keyOf(t)
    if (key === undefined) continue
    keys[t.name] = key
    keySets.set(t.name, new Set(valuesOf(t, key) as string[]))
  }
  const refs: InferredTables['refs'] = []
  const lookups: InferredTables['lookups'] = []
  const out: Record<string, NonNullable<DatasetDef['tables']>[string]> = {}
  for (const t of tables) {
    let parent: { table: string; count: ReturnType<typeof countOf> } | undefined
    const columns: Record<string, ColumnDef> = { ...t.columns }
    for (const column of t.names) {
      if (column === keys[t.name]) continue
      const values = valuesOf(t, column).filter((v): v is string => v !== null)
      if (values.length === 0) continue
      // A foreign key is named like the key (or its table), or holds text keys: small numbers
      // (quantities, ratings) fall inside any id range by chance.
      const named = (o: FileTable) =>
        column === keys[o.name] ||
        column.includes(o.name.replace(/s$/, '')) ||
        values.some((v) => !/^-?\d+(\.\d+)?$/.test(v))
      const target = tables.find(
        (o) =>
          o !== t &&
          keys[o.name] !== undefined &&
          named(o) &&
          values.every((v) => keySets.get(o.name)!.has(v)),
      )
      if (target === undefined) continue
      const key = keys[target.name]!
      const isParent = parent === undefined
      if (isParent) {
        const seen = new Map<string, number>()
        for (const v of values) seen.set(v, (seen.get(v) ?? 0) + 1)
        parent = { table: target.name, count: countOf(valuesOf(target, key).map((k) => seen.get(k!) ?? 0)) }
      }
      columns[column] = { type: 'ref', table: target.name, column: key }
      refs.push({ table: t.name, column, references: `${target.name}.${key}`, parent: isParent })
      // Lookups: columns of this table that always equal a column of the referenced row.
      const rowOf = new Map(valuesOf(target, key).map((k, i) => [k, target.rows[i]!]))
      const refValues = valuesOf(t, column)
      for (const other of t.names) {
        if (other === column || other === keys[t.name] || columns[other]?.type === 'ref') continue
        const mine = valuesOf(t, other)
        const from = target.names.find(
          (theirs, c) =>
            theirs !== key &&
            refValues.every((k, i) => k === null || (rowOf.get(k)?.[c] ?? null) === mine[i]),
        )
        if (from !== undefined && columns[other]?.type !== 'lookup') {
          columns[other] = { type: 'lookup', ref: column, column: from }
          lookups.push({ table: t.name, column: other, via: column, from: `${target.name}.${from}` })
        }
      }
    }
    const key = keys[t.name]
    if (key !== undefined) columns[key] = keySpec(columns[key]!, valuesOf(t, key) as string[])
    out[t.name] = parent === undefined ? { rows: t.rows.length, columns } : { parent, columns }
  }
  const def = validateDef({ goldgen: 1, name: options.name ?? 'inferred', tables: out }, '<inferred schema>')
  const header = `# goldgen schema inferred by goldgen infer from ${files.map((f) => basename(f)).join(', ')}\n`
  return { def, yaml: header + stringify(def, { lineWidth: 0 }), keys, refs, lookups }
}
