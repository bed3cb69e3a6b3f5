/**
 * The generate command's scale flags: `--workers N`, `--shard i/N` and `--shards N -o DIR/`
 * (options, how they become generate options, and the summary of a run written as parts).
 */
import type { Command } from 'commander'
import type { GenerateOptions, GenerateResult, SchemaSource } from '../api/generate.ts'
import { GoldgenError } from '../core/errors.ts'
import { wholeNumber } from './options.ts'

export function scaleOptions(command: Command): Command {
  return command
    .option(
      '--workers <N>',
      "worker threads that make blocks (default: the machine's cores); output bytes do not depend on it",
      wholeNumber('--workers'),
    )
    .option(
      '--shard <i/N>',
      'write only partition i of N (0-based; whole 65,536-row blocks of the full dataset)',
    )
    .option(
      '--shards <N>',
      'write the dataset as N parts in the folder -o DIR/ (part-00000.parquet, …) with one manifest, DIR/_manifest.json',
      wholeNumber('--shards'),
    )
}

interface ScaleFlags {
  workers?: number
  shard?: string
  shards?: number
}

/** Generates with the scale flags applied: one file, one shard of it, or a folder of parts. */
export async function generateScaled(
  source: SchemaSource,
  flags: ScaleFlags,
  options: GenerateOptions,
): Promise<GenerateResult> {
  const { parseShard } = await import('../api/shard-range.ts')
  const { availableParallelism } = await import('node:os')
  if (flags.workers === 0) throw new GoldgenError('USAGE', '--workers must be at least 1')
  const workers = flags.workers ?? availableParallelism()
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard)
  if (flags.shards !== undefined) {
    if (shard !== undefined) throw new GoldgenError('USAGE', 'use either --shard i/N or --shards N, not both')
    const { generateShards } = await import('../api/shards.ts')
    return generateShards(source, flags.shards, { ...options, workers })
  }
  const { generate } = await import('../api/generate.ts')
  return generate(source, { ...options, workers, shard })
}

/** The one-line summary of a run written as parts (undefined for a single file). */
export function partsSummary(
  result: GenerateResult,
  bytesText: (n: number) => string,
  tags = false,
): string | undefined {
  const m = result.manifest
  if (m.shards === undefined) return undefined
  const bytes = m.files.reduce((n, f) => n + f.bytes, 0)
  const lines = [
    `wrote ${m.shards} parts to ${result.out} (${m.files[0]?.format}): ${m.rows.toLocaleString('en-US')} rows × ${Object.keys(m.columns).length + (tags ? 1 : 0)} columns, ${bytesText(bytes)}, seed ${m.seed}`,
  ]
  if (result.manifestPath !== undefined) lines.push(`manifest ${result.manifestPath}`)
  return `${lines.join('\n')}\n`
}
