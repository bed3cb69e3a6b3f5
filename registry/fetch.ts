/**
 * Getting a version out: its data written to a file in any format (converted, or for whole
 * records made again from the recipe), and representations in other formats made once and kept
 * as blobs (so their digest, the HTTP ETag, is never computed per request). One table of a
 * multi-table version is read the same ways (tables.ts); the version itself is refused there.
 */
import { basename, resolve } from 'node:path'
import { fileSink } from '../src/api/sink.ts'
import { GoldgenError } from '../src/core/errors.ts'
import { VERSION } from '../src/core/version.ts'
import {
  type FormatName,
  formatForPath,
  formatNames,
  formats,
  refuseContradiction,
} from '../src/formats/index.ts'
import type { NonFinite } from '../src/formats/types.ts'
import { type RegistryContext, refOf } from './context.ts'
import { convertRows } from './convert.ts'
import { resolveRef } from './datasets.ts'
import type { Recipe } from './publish.ts'
import type { VersionRecord } from './stores.ts'
import { singleTable, tableOf, tableRepresentation, writeTable } from './tables.ts'

/**
 * Whether a recipe makes whole records (`records:` or `model:`) with this very goldgen, so a
 * representation can be made again from it rather than converted from the stored Arrow.
 */
function wholeRecords(recipe: Recipe): boolean {
  const { schema } = recipe
  return (schema.records !== undefined || schema.model !== undefined) && recipe.goldgen.version === VERSION
}

/** Writes a version's data to `out` in `format` (converting when it differs from how it is stored). */
export async function fetchTo(
  ctx: RegistryContext,
  v: VersionRecord,
  out: string,
  format: FormatName,
  nonFinite?: NonFinite | undefined,
): Promise<{ path: string; format: FormatName; bytes: number; sha256: string }> {
  await singleTable(ctx, v)
  const { blobs } = ctx
  const source = await blobs.verifiedPath(v.sha256)
  if (format === v.format && nonFinite !== 'null') {
    const sink = fileSink(out)
    sink.write(await blobs.read(v.sha256))
    return { path: out, format, ...sink.commit() }
  }
  const sink = fileSink(out)
  try {
    const recipe = v.recipe as Recipe | null
    if (recipe !== null && wholeRecords(recipe)) {
      // Records (JSON Schema, fitted models) have nested values and left-out properties that
      // Arrow holds as structs and nulls; the same rows are made again from the recipe, in
      // the asked format, so JSONL gets the records themselves.
      const { generateToSink } = await import('../src/api/recipe.ts')
      const { manifest } = await generateToSink(recipe.schema, recipe, format, sink, basename(out))
      const made = manifest.files[0]!
      return { path: out, format, bytes: made.bytes, sha256: made.sha256 }
    }
    await convertRows(source, v.format as FormatName, format, (b) => sink.write(b), { nonFinite })
    return { path: out, format, ...sink.commit() }
  } catch (e) {
    sink.abort()
    throw e
  }
}

/** The registry's methods that write a version out. */
export function fetchMethods(ctx: RegistryContext) {
  const { store, blobs } = ctx
  return {
    /** Writes a version (or, with `table`, one table of a multi-table version) to `out`. */
    async fetch(
      ref: string,
      out: string,
      format?: FormatName,
      table?: string,
      options: { nonFinite?: NonFinite | undefined } = {},
    ) {
      const v = await resolveRef(ctx, ref)
      if (table !== undefined) {
        const t = await tableOf(ctx, v, table)
        const target = format ?? formatForPath(out) ?? t.format
        if (!formatNames.includes(target)) throw new GoldgenError('USAGE', `unknown format ${target}`)
        if (format !== undefined) refuseContradiction(target, out)
        const path = resolve(out)
        return {
          ref: refOf(v),
          table: t.name,
          path,
          format: target,
          ...(await writeTable(ctx, t, path, target)),
        }
      }
      const target = format ?? formatForPath(out) ?? (v.format as FormatName)
      if (!formatNames.includes(target)) throw new GoldgenError('USAGE', `unknown format ${target}`)
      if (format !== undefined) refuseContradiction(target, out)
      if (options.nonFinite !== undefined && target !== 'jsonl' && target !== 'json')
        throw new GoldgenError(
          'USAGE',
          `--jsonl-nonfinite applies to jsonl and json output; this output is ${target}`,
        )
      return { ref: refOf(v), ...(await fetchTo(ctx, v, resolve(out), target, options.nonFinite)) }
    },

    /**
     * A version in `format`, as a verified blob: the stored file, or a conversion made once and
     * kept (so its digest, the HTTP ETag, is never computed per request).
     */
    async representation(ref: string | VersionRecord, format: FormatName, table?: string) {
      const v = typeof ref === 'string' ? await resolveRef(ctx, ref) : ref
      if (table !== undefined) {
        const t = await tableRepresentation(ctx, v, table, format)
        return { version: v, format, mediaType: formats[format].mediaType, ...t }
      }
      await singleTable(ctx, v)
      let found =
        format === v.format ? { sha256: v.sha256, bytes: 0 } : await store.getRepresentation(v.id, format)
      if (found === undefined) {
        const tmp = ctx.stagingPath(`repr${formats[format].extensions[0]}`)
        await fetchTo(ctx, v, tmp, format)
        const blob = await blobs.putFile(tmp)
        await store.addRepresentation({ versionId: v.id, format, ...blob })
        found = blob
      }
      return {
        version: v,
        format,
        mediaType: formats[format].mediaType,
        sha256: found.sha256,
        path: await blobs.verifiedPath(found.sha256),
      }
    },
  }
}
