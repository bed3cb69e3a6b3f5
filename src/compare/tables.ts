/**
 * `goldgen compare` of a table set: the real files (as `goldgen infer a.csv b.csv …` takes them)
 * against a folder of synthetic files (as `goldgen generate` of a `tables` schema writes them),
 * matched by table name (the file name without its extension). Per table: the fidelity figures of
 * fidelity.ts, and key integrity measured on the synthetic files for the relations found in the
 * real ones (relations.ts): keys unique and never missing, foreign-key values that are no key of
 * the referenced table (dangling; allowed only as many as the folder's manifest says were injected
 * on purpose), the distribution of rows per referenced row (TVD, real against synthetic), and how
 * often a lookup column equals the referenced row's column.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { GoldgenError } from '../core/errors.ts'
import { formatForPath } from '../formats/index.ts'
import {
  type Cell,
  type ColumnsRead,
  type CompareOptions,
  columnFidelity,
  compareColumns,
  type FidelityReport,
  readColumns,
} from './fidelity.ts'
import { type CellTable, findRelations, tableName } from './relations.ts'

export interface KeyCheck {
  column: string
  /** Whether the synthetic table has the column at all. */
  present: boolean
  nulls: number
  /** Synthetic rows whose key an earlier row already has. */
  duplicates: number
  unique: boolean
}

export interface RefCheck {
  column: string
  /** `<table>.<key column>` the real foreign key points to. */
  references: string
  /** The table's first foreign key (its parent in the inferred schema). */
  parent: boolean
  present: boolean
  /** Synthetic rows with a value / with none. */
  rows: number
  nulls: number
  /** Synthetic values that are no key of the synthetic referenced table. */
  dangling: number
  /** Dangling keys the synthetic set's manifest says were injected on purpose. */
  injected: number
  /** Rows per referenced row: TVD of the two distributions and their means. */
  counts: { tvd: number; meanReal: number; meanSynthetic: number }
  ok: boolean
}

export interface LookupCheck {
  column: string
  /** The foreign key it goes through, and `<table>.<column>` it equals. */
  via: string
  from: string
  present: boolean
  /** Synthetic rows whose foreign key finds a row (the rows compared), and those that agree. */
  rows: number
  agree: number
  /** agree / rows (1 when no row is compared). */
  agreement: number
  ok: boolean
}

export interface TableReport extends FidelityReport {
  table: string
  key: KeyCheck | null
  refs: RefCheck[]
  lookups: LookupCheck[]
  /** Key integrity problems, each naming table and column. */
  problems: string[]
}

export interface TableSetReport {
  real: string[]
  synthetic: string
  tables: Record<string, TableReport>
  /** Synthetic tables with no real file. */
  onlySynthetic: string[]
  integrity: { ok: boolean; problems: string[] }
}

/** The data files of a folder by table name (manifests left out). */
function folderTables(dir: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry)
    if (entry === 'manifest.json' || entry.endsWith('.manifest.json') || formatForPath(entry) === undefined)
      continue
    if (!statSync(path).isFile()) continue
    const name = tableName(entry)
    const before = out.get(name)
    if (before !== undefined)
      throw new GoldgenError(
        'USAGE',
        `${dir}: two files for table ${name} (${before} and ${path}); keep one per table`,
      )
    out.set(name, path)
  }
  return out
}

const isFolder = (path: string) => existsSync(path) && statSync(path).isDirectory()

/** Real files (or one folder of them) by table name. */
function realTables(real: string[]): Map<string, string> {
  if (real.length === 1 && isFolder(real[0]!)) return folderTables(real[0]!)
  const out = new Map<string, string>()
  for (const file of real) {
    if (isFolder(file))
      throw new GoldgenError(
        'USAGE',
        `${file} is a folder; give the real tables as files, or one folder alone`,
      )
    const name = tableName(file)
    const before = out.get(name)
    if (before !== undefined)
      throw new GoldgenError(
        'USAGE',
        `${before} and ${file} are both table ${name} (tables are named by file name); rename one`,
      )
    out.set(name, file)
  }
  return out
}

