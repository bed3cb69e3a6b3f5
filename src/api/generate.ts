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
import {
  type EncodeOptions,
  type EncodeResult,
  type EncodeRunOptions,
  encodeDataset,
} from '../engine/encode.ts'
import { type ParallelOptions, resolveWorkerFile } from '../engine/parallel.ts'
import type { Plan, RunOptions } from '../engine/plan.ts'
import { type FormatName, formatForPath, formats, getFormat, refuseContradiction } from '../formats/index.ts'
import { type NonFinite, nonFiniteChoices } from '../formats/types.ts'
import type { Manifest, ManifestColumn, ManifestFile } from './manifest.ts'
import { negativeRows } from './negative.ts'
import { placePair } from './pair.ts'
import { planDataset } from './plan.ts'
import { shardRun } from './shard-range.ts'
import { type ByteSink, fdSink, fileSink, isSpecialFile, temporaryPath } from './sink.ts'
import type { PlanRecipe } from './worker.ts'

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
  /** Worker threads that make blocks (default 1: this thread); output bytes do not depend on it. */
  workers?: number | undefined
  /** Write only partition `index` of `count` (whole 65,536-row blocks of the full dataset). */
  shard?: { index: number; count: number } | undefined
}

/** Options of one encoding run: chunking, progress, worker threads. */
export interface IntoOptions extends EncodeOptions {
  workers?: number | undefined
  /** The schema file, for workers that rebuild the plan (errors name it). */
  file?: string | undefined
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

/** `--jsonl-nonfinite`: `string` or `null`, and only for the formats it shapes (JSONL, JSON). */
export function checkNonFinite(nonFinite: string | undefined, format: FormatName): void {
  if (nonFinite === undefined) return
  if (!nonFiniteChoices.includes(nonFinite as NonFinite))
    throw new GoldgenError(
      'USAGE',
      `--jsonl-nonfinite must be string or null, got ${JSON.stringify(nonFinite)}`,
    )
  if (format !== 'jsonl' && format !== 'json')
    throw new GoldgenError(
      'USAGE',
      `--jsonl-nonfinite applies to jsonl and json output; this output is ${format}`,
    )
}

/** Resolves the output format from options and the output path. */
export function resolveFormat(format: string | undefined, out: string | undefined): FormatName {
  const byPath = out !== undefined && out !== '-' ? formatForPath(out) : undefined
  if (format === undefined) return byPath ?? 'arrow'
  const name = getFormat(format).name as FormatName
  if (out !== undefined && out !== '-') refuseContradiction(name, out)
  return name
}

/** How worker threads rebuild this plan, or undefined for a run in this thread. */
export function parallelFor(
  plan: Plan,
  workers: number | undefined,
  file?: string,
): ParallelOptions | undefined {
  if (workers === undefined || workers <= 1) return undefined
  const recipe: PlanRecipe = {
    def: plan.def,
    file,
    run: { seed: plan.seed, rows: plan.rows, offset: plan.offset, total: plan.total, tags: plan.tags },
  }
  return {
    workers,
    workerFile: resolveWorkerFile(import.meta.url, 'worker'),
    key: `${process.pid}:${Date.now()}:${Math.random()}`,
    recipe,
  }
}

/** Encodes a plan, with worker threads when asked. */
export function encodePlan(
  plan: Plan,
  formatName: FormatName,
  emit: (bytes: Uint8Array | string) => void,
  options: IntoOptions & Pick<EncodeRunOptions, 'parts'> = {},
): Promise<EncodeResult> {
  const { workers, file, ...rest } = options
  return encodeDataset(plan, formats[formatName], emit, {
    ...rest,
    parallel: parallelFor(plan, workers, file),
  })
}

/** The manifest of a run that wrote `files`. */
export function buildManifest(plan: Plan, encoded: EncodeResult, files: ManifestFile[]): Manifest {
  const parquet = files.some((f) => f.format === 'parquet')
  return {
    manifestVersion: 1,
    goldgen: { version: VERSION, algorithm: ALGORITHM_VERSION },
    libraries: parquet
      ? { ...libraryVersions(), 'parquet-wasm': libraryVersion('parquet-wasm') }
      : libraryVersions(),
    name: plan.def.name ?? null,
    schema: canonicalDef(plan.def),
    schemaSha256: schemaSha256(plan.def),
    seed: plan.seed,
    rows: plan.rows,
    offset: plan.offset,
    total: plan.total,
    files,
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

/** Encodes a plan into a sink and builds its manifest (files[0].path = `fileName`). */
export async function generateInto(
  plan: Plan,
  formatName: FormatName,
  sink: ByteSink,
  fileName: string,
  options: IntoOptions = {},
): Promise<Manifest> {
  const format = formats[formatName]
  let encoded: EncodeResult
  let written: { bytes: number; sha256: string }
  try {
    encoded = await encodePlan(plan, formatName, (b) => sink.write(b), options)
    written = sink.commit()
  } catch (e) {
    sink.abort()
    throw e
  }
  return buildManifest(plan, encoded, [
    { path: fileName, format: format.name, mediaType: format.mediaType, ...written },
  ])
}

/** Generates a dataset to a file (or standard output) and writes its manifest. */
export async function generate(source: SchemaSource, options: GenerateOptions = {}): Promise<GenerateResult> {
  const formatName = resolveFormat(options.format, options.out)
  checkNonFinite(options.nonFinite, formatName)
  const plan = planDataset(source.def, shardRun(source.def, options), source)
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
    const manifest = await generateInto(plan, formatName, sink, fileName, { ...options, file: source.file })
    if (options.shard !== undefined) manifest.shard = options.shard
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
