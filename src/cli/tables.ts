/** `goldgen generate` for schemas with `tables`: one file per table (or `--table`), one manifest, a summary. */
import type { SchemaSource } from '../api/generate.ts'
import type { CliIo } from './io.ts'

interface GenerateFlags {
  rows?: number
  seed?: number
  offset?: number
  total?: number
  tags?: boolean
  format?: string
  out?: string
  manifest?: string | false
  negative?: number
  json?: boolean
  table?: string
}

export async function generateTablesCommand(
  io: CliIo,
  source: SchemaSource,
  opts: GenerateFlags,
): Promise<void> {
  const { generateTables } = await import('../api/tables.ts')
  const result = await generateTables(source, {
    rows: opts.rows,
    seed: opts.seed,
    offset: opts.offset,
    total: opts.total,
    tags: opts.tags,
    format: opts.format as never,
    out: opts.out,
    manifest: opts.manifest,
    negative: opts.negative,
    table: opts.table,
  })
  const m = result.manifest
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(m, null, 2)}\n`)
    return
  }
  const say = opts.out === '-' ? io.stderr : io.stdout
  for (const [name, t] of Object.entries(m.tables)) {
    say.write(
      `wrote ${t.file.path} (${t.file.format}): table ${name}, ${t.rows.toLocaleString('en-US')} rows × ${Object.keys(t.columns).length + (opts.tags ? 1 : 0)} columns, sha256 ${t.file.sha256.slice(0, 16)}…\n`,
    )
  }
  for (const r of m.integrity.refs) {
    say.write(
      `ref ${r.table}.${r.column} → ${r.references}: ${r.rows} rows, ${r.orphans} orphans, ${r.dangling} dangling, ${r.nulls} nulls\n`,
    )
  }
  if (result.manifestPath !== undefined) say.write(`manifest ${result.manifestPath}\n`)
}
