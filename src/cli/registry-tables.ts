/**
 * `goldgen fetch` and `goldgen show` for any version, multi-table ones included: `fetch --table T`
 * writes one table; a multi-table version without --table is written into a folder (`-o DIR/`
 * or an existing folder), one TABLE.EXT per table, else refused with a message naming its tables.
 */
import { existsSync, statSync } from 'node:fs'
import { GoldgenError } from '../core/errors.ts'
import type { FormatName } from '../formats/index.ts'
import type { CliIo } from './io.ts'
import { withRegistry } from './registry-shared.ts'

interface FetchFlags {
  out: string
  format?: FormatName
  table?: string
  /** `--jsonl-nonfinite`: NaN and ±Infinity as strings or null (JSONL and JSON). */
  jsonlNonfinite?: 'string' | 'null'
  registry?: string
  blobs?: string
}

const isFolder = (out: string) =>
  out.endsWith('/') || out.endsWith('\\') || (existsSync(out) && statSync(out).isDirectory())

export async function fetchCommand(io: CliIo, ref: string, opts: FetchFlags): Promise<void> {
  await withRegistry(opts, async (r) => {
    if (opts.table !== undefined) {
      const got = await r.fetch(ref, opts.out, opts.format, opts.table)
      io.stdout.write(
        `wrote ${got.path} (${got.format}) from ${got.ref} table ${opts.table}, ${got.bytes} bytes\n`,
      )
      return
    }
    const v = await r.resolve(ref)
    if (v.format === 'tables') {
      if (!isFolder(opts.out)) {
        const names = (await r.tables(ref)).tables.map((t) => t.name)
        throw new GoldgenError(
          'USAGE',
          `${v.dataset}@${v.version} is a multi-table version (tables: ${names.join(', ')}): give --table ${names[0]} to write one table to ${opts.out}, or -o DIR/ to write every table into a folder`,
        )
      }
      const all = await r.fetchTables(ref, opts.out, opts.format)
      for (const t of all.tables)
        io.stdout.write(`wrote ${t.path} (${t.format}) from ${all.ref} table ${t.table}, ${t.bytes} bytes\n`)
      return
    }
    const got = await r.fetch(ref, opts.out, opts.format, undefined, { nonFinite: opts.jsonlNonfinite })
    io.stdout.write(`wrote ${got.path} (${got.format}) from ${got.ref}, ${got.bytes} bytes\n`)
  })
}

interface Shown {
  version: {
    dataset: string
    version: number
    rows: number
    sha256: string
    createdAt: string
    createdBy: string | null
  }
  aliases: Record<string, number>
  manifest: unknown
}

interface TablesManifestView {
  seed: number
  goldgen: { version: string }
  tables: Record<
    string,
    { rows: number; file: { sha256: string }; columns: Record<string, Record<string, unknown>> }
  >
  integrity: {
    ok: boolean
    refs: { table: string; column: string; references: string; orphans: number; dangling: number }[]
  }
}

/** `goldgen show` of a multi-table version: its tables, their columns and the integrity report. */
export function showTables(io: CliIo, shown: Shown): void {
  const { version: v, aliases } = shown
  const m = shown.manifest as TablesManifestView
  const names = Object.entries(aliases)
    .filter(([, n]) => n === v.version)
    .map(([a]) => a)
  const say = (s: string) => io.stdout.write(`${s}\n`)
  say(`${v.dataset}@${v.version}${names.length > 0 ? ` (${names.join(', ')})` : ''}`)
  say(`  ${Object.keys(m.tables).length} tables, ${v.rows} rows in all, sha256 ${v.sha256}`)
  say(`  created ${v.createdAt}${v.createdBy ? ` by ${v.createdBy}` : ''}`)
  say(`  generated: seed ${m.seed}, goldgen ${m.goldgen.version}`)
  for (const [name, t] of Object.entries(m.tables)) {
    say(`  table ${name}: ${t.rows} rows, sha256 ${t.file.sha256}`)
    for (const [column, c] of Object.entries(t.columns)) {
      const range = c.min === undefined ? '' : ` [${c.min}, ${c.max}]`
      say(
        `    ${column}: ${String(c.type ?? c.arrowType)}${range}${c.nullCount ? `, ${c.nullCount} null` : ''}`,
      )
    }
  }
  say(`  integrity: ${m.integrity.ok ? 'ok' : 'ORPHANS FOUND'}`)
  for (const r of m.integrity.refs)
    say(`    ${r.table}.${r.column} → ${r.references}: ${r.orphans} orphans, ${r.dangling} dangling`)
}
