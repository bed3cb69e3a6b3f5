/**
 * `goldgen generate … --shards N -o DIR/`: one run cut into N partitioned files
 * (DIR/part-00000.<ext> …, whole 65,536-row blocks each) and one manifest, DIR/_manifest.json,
 * that lists every part with its size and digest. Engines that read a folder as one dataset
 * (DuckDB's `read_parquet('DIR/*.parquet')`, Polars, Spark) skip the `_`-prefixed manifest.
 */
import { mkdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { GoldgenError } from '../core/errors.ts'
import { formats } from '../formats/index.ts'
import {
  buildManifest,
  encodePlan,
  type GenerateOptions,
  type GenerateResult,
  resolveFormat,
  type SchemaSource,
  writeJsonFile,
} from './generate.ts'
import type { ManifestFile } from './manifest.ts'
import { planDataset } from './plan.ts'
import { shardStarts } from './shard-range.ts'
import { type ByteSink, fileSink } from './sink.ts'

export const SHARDS_MANIFEST = '_manifest.json'

/** The file name of part `index` (part-00000.parquet, …). */
export function partName(index: number, extension: string): string {
  return `part-${String(index).padStart(5, '0')}${extension}`
}

/** Generates the dataset as `count` parts in a folder, with one manifest. */
export async function generateShards(
  source: SchemaSource,
  count: number,
  options: GenerateOptions = {},
): Promise<GenerateResult> {
  if (!(Number.isSafeInteger(count) && count >= 1)) {
    throw new GoldgenError('USAGE', `--shards must be a whole number ≥ 1, got ${count}`)
  }
  if (options.out === undefined || options.out === '-') {
    throw new GoldgenError('USAGE', '--shards N writes a folder of parts: say which with -o DIR/')
  }
  if (options.offset !== undefined || options.total !== undefined || options.shard !== undefined) {
    throw new GoldgenError(
      'USAGE',
      '--shards writes the whole dataset; leave out --offset, --total and --shard',
    )
  }
  if ((options.negative ?? source.def.negative ?? 0) > 0) {
    throw new GoldgenError('USAGE', '--negative writes one file beside one output; run it without --shards')
  }
  const cwd = options.cwd ?? process.cwd()
  const dir = resolve(cwd, options.out)
  // Parts default to Parquet, the format engines read folders of.
  const format = formats[resolveFormat(options.format ?? 'parquet', undefined)]
  try {
    mkdirSync(dir, { recursive: true })
  } catch (e) {
    throw new GoldgenError('IO', `cannot make the folder ${dir}: ${(e as Error).message}`, { cause: e })
  }
  if (!statSync(dir).isDirectory()) throw new GoldgenError('USAGE', `-o ${options.out} is not a folder`)
  const plan = planDataset(source.def, { ...options, format: undefined } as GenerateOptions, source)
  const manifestPath =
    options.manifest === false ? undefined : resolve(cwd, options.manifest ?? join(dir, SHARDS_MANIFEST))
  const sinks: ByteSink[] = []
  const files: ManifestFile[] = []
  const pathOf = (i: number) => join(dir, partName(i, format.extensions[0]!))
  try {
    const encoded = await encodePlan(plan, format.name as never, () => {}, {
      ...options,
      file: source.file,
      parts: {
        starts: shardStarts(plan.rows, count),
        emit(i) {
          const sink = fileSink(pathOf(i))
          sinks[i] = sink
          return (b) => sink.write(b)
        },
        done(i) {
          const written = sinks[i]!.commit()
          const path =
            manifestPath === undefined
              ? partName(i, format.extensions[0]!)
              : relative(resolve(manifestPath, '..'), pathOf(i))
          files[i] = { path, format: format.name, mediaType: format.mediaType, ...written }
        },
      },
    })
    const manifest = buildManifest(plan, encoded, files)
    manifest.shards = count
    if (manifestPath !== undefined) writeJsonFile(manifestPath, manifest)
    return { manifest, out: dir, manifestPath }
  } catch (e) {
    for (const sink of sinks) sink?.abort()
    throw e
  }
}