/** Dangling keys a `goldgen generate` manifest in the folder reports, by `<table>.<column>`. */
function injectedDangling(dir: string): Map<string, number> {
  const out = new Map<string, number>()
  const path = join(dir, 'manifest.json')
  if (!existsSync(path)) return out
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as {
      integrity?: { refs?: { table?: unknown; column?: unknown; dangling?: unknown }[] }
    }
    for (const r of m.integrity?.refs ?? [])
      if (typeof r.dangling === 'number') out.set(`${String(r.table)}.${String(r.column)}`, r.dangling)
  } catch {
    throw new GoldgenError('PARSE', `${path}: not a goldgen manifest (expected JSON)`)
  }
  return out
}

const text = (v: Cell | undefined): string | null => (v === null || v === undefined ? null : String(v))

function cellTable(name: string, data: ColumnsRead): CellTable {
  const cols = data.names.map((n) => data.values.get(n)!)
  const rows: (string | null)[][] = []
  for (let i = 0; i < data.rows; i++) rows.push(cols.map((c) => text(c[i])))
  return { name, names: data.names, rows }
}

const column = (data: ColumnsRead, name: string): (string | null)[] | undefined =>
  data.values.get(name)?.map(text)

/** Rows per key: for each key of `keys`, how many values of `refs` are that key. */
function perKey(keys: (string | null)[], refs: (string | null)[]): number[] {
  const seen = new Map<string, number>()
  for (const v of refs) if (v !== null) seen.set(v, (seen.get(v) ?? 0) + 1)
  return keys.map((k) => (k === null ? 0 : (seen.get(k) ?? 0)))
}

function checkKey(table: string, data: ColumnsRead, key: string, problems: string[]): KeyCheck {
  const values = column(data, key)
  const check: KeyCheck = {
    column: key,
    present: values !== undefined,
    nulls: 0,
    duplicates: 0,
    unique: false,
  }
  if (values === undefined) {
    problems.push(`${table}.${key}: the key column is missing from the synthetic table`)
    return check
  }
  const seen = new Set<string>()
  for (const v of values) {
    if (v === null) check.nulls++
    else if (seen.has(v)) check.duplicates++
    else seen.add(v)
  }
  check.unique = check.nulls === 0 && check.duplicates === 0
  if (check.duplicates > 0) problems.push(`${table}.${key}: ${check.duplicates} duplicate keys`)
  if (check.nulls > 0) problems.push(`${table}.${key}: ${check.nulls} missing keys`)
  return check
}

/** Compares a table set; throws USAGE/NOT_FOUND when the files do not make one. */
export async function compareTables(
  real: string[],
  synthetic: string,
  options: CompareOptions = {},
): Promise<TableSetReport> {
  if (!isFolder(synthetic))
    throw new GoldgenError('USAGE', `${synthetic}: expected the folder of synthetic tables`)
  const realFiles = realTables(real)
  const synthFiles = folderTables(synthetic)
  if (realFiles.size === 0)
    throw new GoldgenError('USAGE', `${real[0]}: no data files (CSV, JSONL, Arrow, Parquet)`)
  for (const [name, file] of realFiles) {
    if (!synthFiles.has(name))
      throw new GoldgenError(
        'NOT_FOUND',
        `no synthetic file for table ${name} (real ${file}) in ${synthetic}; expected ${name}.csv, ${name}.jsonl, ${name}.arrow or ${name}.parquet (found: ${[...synthFiles.values()].join(', ') || 'none'})`,
      )
  }
  const names = [...realFiles.keys()]
  const readR = new Map<string, ColumnsRead>()
  const readS = new Map<string, ColumnsRead>()
  for (const name of names) {
    readR.set(name, await readColumns(realFiles.get(name)!))
    readS.set(name, await readColumns(synthFiles.get(name)!))
  }
  const relations = findRelations(names.map((n) => cellTable(n, readR.get(n)!)))
  const injected = injectedDangling(synthetic)
  const tables: Record<string, TableReport> = {}
  for (const name of names) {
    const [r, s] = [readR.get(name)!, readS.get(name)!]
    const fidelity = compareColumns(r, s, realFiles.get(name)!, synthFiles.get(name)!, options)
    const problems: string[] = []
    const key = relations.keys[name]
    const report: TableReport = {
      table: name,
      ...fidelity,
      key: key === undefined ? null : checkKey(name, s, key, problems),
      refs: [],
      lookups: [],
      problems,
    }
    for (const ref of relations.refs.filter((x) => x.table === name)) {
      report.refs.push(
        checkRef(ref, readR, readS, injected.get(`${name}.${ref.column}`) ?? 0, problems, options),
      )
    }
    for (const l of relations.lookups.filter((x) => x.table === name)) {
      report.lookups.push(checkLookup(l, relations.keys[l.target]!, s, readS.get(l.target)!, problems))
    }
    tables[name] = report
  }
  const all = Object.values(tables).flatMap((t) => t.problems)
  return {
    real,
    synthetic,
    tables,
    onlySynthetic: [...synthFiles.keys()].filter((n) => !realFiles.has(n)),
    integrity: { ok: all.length === 0, problems: all },
  }
}

