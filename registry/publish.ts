/**
 * Publishing: a dataset generated from a schema (with the recipe to make it again), or an
 * existing Arrow, CSV or JSONL file, stored as a new immutable, numbered version. A `tables`
 * schema becomes a multi-table version (tables.ts).
 *
 * Crash safety: a publish writes its blobs first (each whole or not at all) and then the version
 * in one transaction. A crash leaves either the whole version or none of it, plus at most an
 * unreferenced blob that `gc` removes.
 */
import { copyFileSync, rmSync } from 'node:fs'
import { basename } from 'node:path'
import { canonicalDef } from '../schemas/canonical.ts'
import type { DatasetDef } from '../schemas/language.ts'
import type { SchemaSource } from '../src/api/generate.ts'
import { inspectFile } from '../src/api/inspect.ts'
import { fileSink } from '../src/api/sink.ts'
import { GoldgenError, systemCause, writeFailure } from '../src/core/errors.ts'
import { VERSION } from '../src/core/version.ts'
import { type FormatName, formats } from '../src/formats/index.ts'
import { sniffFormat } from '../src/formats/read.ts'
import { type RegistryContext, refOf } from './context.ts'
import { ledgerEntryOf, type PrivacyBlock } from './ledger.ts'
import { checkName } from './refs.ts'
import type { VersionRecord } from './stores.ts'
import { publishTablesVersion } from './tables.ts'

/** What a generated version was made from: enough to make it again. */
export interface Recipe {
  schema: DatasetDef
  seed: number
  rows: number
  goldgen: { version: string; algorithm: number }
  libraries: Record<string, string>
}

export interface PublishResult {
  ref: string
  version: VersionRecord
  /** False when byte-identical content was already published: the existing version is returned. */
  created: boolean
}

/** Stores a data file and its manifest as blobs, then the version that points at them. */
async function storeVersion(
  { store, blobs, user, dir }: RegistryContext,
  dataset: string,
  dataFile: string,
  format: FormatName,
  rows: number,
  recipe: Recipe | null,
  manifest: object,
) {
  // A full disk under the blob store is the machine's failure (exit 1), named with the registry.
  const storing = <T>(write: () => Promise<T>): Promise<T> =>
    write().catch((e: unknown) => {
      throw systemCause(e) === undefined
        ? e
        : writeFailure(`${dataset} into the registry at ${dir}`, e, 'store')
    })
  const data = await storing(() => blobs.putFile(dataFile))
  const files = [
    { path: `data${formats[format].extensions[0]}`, format, mediaType: formats[format].mediaType, ...data },
  ]
  const meta = await storing(() => blobs.putBytes(`${JSON.stringify({ ...manifest, files }, null, 2)}\n`))
  const { version, created } = await store.publishVersion({
    dataset,
    sha256: data.sha256,
    bytes: data.bytes,
    format,
    rows,
    recipe,
    manifestSha256: meta.sha256,
    manifestBytes: meta.bytes,
    createdBy: user ?? undefined,
  })
  return { ref: refOf(version), version, created }
}

/** The registry's publishing methods. */
export function publishMethods(ctx: RegistryContext) {
  return {
    /** Generates a dataset from a schema and stores it as a new immutable version. */
    async publishSchema(
      source: SchemaSource,
      opts: { dataset: string; seed?: number | undefined; rows?: number | undefined },
    ): Promise<PublishResult> {
      checkName('dataset', opts.dataset)
      if (source.def.tables !== undefined) return publishTablesVersion(ctx, opts.dataset, source, opts)
      const { generateToSink } = await import('../src/api/recipe.ts')
      const tmp = ctx.stagingPath('data.arrow')
      const made = await generateToSink(
        source.def,
        { seed: opts.seed, rows: opts.rows },
        'arrow',
        fileSink(tmp),
        'data.arrow',
        source,
      )
      const recipe: Recipe = {
        schema: canonicalDef(source.def),
        seed: made.seed,
        rows: made.rows,
        goldgen: made.manifest.goldgen,
        libraries: made.manifest.libraries,
      }
      try {
        const published = await storeVersion(
          ctx,
          opts.dataset,
          tmp,
          'arrow',
          made.rows,
          recipe,
          made.manifest,
        )
        // A schema fitted under DP carries its release: the ledger keeps it (once per release).
        const privacy = source.def.privacy as PrivacyBlock | undefined
        if (privacy !== undefined && typeof privacy.id === 'string') {
          await ctx.store.recordPrivacy(ledgerEntryOf(privacy, published.ref))
        }
        return published
      } finally {
        rmSync(tmp, { force: true })
      }
    },

    /**
     * Stores an existing Arrow, CSV or JSONL file as a new immutable version. A file without a
     * column (empty, or `[]`) is refused; a header-only CSV is a version with 0 rows. `source`
     * names the file in errors (the server passes "the request body").
     */
    async publishFile(file: string, opts: { dataset: string; source?: string }): Promise<PublishResult> {
      checkName('dataset', opts.dataset)
      const format = sniffFormat(file)
      const inspection = await inspectFile(file, 0)
      if (inspection.columns.every((c) => c.name.trim() === '')) {
        throw new GoldgenError(
          'USAGE',
          `${opts.source ?? file} has no columns (${inspection.rows} rows): a data file without columns cannot be published (a CSV needs a header line naming them, JSONL rows at least one field)`,
        )
      }
      const tmp = ctx.stagingPath(basename(file))
      copyFileSync(file, tmp)
      const manifest = {
        manifestVersion: 1,
        goldgen: { version: VERSION },
        imported: basename(file),
        rows: inspection.rows,
        columns: Object.fromEntries(inspection.columns.map(({ name, ...c }) => [name, c])),
      }
      try {
        return await storeVersion(ctx, opts.dataset, tmp, format, inspection.rows, null, manifest)
      } finally {
        rmSync(tmp, { force: true })
      }
    },
  }
}
