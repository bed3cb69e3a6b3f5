/**
 * `--shard i/N`: partition i of N of the full dataset, in whole 65,536-row blocks, so that any
 * job runner can generate a large dataset on many machines and the parts, concatenated in order,
 * are the single-machine output row for row.
 */
import type { DatasetDef } from '../../schemas/language.ts'
import { GoldgenError } from '../core/errors.ts'
import { BLOCK_ROWS } from '../core/random.ts'
import { DEFAULT_ROWS, type RunOptions } from '../engine/plan.ts'

export interface Shard {
  index: number
  count: number
}

/** Rows [start, end) of partition `index` of `count` over a dataset of `total` rows. */
export function shardRange(total: number, { index, count }: Shard): { start: number; end: number } {
  const blocks = Math.ceil(total / BLOCK_ROWS)
  const first = Math.floor((index * blocks) / count)
  const last = Math.floor(((index + 1) * blocks) / count)
  return { start: Math.min(total, first * BLOCK_ROWS), end: Math.min(total, last * BLOCK_ROWS) }
}

/** The first row of every partition (for a run cut into `count` parts). */
export function shardStarts(total: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => shardRange(total, { index, count }).start)
}

/** Parses `i/N` (0 ≤ i < N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim())
  const index = m === null ? Number.NaN : Number(m[1])
  const count = m === null ? Number.NaN : Number(m[2])
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && count >= 1 && index < count)) {
    throw new GoldgenError(
      'USAGE',
      `--shard must be i/N with 0 ≤ i < N (e.g. 0/4 for the first of 4 parts), got ${JSON.stringify(text)}`,
    )
  }
  return { index, count }
}

/** The run options of a shard: its rows as an --offset slice of the full dataset. */
export function shardRun(def: DatasetDef, options: RunOptions & { shard?: Shard | undefined }): RunOptions {
  const { shard, ...run } = options
  if (shard === undefined) return run
  if (run.offset !== undefined || run.total !== undefined) {
    throw new GoldgenError(
      'USAGE',
      '--shard sets the rows a part holds itself; leave out --offset and --total',
    )
  }
  if (
    !(Number.isSafeInteger(shard.count) && shard.count >= 1 && shard.index >= 0 && shard.index < shard.count)
  ) {
    throw new GoldgenError('USAGE', `--shard must be i/N with 0 ≤ i < N, got ${shard.index}/${shard.count}`)
  }
  const total = run.rows ?? def.rows ?? DEFAULT_ROWS
  const { start, end } = shardRange(total, shard)
  return { ...run, offset: start, rows: end - start, total }
}