function checkRef(
  ref: ReturnType<typeof findRelations>['refs'][number],
  readR: Map<string, ColumnsRead>,
  readS: Map<string, ColumnsRead>,
  injected: number,
  problems: string[],
  options: CompareOptions,
): RefCheck {
  const at = `${ref.table}.${ref.column}`
  const references = `${ref.target}.${ref.key}`
  const values = column(readS.get(ref.table)!, ref.column)
  const keys = column(readS.get(ref.target)!, ref.key)
  const check: RefCheck = {
    column: ref.column,
    references,
    parent: ref.parent,
    present: values !== undefined,
    rows: 0,
    nulls: 0,
    dangling: 0,
    injected,
    counts: { tvd: 0, meanReal: 0, meanSynthetic: 0 },
    ok: false,
  }
  if (values === undefined || keys === undefined) {
    problems.push(
      values === undefined
        ? `${at}: the foreign key column (→ ${references}) is missing from the synthetic table`
        : `${at}: ${references} is missing from the synthetic tables, so its keys cannot be checked`,
    )
    return check
  }
  const keySet = new Set(keys.filter((k) => k !== null))
  for (const v of values) {
    if (v === null) check.nulls++
    else {
      check.rows++
      if (!keySet.has(v)) check.dangling++
    }
  }
  const realCounts = perKey(
    column(readR.get(ref.target)!, ref.key)!,
    column(readR.get(ref.table)!, ref.column)!,
  )
  const synthCounts = perKey(keys, values)
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1)
  check.counts = {
    tvd: realCounts.length === 0 ? 0 : columnFidelity(realCounts, synthCounts, options).tvd,
    meanReal: mean(realCounts),
    meanSynthetic: mean(synthCounts),
  }
  check.ok = check.dangling <= injected
  if (!check.ok)
    problems.push(
      `${at}: ${check.dangling} of ${check.rows} values are no key of ${references} (dangling${injected > 0 ? `; ${injected} injected on purpose` : ''})`,
    )
  return check
}

function checkLookup(
  l: ReturnType<typeof findRelations>['lookups'][number],
  key: string,
  child: ColumnsRead,
  parent: ColumnsRead,
  problems: string[],
): LookupCheck {
  const at = `${l.table}.${l.column}`
  const from = `${l.target}.${l.from}`
  const mine = column(child, l.column)
  const via = column(child, l.via)
  const keys = column(parent, key)
  const theirs = column(parent, l.from)
  const check: LookupCheck = {
    column: l.column,
    via: l.via,
    from,
    present: mine !== undefined,
    rows: 0,
    agree: 0,
    agreement: 1,
    ok: false,
  }
  if (mine === undefined || via === undefined || keys === undefined || theirs === undefined) {
    problems.push(
      `${at}: the lookup of ${from} through ${l.via} cannot be checked (a column is missing from the synthetic tables)`,
    )
    return check
  }
  const rowOf = new Map<string, number>()
  keys.forEach((k, i) => {
    if (k !== null && !rowOf.has(k)) rowOf.set(k, i)
  })
  for (let i = 0; i < mine.length; i++) {
    const k = via[i]
    const row = k === null || k === undefined ? undefined : rowOf.get(k)
    if (row === undefined) continue
    check.rows++
    if (theirs[row] === mine[i]) check.agree++
  }
  check.agreement = check.rows === 0 ? 1 : check.agree / check.rows
  check.ok = check.agree === check.rows
  if (!check.ok)
    problems.push(
      `${at}: ${check.rows - check.agree} of ${check.rows} rows differ from ${from} of the row ${l.via} points to`,
    )
  return check
}
