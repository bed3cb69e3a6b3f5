/**
 * `goldgen infer a.csv b.csv …`: a `tables` schema from several files. Each file is inferred as
 * one table (infer.ts); then keys (columns without nulls whose values are all distinct), foreign
 * keys (a column whose values all appear in another file's key), the parent of each table (its
 * first foreign key; the rows per parent row become `count`: fixed, or a histogram of the counts
 * seen) and lookups (a column that always equals a column of the row its foreign key points to).
 */
import { basename } from 'node:path'
import { stringify } from 'yaml'
import type { ColumnDef, DatasetDef } from '../../schemas/language.ts'
import { validateDef } from '../../schemas/parse.ts'
import { type CellTable, findRelations, tableName, valuesOf } from '../compare/relations.ts'
import { type InferOptions, inferSchema, readCells } from './infer.ts'

interface FileTable extends CellTable {
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
  const found = findRelations(tables)
  const keys = found.keys
  const refs: InferredTables['refs'] = []
  const lookups: InferredTables['lookups'] = []
  const out: Record<string, NonNullable<DatasetDef['tables']>[string]> = {}
  for (const t of tables) {
    let parent: { table: string; count: ReturnType<typeof countOf> } | undefined
    const columns: Record<string, ColumnDef> = { ...t.columns }
    for (const r of found.refs.filter((x) => x.table === t.name)) {
      const target = tables.find((o) => o.name === r.target)!
      if (r.parent) {
        const seen = new Map<string, number>()
        for (const v of valuesOf(t, r.column)) if (v !== null) seen.set(v, (seen.get(v) ?? 0) + 1)
        parent = { table: target.name, count: countOf(valuesOf(target, r.key).map((k) => seen.get(k!) ?? 0)) }
      }
      refs.push({ table: t.name, column: r.column, references: `${r.target}.${r.key}`, parent: r.parent })
    }
    for (const l of found.lookups.filter((x) => x.table === t.name)) {
      columns[l.column] = { type: 'lookup', ref: l.via, column: l.from }
      lookups.push({ table: t.name, column: l.column, via: l.via, from: `${l.target}.${l.from}` })
    }
    for (const r of found.refs.filter((x) => x.table === t.name))
      columns[r.column] = { type: 'ref', table: r.target, column: r.key }
    const key = keys[t.name]
    if (key !== undefined) columns[key] = keySpec(columns[key]!, valuesOf(t, key) as string[])
    out[t.name] = parent === undefined ? { rows: t.rows.length, columns } : { parent, columns }
  }
  const def = validateDef({ goldgen: 1, name: options.name ?? 'inferred', tables: out }, '<inferred schema>')
  const header = `# goldgen schema inferred by goldgen infer from ${files.map((f) => basename(f)).join(', ')}\n`
  return { def, yaml: header + stringify(def, { lineWidth: 0 }), keys, refs, lookups }
}
