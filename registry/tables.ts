/**
 * Multi-table versions (schemas with `tables:`): one content-addressed, digested blob per table,
 * plus a small table list blob whose digest is the version's own (`format: 'tables'`), so the same
 * tables published again are the same version. The version's manifest is the tables manifest of
 * `goldgen generate` (a section per table with its stored digest, rows and columns, and the
 * referential-integrity report). No registry table changes: the table list blob names the table
 * blobs, which `gc` keeps and `registry copy` copies; other formats of a table are kept as
 * representations named `table:<table>:<format>`.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { canonicalDef } from '../schemas/canonical.ts'
import type { DatasetDef } from '../schemas/language.ts'
import type { SchemaSource } from '../src/api/generate.ts'
import { fileSink } from '../src/api/sink.ts'
import type { TablesManifest } from '../src/api/tables.ts'
import { GoldgenError } from '../src/core/errors.ts'
import { type FormatName, formats } from '../src/formats/index.ts'
import { type RegistryContext, refOf } from './context.ts'
import { convertRows } from './convert.ts'
import { manifestOf, resolveRef } from './datasets.ts'
import type { BlobStore, VersionRecord } from './stores.ts'

/** The `format` of a multi-table version's record. */
export const TABLES_FORMAT = 'tables'

/** One stored table of a multi-table version. */
export interface StoredTable {
  name: string
  sha256: string
  bytes: number
  rows: number
  format: FormatName
  mediaType: string
}

/** The table list blob: what a multi-table version's digest is the digest of. */
export interface TableList {
  tablesVersion: 1
  tables: StoredTable[]
}

/** The recipe of a multi-table version: enough to make every table again. */
export interface TablesRecipe {
  schema: DatasetDef
  seed: number
  /** Rows of every table together. */
  rows: number
  /** The `--rows` given at publish (it scales the root tables), or null. */
  rootRows: number | null
  tables: Record<string, number>
  goldgen: { version: string; algorithm: number }
  libraries: Record<string, string>
}

export const isTablesVersion = (v: VersionRecord) => v.format === TABLES_FORMAT

/** The tables listed in a table list blob (read verified from `blobs`). */
export async function readTableList(blobs: BlobStore, v: VersionRecord): Promise<StoredTable[]> {
  const text = Buffer.from(await blobs.read(v.sha256)).toString('utf8')
  const list = JSON.parse(text) as TableList
  if (list.tablesVersion !== 1 || !Array.isArray(list.tables))
    throw new GoldgenError('INTEGRITY', `${refOf(v)}: its table list is not a goldgen table list`)
  return list.tables
}

/** The error for reading a multi-table version as one table: it names the tables and how to read one. */
export function multiTableError(v: VersionRecord, tables: StoredTable[]): GoldgenError {
  const names = tables.map((t) => t.name).join(', ')
  return new GoldgenError(
    'CONFLICT',
    `${refOf(v)} is a multi-table version (tables: ${names}); read one table: goldgen fetch ${refOf(v)} --table ${tables[0]?.name ?? 'TABLE'}, or GET /v1/datasets/${v.dataset}/versions/${v.version}/tables`,
  )
}

/** Refuses a multi-table version where one table of rows is needed (diff, check, conversions). */
export async function singleTable(ctx: RegistryContext, v: VersionRecord): Promise<void> {
  if (isTablesVersion(v)) throw multiTableError(v, await readTableList(ctx.blobs, v))
}

/** One table of a multi-table version, or NOT_FOUND naming the tables it has. */
export async function tableOf(ctx: RegistryContext, v: VersionRecord, table: string): Promise<StoredTable> {
  if (!isTablesVersion(v))
    throw new GoldgenError(
      'NOT_FOUND',
      `${refOf(v)} is a single-table version: it has no table ${JSON.stringify(table)} (read the version's data itself)`,
    )
  const tables = await readTableList(ctx.blobs, v)
  const found = tables.find((t) => t.name === table)
  if (found === undefined)
    throw new GoldgenError(
      'NOT_FOUND',
      `${refOf(v)} has no table ${JSON.stringify(table)}; its tables are ${tables.map((t) => t.name).join(', ')}`,
    )
  return found
}

