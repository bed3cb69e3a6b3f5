/**
 * Drives a dataset through a format encoder in pieces, gathering statistics and coverage on the
 * way. Pieces come in row order, made in this thread or by worker threads (./parallel.ts); a run
 * can also be cut into parts (shards), each its own encoder and output, with one set of statistics.
 */
import { schemaSha256 } from '../../schemas/canonical.ts'
import type { Emit, Encoder, FormatDef, NonFinite } from '../formats/types.ts'
import { createDataset } from './dataset.ts'
import { type ParallelOptions, readPieces } from './parallel.ts'
import type { Plan } from './plan.ts'
import { type ColumnStats, createStats } from './stats.ts'

export const DEFAULT_CHUNK_ROWS = 65_536

export interface EncodeOptions {
  /** Rows produced per step. An internal knob: output bytes do not depend on it. */
  chunkRows?: number | undefined
  /** JSONL and JSON: NaN and ±Infinity as strings (default) or null. */
  nonFinite?: NonFinite | undefined
  /** Called after each chunk with rows done so far and the total. */
  onProgress?: ((done: number, total: number) => void) | undefined
}

/** Cuts the output into parts: part k holds rows [starts[k], starts[k+1]); each has its own bytes. */
export interface PartTarget {
  /** First row of each part, ascending, starting with 0. */
  starts: readonly number[]
  /** Where part `index`'s bytes go. */
  emit(index: number): Emit
  /** Called when part `index` is complete. */
  done(index: number): void
}

export interface EncodeRunOptions extends EncodeOptions {
  /** Worker threads that make blocks (none: this thread). */
  parallel?: ParallelOptions | undefined
  parts?: PartTarget | undefined
}

export interface EncodeResult {
  stats: Record<string, ColumnStats>
  /** What the source's observer gathered (coverage); null when it has none. */
  coverage: unknown
  /** Records mode: draws that failed the JSON Schema check and were drawn again. */
  rejected?: number | undefined
}

export async function encodeDataset(
  plan: Plan,
  format: FormatDef,
  emit: Emit,
  options: EncodeRunOptions = {},
): Promise<EncodeResult> {
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS
  if (!(Number.isInteger(chunkRows) && chunkRows > 0))
    throw new RangeError(`chunkRows must be a positive integer, got ${chunkRows}`)
  const dataset = createDataset(plan)
  // Statistics for the columns the manifest describes (the tags column has none); they come first.
  const described = plan.source.columns.filter((c) => c.describe !== undefined)
  const stats = described.map((c) => createStats(c.kind, c.dictionary, c.edgeKinds))
  const names = described.map((c) => c.name)
  const observer = plan.source.observe?.()
  const meta = { schemaSha256: schemaSha256(plan.def), nonFinite: options.nonFinite }
  const parts = options.parts
  const starts = parts?.starts ?? [0]
  let part = 0
  let encoder: Encoder = await format.open(dataset.columns, parts?.emit(0) ?? emit, meta)
  let rejected = 0
  const pieces = readPieces(dataset, chunkRows, starts, options.parallel, (n) => {
    rejected += n
  })
  // Long runs give the event loop a turn now and then, so signal handlers (cleanup on Ctrl-C) run.
  let turn = Date.now()
  for await (const { start, length, blocks } of pieces) {
    if (Date.now() - turn > 50) {
      await new Promise((next) => setImmediate(next))
      turn = Date.now()
    }
    while (parts !== undefined && part + 1 < starts.length && start >= starts[part + 1]!) {
      await encoder.end()
      parts.done(part)
      part++
      encoder = await format.open(dataset.columns, parts.emit(part), meta)
    }
    for (let i = 0; i < stats.length; i++) stats[i]!.add(blocks[i]!, plan.offset + start)
    observer?.add(blocks)
    await encoder.write(blocks)
    options.onProgress?.(start + length, plan.rows)
  }
  await encoder.end()
  parts?.done(part)
  // Empty trailing parts (more parts than rows) still get a file with the schema.
  while (parts !== undefined && part + 1 < starts.length) {
    part++
    const empty = await format.open(dataset.columns, parts.emit(part), meta)
    await empty.end()
    parts.done(part)
  }
  const byName = Object.fromEntries(names.map((name, i) => [name, stats[i]!.result()]))
  return {
    stats: byName,
    coverage: observer?.result(byName) ?? null,
    rejected: dataset.rejected === undefined ? undefined : rejected,
  }
}
