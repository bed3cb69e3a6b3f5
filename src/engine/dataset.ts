/**
 * A planned dataset that can produce any row range: the plan's row source is opened once and
 * asked for whole blocks; rows that cross blocks are sliced and joined here. Blocks are laid
 * over the whole dataset (from row 0), so a slice made with --offset holds exactly the values
 * of the same rows in a full run.
 */
import type { ColumnBlock } from '../core/blocks.ts'
import { concatBlocks, sliceBlock } from '../core/blocks.ts'
import { BLOCK_ROWS } from '../core/random.ts'
import type { FormatColumn } from '../formats/types.ts'
import type { Plan } from './plan.ts'

export interface Dataset {
  plan: Plan
  /** Output columns, as the source planned them. */
  columns: FormatColumn[]
  /** Rows [start, start + length) of the output (0 = the row at the plan's offset), one block per column. */
  read(start: number, length: number): ColumnBlock[]
  /** Draws that failed a final check so far (record sources). */
  rejected?: () => number
}

/** Calls `part(block, from, to)` for each block-aligned piece of rows [from, to), joining the results. */
function blockRange(from: number, to: number, part: (b: number, start: number, end: number) => ColumnBlock) {
  const parts: ColumnBlock[] = []
  for (let at = from; at < to; ) {
    const b = Math.floor(at / BLOCK_ROWS)
    const base = b * BLOCK_ROWS
    const end = Math.min(to, base + BLOCK_ROWS)
    parts.push(part(b, at - base, end - base))
    at = end
  }
  return concatBlocks(parts)
}

/** Creates the row source for a plan. Blocks are made on demand, as rows are read. */
export function createDataset(plan: Plan): Dataset {
  const total = plan.total
  const opened = plan.source.open(plan.seed, total)
  const columns = plan.source.columns
  const dataset: Dataset = {
    plan,
    columns: columns.map(({ name, kind, dictionary, shape }) => ({ name, kind, dictionary, shape })),
    read(start, length) {
      if (start < 0 || length < 1 || start + length > plan.rows) {
        throw new RangeError(`rows [${start}, ${start + length}) are outside the dataset's ${plan.rows} rows`)
      }
      const from = plan.offset + start
      return columns.map((_, c) =>
        blockRange(from, from + length, (b, s, e) =>
          sliceBlock(opened.block(c, b, Math.min(BLOCK_ROWS, total - b * BLOCK_ROWS)), s, e),
        ),
      )
    },
  }
  if (opened.rejected !== undefined) dataset.rejected = opened.rejected
  return dataset
}
