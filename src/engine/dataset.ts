/**
 * A planned dataset that can produce any row range. Each column keeps the one block it made
 * last, so reading rows in order makes every block once, and memory stays one block per column
 * whatever the row count.
 */
import type { ColumnBlock, ColumnGenerator } from '../../generators/types.ts'
import { concatBlocks, sliceBlock } from './blocks.ts'
import type { Plan } from './plan.ts'
import { BLOCK_ROWS } from './random.ts'

export interface Dataset {
  plan: Plan
  /** Rows [start, start + length) of the output (0 = the row at the plan's offset), one block per column. */
  read(start: number, length: number): ColumnBlock[]
}

function columnSource(
  generator: ColumnGenerator,
  totalRows: number,
): (from: number, to: number) => ColumnBlock {
  let cachedIndex = -1
  let cached: ColumnBlock | undefined
  const block = (index: number): ColumnBlock => {
    if (index !== cachedIndex || cached === undefined) {
      const length = Math.min(BLOCK_ROWS, totalRows - index * BLOCK_ROWS)
      cached = generator.block(index, length)
      cachedIndex = index
    }
    return cached
  }
  return (from, to) => {
    const parts: ColumnBlock[] = []
    for (let at = from; at < to; ) {
      const index = Math.floor(at / BLOCK_ROWS)
      const base = index * BLOCK_ROWS
      const end = Math.min(to, base + BLOCK_ROWS)
      parts.push(sliceBlock(block(index), at - base, end - base))
      at = end
    }
    return concatBlocks(parts)
  }
}

/** Creates the row source for a plan. Blocks are made on demand, as rows are read. */
export function createDataset(plan: Plan): Dataset {
  // Blocks are laid over the whole dataset (from row 0), so a slice made with --offset
  // holds exactly the values of the same rows in a full run.
  const total = plan.offset + plan.rows
  const sources = plan.columns.map((c) =>
    columnSource(c.plugin.create(c.spec as never, { seed: plan.seed, column: c.name }), total),
  )
  return {
    plan,
    read(start, length) {
      if (start < 0 || length < 1 || start + length > plan.rows) {
        throw new RangeError(`rows [${start}, ${start + length}) are outside the dataset's ${plan.rows} rows`)
      }
      const from = plan.offset + start
      return sources.map((s) => s(from, from + length))
    },
  }
}
