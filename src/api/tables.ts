/**
 * Generating a `tables` schema: one file per table (or the one `--table` names) and one manifest
 * with a section per table and a referential-integrity report. The report is measured on the rows
 * written: every ref value is looked up among the referenced table's keys (orphans must be 0),
 * and dangling keys injected on purpose are counted apart.
 *
 * Partition independence: `--offset`/`--total` are refused for `tables` schemas (a child table's
 * rows follow its parents' rows, so a slice is generated whole or not at all).
 */
import { mkdirSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { canonicalDef, schemaSha256 } from '../../schemas/canonical.ts'
import type { DatasetDef } from '../../schemas/language.ts'
import { GoldgenError } from '../core/errors.ts'
import { ALGORITHM_VERSION } from '../core/random.ts'
import { VERSION } from '../core/version.ts'
import type { Plan } from '../engine/plan.ts'
import type { PlannedSource, SourceObserver } from '../engine/source.ts'
import { type FormatName, formats } from '../formats/index.ts'
import { type PlannedTable, planTables, type TablesPlan } from '../tables/plan.ts'
import { plain } from '../tables/refs.ts'
import {
  type GenerateOptions,
  generateInto,
  libraryVersions,
  resolveFormat,
  type SchemaSource,
  writeJsonFile,
} from './generate.ts'
import type { Manifest, ManifestFile } from './manifest.ts'
import { type ByteSink, fdSink, fileSink, memorySink } from './sink.ts'

export interface TablesGenerateOptions extends GenerateOptions {
  /** Write only this table (its parents and referenced tables are still planned). */
  table?: string | undefined
}

/** One ref column's integrity, measured on the rows written. */
export interface RefReport {
  table: string
  column: string
  /** `<table>.<key column>` it points to. */
  references: string
  toParent: boolean
  rows: number
  nulls: number
  /** Dangling keys injected on purpose (`edge_cases: dangling`). */
  dangling: number
  /** Values that are no key of the referenced table, other than the dangling ones (0 by construction). */
  orphans: number
}

export interface TableSection {
  rows: number
  file: ManifestFile
  columns: Manifest['columns']
  coverage: Manifest['coverage']
}

export interface TablesManifest {
  manifestVersion: 1
  goldgen: { version: string; algorithm: number }
  libraries: Record<string, string>
  name: string | null
  schema: DatasetDef
  schemaSha256: string
  seed: number
  tables: Record<string, TableSection>
  files: ManifestFile[]
  integrity: { ok: boolean; refs: RefReport[] }
}

export interface TablesResult {
  manifest: TablesManifest
  /** The folder (or, with --table, the file) written. */
  out: string
  manifestPath: string | undefined
}

/** Refuses run options that a `tables` schema cannot honour. */
export function checkTablesOptions(options: TablesGenerateOptions): void {
  if (options.offset !== undefined && options.offset !== 0) {
    throw new GoldgenError(
      'USAGE',
      '--offset slices one table; a tables schema is generated whole because child rows follow their parents (use --table to write one table)',
    )
  }
  if (options.total !== undefined)
    throw new GoldgenError('USAGE', '--total applies to --offset slices, which tables schemas do not take')
  if ((options.negative ?? 0) > 0)
    throw new GoldgenError('USAGE', '--negative applies to columns schemas, not to tables schemas')
}

/** Wraps a table's observer so that each chunk's ref values are checked against the referenced keys. */
function withIntegrity(plan: TablesPlan, table: PlannedTable, reports: RefReport[]): PlannedSource {
  const src = table.source
  const checks = table.refs.map((r) => {
    const report: RefReport = {
      table: table.name,
      column: r.column,
      references: `${r.table}.${r.key}`,
      toParent: r.parent,
      rows: 0,
      nulls: 0,
      dangling: 0,
      orphans: 0,
    }
    reports.push(report)
    return { index: src.columns.findIndex((c) => c.name === r.column), ref: r, report }
  })
  return {
    ...src,
    observe(): SourceObserver {
      const inner = src.observe?.()
      const keys = checks.map((c) => plan.access.keys(plan.seed, c.ref.table, c.ref.key))
      return {
        add(blocks) {
          inner?.add(blocks)
          checks.forEach(({ index, report }, j) => {
            const block = blocks[index]!
            const n = block.values.length
            report.rows += n
            const set = keys[j]!
            const values = block.values as ArrayLike<string | number>
            if (
              block.kind !== 'dict' &&
              block.validity === undefined &&
              block.missing === undefined &&
              block.edge === undefined
            ) {
              // The common case, in one tight loop: every row holds a key.
              report.orphans += set.countMissing(values, n)
              return
            }
            for (let i = 0; i < n; i++) {
              if (block.validity?.[i] === 0 || block.missing?.[i] === 1) report.nulls++
              else if ((block.edge?.[i] ?? -1) >= 0) {
                report.dangling++
                if (keys[j]!.has(plain(block, i)))
                  throw new GoldgenError(
                    'INTERNAL',
                    `goldgen bug: a dangling key of ${table.name}.${report.column} exists`,
                  )
              } else if (!keys[j]!.has(plain(block, i))) report.orphans++
            }
          })
        },
        result: (stats) => inner?.result(stats) ?? null,
      }
    },
  }
}

/** An engine plan for one planned table. */
function tablePlan(plan: TablesPlan, table: PlannedTable, source: PlannedSource, tags: boolean): Plan {
  return { def: table.def, seed: plan.seed, rows: table.rows, offset: 0, total: table.rows, tags, source }
}

/** Generates every table (or one) of a `tables` schema, with one manifest. */
export async function generateTables(
  schema: SchemaSource,
  options: TablesGenerateOptions = {},
): Promise<TablesResult> {
  checkTablesOptions(options)
  const plan = planTables(schema.def, options, schema)
  const selected =
    options.table === undefined ? plan.tables : plan.tables.filter((t) => t.name === options.table)
  if (selected.length === 0) {
    throw new GoldgenError(
      'USAGE',
      `--table ${options.table}: no such table; expected one of ${plan.tables.map((t) => t.name).join(', ')}`,
    )
  }
  const cwd = options.cwd ?? process.cwd()
  const single = options.table !== undefined
  const formatName: FormatName = resolveFormat(options.format, single ? options.out : undefined)
  const ext = formats[formatName].extensions[0]!
  const toStdout = single && options.out === '-'
  const out = single
    ? toStdout
      ? '-'
      : resolve(cwd, options.out ?? `${options.table}${ext}`)
    : resolve(cwd, options.out ?? schema.def.name ?? 'dataset')
  if (!single) mkdirSync(out, { recursive: true })
  const manifestPath =
    options.manifest === false
      ? undefined
      : options.manifest !== undefined
        ? resolve(cwd, options.manifest)
        : toStdout
          ? undefined
          : single
            ? `${out}.manifest.json`
            : join(out, 'manifest.json')
  const sections: Record<string, TableSection> = {}
  const refs: RefReport[] = []
  for (const table of selected) {
    const path = single ? out : join(out, `${table.name}${ext}`)
    const sink: ByteSink = toStdout ? fdSink(1) : fileSink(path)
    const name = toStdout
      ? '-'
      : manifestPath === undefined
        ? basename(path)
        : relative(dirname(manifestPath), path)
    const m = await generateInto(
      tablePlan(plan, table, withIntegrity(plan, table, refs), options.tags ?? false),
      formatName,
      sink,
      name,
      options,
    )
    sections[table.name] = { rows: m.rows, file: m.files[0]!, columns: m.columns, coverage: m.coverage }
  }
  const manifest = tablesManifest(plan, sections, refs)
  if (manifestPath !== undefined) writeJsonFile(manifestPath, manifest)
  return { manifest, out, manifestPath }
}

function tablesManifest(
  plan: TablesPlan,
  sections: Record<string, TableSection>,
  refs: RefReport[],
): TablesManifest {
  return {
    manifestVersion: 1,
    goldgen: { version: VERSION, algorithm: ALGORITHM_VERSION },
    libraries: libraryVersions(),
    name: plan.def.name ?? null,
    schema: canonicalDef(plan.def),
    schemaSha256: schemaSha256(plan.def),
    seed: plan.seed,
    tables: sections,
    files: Object.values(sections).map((s) => s.file),
    integrity: { ok: refs.every((r) => r.orphans === 0), refs },
  }
}

/** Generates every table into memory (for the library, tests and the registry): bytes per table. */
export async function generateTablesBuffers(
  schema: SchemaSource,
  options: Omit<TablesGenerateOptions, 'out' | 'manifest'> = {},
): Promise<{ tables: Record<string, Uint8Array>; manifest: TablesManifest }> {
  checkTablesOptions(options)
  const plan = planTables(schema.def, options, schema)
  const formatName: FormatName = resolveFormat(options.format, undefined)
  const sections: Record<string, TableSection> = {}
  const bytes: Record<string, Uint8Array> = {}
  const refs: RefReport[] = []
  for (const table of plan.tables) {
    if (options.table !== undefined && table.name !== options.table) continue
    const sink = memorySink()
    const m = await generateInto(
      tablePlan(plan, table, withIntegrity(plan, table, refs), options.tags ?? false),
      formatName,
      sink,
      `${table.name}${formats[formatName].extensions[0]}`,
      options,
    )
    bytes[table.name] = sink.contents()
    sections[table.name] = { rows: m.rows, file: m.files[0]!, columns: m.columns, coverage: m.coverage }
  }
  return { tables: bytes, manifest: tablesManifest(plan, sections, refs) }
}
