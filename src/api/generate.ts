/**
 * Generation as the shells use it: a schema in, a data file and its manifest out.
 */
import { rmSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { canonicalDef, schemaSha256 } from '../../schemas/canonical.ts'
import type { DatasetDef } from '../../schemas/language.ts'
import type { Locator } from '../../schemas/parse.ts'
import { GoldgenError } from '../core/errors.ts'
import { ALGORITHM_VERSION } from '../core/random.ts'
import { libraryVersion, VERSION } from '../core/version.ts'
import { type EncodeOptions, encodeDataset } from '../engine/encode.ts'
import type { Plan, RunOptions } from '../engine/plan.ts'
import { type FormatName, formatForPath, formats, getFormat } from '../formats/index.ts'
import type { Manifest, ManifestColumn } from './manifest.ts'
import { negativeRows } from './negative.ts'
import { placePair } from './pair.ts'
import { planDataset } from './plan.ts'
import { type ByteSink, fdSink, fileSink, isSpecialFile, temporaryPath } from './sink.ts'

/** A definition together with where it came from, so errors can name the file and line. */
export interface SchemaSource {
  def: DatasetDef
  file?: string | undefined
  locate?: Locator | undefined
  /** What the schema asks for that goldgen does not honour (JSON Schema imports). */
  warnings?: string[] | undefined
}

export interface GenerateOptions extends RunOptions, EncodeOptions {
  /** Output format; default: from the output file's extension, else `arrow`. */
  format?: FormatName | undefined
  /** Output path, or "-" for standard output. Default: `<name>.<ext>` in `cwd`. */
  out?: string | undefined
  /** Manifest path; default `<out>.manifest.json`; `false` writes none. */
  manifest?: string | false | undefined
  /** Negative rows to write (default: the schema's `negative`). */
  negative?: number | undefined
  /** Where negative rows go; default `<out>.negative.jsonl`. */
  negativeOut?: string | undefined
  cwd?: string | undefined
  /** Where `out: "-"` writes (default: file descriptor 1). */
  stdout?: ByteSink | undefined
}

export interface GenerateResult {
  manifest: Manifest
  out: string
  manifestPath: string | undefined
}

let libraries: Record<string, string> | undefined

/** The versions of the libraries that shape output bytes (read once per process). */
export function libraryVersions(): Record<string, string> {
  libraries ??= Object.fromEntries(
    ['@faker-js/faker', 'apache-arrow', 'randexp'].map((n) => [n, libraryVersion(n)]),
  )
  return { ...libraries }
}

/** Resolves the output format from options and the output path. */
export function resolveFormat(format: string | undefined, out: string | undefined): FormatName {
  if (format !== undefined) return getFormat(format).name as FormatName
  return (out !== undefined && out !== '-' ? formatForPath(out) : undefined) ?? 'arrow'
}

/** Encodes a plan into a sink and builds its manifest (files[0].path = `fileName`). */
export async function generateInto(
  plan: Plan,
  formatName: FormatName,
  sink: ByteSink,
  fileName: string,
  options: EncodeOptions = {},
): Promise<Manifest> {
  const format = formats[formatName]
  let encoded: Awaited<ReturnType<typeof encodeDataset>>
  let written: { bytes: number; sha256: string }
  try {
    encoded = await encodeDataset(plan, format, (b) => sink.write(b), options)
    written = sink.commit()
  } catch (e) {
    sink.abort()
    throw e
  }
  return {
    manifestVersion: 1,
    goldgen: { version: VERSION, algorithm: ALGORITHM_VERSION },
    libraries: libraryVersions(),
    name: plan.def.name ?? null,
    schema: canonicalDef(plan.def),
    schemaSha256: schemaSha256(plan.def),
    seed: plan.seed,
    rows: plan.rows,
    offset: plan.offset,
    total: plan.total,
    files: [{ path: fileName, format: format.name, mediaType: format.mediaType, ...written }],
    columns: Object.fromEntries(
      plan.source.columns.flatMap((c) => {
        if (c.describe === undefined) return []
        const { missingAs, ...head } = c.describe
        const column: ManifestColumn = { ...head, ...encoded.stats[c.name]! }
        if (missingAs !== undefined) column.missingAs = missingAs
        return [[c.name, column]]
      }),
    ),
    coverage: encoded.coverage as Manifest['coverage'],
    ...plan.source.manifest?.({ rejected: encoded.rejected }),
    ...(plan.def.privacy !== undefined ? { privacy: plan.def.privacy } : {}),
  }
}

/** Generates a dataset to a file (or standard output) and writes its manifest. */
export async function generate(source: SchemaSource, options: GenerateOptions = {}): Promise<GenerateResult> {
  const plan = planDataset(source.def, options, source)
  const formatName = resolveFormat(options.format, options.out)
  const cwd = options.cwd ?? process.cwd()
  const out = options.out ?? join(cwd, `${source.def.name ?? 'dataset'}${formats[formatName].extensions[0]}`)
  const toStdout = out === '-'
  const outPath = toStdout ? '-' : resolve(cwd, out)
  const manifestPath =
    options.manifest === false
      ? undefined
      : options.manifest !== undefined
        ? resolve(cwd, options.manifest)
        : toStdout
          ? undefined
          : `${outPath}.manifest.json`
  const negative = options.negative ?? source.def.negative ?? 0
  if (negative > 0 && toStdout && options.negativeOut === undefined) {
    throw new GoldgenError('USAGE', 'with -o -, say where negative rows go with --negative-out PATH')
  }
  // Data and manifest are staged and moved into place together (pair.ts); devices and FIFOs
  // are written directly.
  const staged: { from: string; to: string; release(): void }[] = []
  const stage = (path: string) => {
    if (isSpecialFile(path)) return path
    const t = temporaryPath(path, 'staged')
    staged.push({ from: t.path, to: path, release: t.release })
    return t.path
  }
  try {
    const sink = toStdout ? (options.stdout ?? fdSink(1)) : fileSink(stage(outPath), outPath)
    const fileName = toStdout
      ? '-'
      : manifestPath === undefined
        ? basename(outPath)
        : relative(dirname(manifestPath), outPath)
    const manifest = await generateInto(plan, formatName, sink, fileName, options)
    if (negative > 0) {
      const path =
        options.negativeOut !== undefined ? resolve(cwd, options.negativeOut) : `${outPath}.negative.jsonl`
      const rows = await negativeRows(plan, negative)
      const out = fileSink(stage(path), path)
      out.write(rows.text)
      const written = out.commit()
      manifest.negative = {
        path: manifestPath === undefined ? path : relative(dirname(manifestPath), path),
        format: 'jsonl',
        rows: rows.rows,
        violations: rows.violations,
        ...written,
      }
    }
    if (manifestPath !== undefined) writeJsonFile(stage(manifestPath), manifest, manifestPath)
    placePair(staged)
    return { manifest, out: outPath, manifestPath }
  } finally {
    for (const s of staged) {
      rmSync(s.from, { force: true })
      s.release()
    }
  }
}

/** Writes JSON atomically, with a trailing newline. */
export function writeJsonFile(path: string, value: unknown, name = path): void {
  const sink = fileSink(path, name)
  sink.write(`${JSON.stringify(value, null, 2)}\n`)
  sink.commit()
}
