/** Drives a dataset through a format encoder in chunks, gathering statistics and coverage on the way. */

import type { Emit, FormatDef } from '../formats/types.ts'
import { createDataset } from './dataset.ts'
import type { Plan } from './plan.ts'
import { type ColumnStats, createStats } from './stats.ts'

export const DEFAULT_CHUNK_ROWS = 65_536

export interface EncodeOptions {
  /** Rows produced per step. An internal knob: output bytes do not depend on it. */
  chunkRows?: number | undefined
  /** Called after each chunk with rows done so far and the total. */
  onProgress?: ((done: number, total: number) => void) | undefined
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
  options: EncodeOptions = {},
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
  const encoder = await format.open(dataset.columns, emit)
  // Long runs give the event loop a turn now and then, so signal handlers (cleanup on Ctrl-C) run.
  let turn = Date.now()
  for (let start = 0; start < plan.rows; start += chunkRows) {
    if (Date.now() - turn > 50) {
      await new Promise((next) => setImmediate(next))
      turn = Date.now()
    }
    const length = Math.min(chunkRows, plan.rows - start)
    const blocks = dataset.read(start, length)
    for (let i = 0; i < stats.length; i++) stats[i]!.add(blocks[i]!, plan.offset + start)
    observer?.add(blocks)
    encoder.write(blocks)
    options.onProgress?.(start + length, plan.rows)
  }
  encoder.end()
  const byName = Object.fromEntries(names.map((name, i) => [name, stats[i]!.result()]))
  return { stats: byName, coverage: observer?.result(byName) ?? null, rejected: dataset.rejected?.() }
}