/** Generates a `tables` schema's tables into staging files and stores each as a blob. */
export async function storeTables(
  ctx: RegistryContext,
  source: SchemaSource,
  opts: { seed?: number | undefined; rows?: number | undefined },
): Promise<{ list: TableList; manifest: TablesManifest; recipe: TablesRecipe }> {
  const { generateTables } = await import('../src/api/tables.ts')
  const dir = ctx.stagingPath('tables')
  mkdirSync(dir, { recursive: true })
  try {
    const { manifest } = await generateTables(source, {
      seed: opts.seed,
      rows: opts.rows,
      format: 'arrow',
      out: dir,
      manifest: false,
    })
    const tables: StoredTable[] = []
    for (const [name, section] of Object.entries(manifest.tables)) {
      const blob = await ctx.blobs.putFile(join(dir, `${name}${formats.arrow.extensions[0]}`))
      if (blob.sha256 !== section.file.sha256)
        throw new GoldgenError(
          'INTEGRITY',
          `table ${name} was stored as ${blob.sha256.slice(0, 12)}… but generated as ${section.file.sha256.slice(0, 12)}…`,
        )
      tables.push({ name, ...blob, rows: section.rows, format: 'arrow', mediaType: formats.arrow.mediaType })
      section.file = { ...section.file, path: `tables/${name}${formats.arrow.extensions[0]}` }
    }
    manifest.files = Object.values(manifest.tables).map((s) => s.file)
    const recipe: TablesRecipe = {
      schema: canonicalDef(source.def),
      seed: manifest.seed,
      rows: tables.reduce((n, t) => n + t.rows, 0),
      rootRows: opts.rows ?? null,
      tables: Object.fromEntries(tables.map((t) => [t.name, t.rows])),
      goldgen: manifest.goldgen,
      libraries: manifest.libraries,
    }
    return { list: { tablesVersion: 1, tables }, manifest, recipe }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One table in `format`, as a verified blob: the stored one, or a conversion made once and kept. */
export async function tableRepresentation(
  ctx: RegistryContext,
  v: VersionRecord,
  table: string,
  format: FormatName,
): Promise<{ sha256: string; path: string }> {
  const t = await tableOf(ctx, v, table)
  if (format === t.format) return { sha256: t.sha256, path: await ctx.blobs.verifiedPath(t.sha256) }
  const key = `table:${t.name}:${format}`
  let found = await ctx.store.getRepresentation(v.id, key)
  if (found === undefined) {
    const tmp = ctx.stagingPath(`repr${formats[format].extensions[0]}`)
    await writeTable(ctx, t, tmp, format)
    const blob = await ctx.blobs.putFile(tmp)
    await ctx.store.addRepresentation({ versionId: v.id, format: key, ...blob })
    found = blob
  }
  return { sha256: found.sha256, path: await ctx.blobs.verifiedPath(found.sha256) }
}

/** Writes one stored table to `out` in `format`. */
export async function writeTable(
  { blobs }: RegistryContext,
  t: StoredTable,
  out: string,
  format: FormatName,
): Promise<{ bytes: number; sha256: string }> {
  const sink = fileSink(out)
  try {
    if (format === t.format) sink.write(await blobs.read(t.sha256))
    else await convertRows(await blobs.verifiedPath(t.sha256), t.format, format, (b) => sink.write(b))
    return sink.commit()
  } catch (e) {
    sink.abort()
    throw e
  }
}

/** Each table's check for `verify`: its blob against its digest, then made again from the recipe. */
export async function verifyTables(
  ctx: RegistryContext,
  v: VersionRecord,
): Promise<{ ok: boolean; tables: { table: string; ok: boolean; detail: string }[] }> {
  const tables = await readTableList(ctx.blobs, v)
  const recipe = v.recipe as TablesRecipe
  const { generateTablesBuffers } = await import('../src/api/tables.ts')
  const made = await generateTablesBuffers(
    { def: recipe.schema },
    { seed: recipe.seed, rows: recipe.rootRows ?? undefined, format: 'arrow' },
  )
  const out = []
  for (const t of tables) {
    try {
      await ctx.blobs.verifiedPath(t.sha256)
    } catch (e) {
      out.push({ table: t.name, ok: false, detail: `table ${t.name}: ${(e as Error).message}` })
      continue
    }
    const bytes = made.tables[t.name]
    const digest = bytes === undefined ? undefined : createHash('sha256').update(bytes).digest('hex')
    out.push(
      digest === t.sha256
        ? { table: t.name, ok: true, detail: `table ${t.name}: identical bytes` }
        : {
            table: t.name,
            ok: false,
            detail:
              digest === undefined
                ? `table ${t.name}: the recipe no longer makes this table`
                : `table ${t.name}: regenerated bytes differ (sha256 ${digest.slice(0, 12)}… vs stored ${t.sha256.slice(0, 12)}…)`,
          },
    )
  }
  return { ok: out.every((t) => t.ok), tables: out }
}

/** Every table blob that multi-table versions point at (for `gc`, which must keep them). */
export async function tableBlobDigests(ctx: RegistryContext): Promise<Set<string>> {
  const out = new Set<string>()
  for (const d of await ctx.store.listDatasets()) {
    for (const v of await ctx.store.listVersions(d.name)) {
      if (!isTablesVersion(v)) continue
      let tables: StoredTable[]
      try {
        tables = await readTableList(ctx.blobs, v)
      } catch (e) {
        // Never guess: without the list, gc cannot tell which blobs are this version's tables.
        throw new GoldgenError(
          'INTEGRITY',
          `gc stopped before removing anything: the table list of ${refOf(v)} cannot be read (${(e as Error).message}); run goldgen verify ${refOf(v)}`,
        )
      }
      for (const t of tables) out.add(t.sha256)
    }
  }
  return out
}

/** Publishes a `tables` schema: its table blobs, then its table list and manifest, then the version. */
export async function publishTablesVersion(
  ctx: RegistryContext,
  dataset: string,
  source: SchemaSource,
  opts: { seed?: number | undefined; rows?: number | undefined },
) {
  const { list, manifest, recipe } = await storeTables(ctx, source, opts)
  const listBlob = await ctx.blobs.putBytes(`${JSON.stringify(list, null, 2)}\n`)
  const meta = await ctx.blobs.putBytes(`${JSON.stringify(manifest, null, 2)}\n`)
  const { version, created } = await ctx.store.publishVersion({
    dataset,
    sha256: listBlob.sha256,
    bytes: listBlob.bytes,
    format: TABLES_FORMAT,
    rows: recipe.rows,
    recipe,
    manifestSha256: meta.sha256,
    manifestBytes: meta.bytes,
    createdBy: ctx.user ?? undefined,
  })
  return { ref: refOf(version), version, created }
}

/** The registry's multi-table methods. */
export function tableMethods(ctx: RegistryContext) {
  return {
    /** A multi-table version's tables (digest, rows, format) and its integrity report. */
    async tables(ref: string) {
      const v = await resolveRef(ctx, ref)
      if (!isTablesVersion(v))
        throw new GoldgenError(
          'NOT_FOUND',
          `${refOf(v)} is a single-table version: it has no tables (read the version's data itself)`,
        )
      const manifest = (await manifestOf(ctx, v)) as unknown as TablesManifest
      return { version: v, tables: await readTableList(ctx.blobs, v), integrity: manifest.integrity }
    },
    fetchTables: (ref: string, dir: string, format?: FormatName) => fetchAllTables(ctx, ref, dir, format),
  }
}

/** Writes every table of a multi-table version into `dir` as `<table><ext>`. */
export async function fetchAllTables(ctx: RegistryContext, ref: string, folder: string, format?: FormatName) {
  const v = await resolveRef(ctx, ref)
  const dir = resolve(folder)
  if (!isTablesVersion(v))
    throw new GoldgenError('USAGE', `${refOf(v)} is a single-table version: give -o a file, not a folder`)
  mkdirSync(dir, { recursive: true })
  const written = []
  for (const t of await readTableList(ctx.blobs, v)) {
    const target = format ?? t.format
    const path = join(dir, `${t.name}${formats[target].extensions[0]}`)
    written.push({ table: t.name, path, format: target, ...(await writeTable(ctx, t, path, target)) })
  }
  return { ref: refOf(v), tables: written }
}
