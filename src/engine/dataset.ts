/**
 * A planned dataset that can produce any row range. Each column keeps the one block it made
 * last, so reading rows in order makes every block once, and memory stays one block per column
 * whatever the row count. A block is final once its extras (coverage, edge cases, missing
 * values) are applied; columns named in another's `when` are made first, from the same cache.
 */
import type { ColumnBlock } from '../core/blocks.ts'
import { concatBlocks, sliceBlock } from '../core/blocks.ts'
import { BLOCK_ROWS } from '../core/random.ts'
import type { FormatColumn } from '../formats/types.ts'
import { recordColumnBlock } from '../jsonschema/records.ts'
import { applyExtras } from './extras.ts'
import { type Plan, TAGS_COLUMN } from './plan.ts'

export interface Dataset {
  plan: Plan
  /** Output columns: the plan's, then `_goldgen_tags` when asked for. */
  columns: FormatColumn[]
  /** Rows [start, start + length) of the output (0 = the row at the plan's offset), one block per column. */
  read(start: number, length: number): ColumnBlock[]
  /** Records mode: draws that failed the JSON Schema check so far. */
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

function checkRange(plan: Plan, start: number, length: number): void {
  if (start < 0 || length < 1 || start + length > plan.rows) {
    throw new RangeError(`rows [${start}, ${start + length}) are outside the dataset's ${plan.rows} rows`)
  }
}

/** Records mode: every column is a projection of the same seeded records. */
function createRecordDataset(plan: Plan): Dataset {
  const records = plan.records!
  const source = records.source(plan.seed)
  const total = plan.total
  return {
    plan,
    columns: records.columns.map((c) => ({ name: c.name, kind: 'json', shape: c.shape })),
    rejected: source.rejected,
    read(start, length) {
      checkRange(plan, start, length)
      const from = plan.offset + start
      return records.columns.map((c) =>
        blockRange(from, from + length, (b, s, e) =>
          sliceBlock(
            recordColumnBlock(source.block(b, Math.min(BLOCK_ROWS, total - b * BLOCK_ROWS)), c.name),
            s,
            e,
          ),
        ),
      )
    },
  }
}

/** Creates the row source for a plan. Blocks are made on demand, as rows are read. */
export function createDataset(plan: Plan): Dataset {
  if (plan.records !== undefined) return createRecordDataset(plan)
  // Blocks are laid over the whole dataset (from row 0), so a slice made with --offset
  // holds exactly the values of the same rows in a full run.
  const total = plan.total
  const index = new Map(plan.columns.map((c, i) => [c.name, i]))
  const generators = plan.columns.map((c) =>
    c.plugin.create(c.spec as never, { seed: plan.seed, column: c.name }),
  )
  const cached = plan.columns.map(() => ({ index: -1, block: undefined as ColumnBlock | undefined }))

  const finalBlock = (c: number, b: number): ColumnBlock => {
    const cache = cached[c]!
    if (cache.index !== b || cache.block === undefined) {
      const column = plan.columns[c]!
      const length = Math.min(BLOCK_ROWS, total - b * BLOCK_ROWS)
      const generated = generators[c]!.block(b, length)
      // Category blocks index the planned dictionary, which edge cases and sentinels may extend.
      if (generated.kind === 'dict' && column.dictionary !== undefined)
        generated.dictionary = column.dictionary
      cache.block = applyExtras(generated, column.extras, {
        seed: plan.seed,
        column: column.name,
        index: b,
        other: (name) => finalBlock(index.get(name)!, b),
      })
      cache.index = b
    }
    return cache.block
  }

  const range = (c: number, from: number, to: number): ColumnBlock =>
    blockRange(from, to, (b, start, end) => sliceBlock(finalBlock(c, b), start, end))

  const columns: Dataset['columns'] = plan.columns.map((c) => ({
    name: c.name,
    kind: c.kind,
    dictionary: c.dictionary,
  }))
  if (plan.tags) columns.push({ name: TAGS_COLUMN, kind: 'utf8' })
  return {
    plan,
    columns,
    read(start, length) {
      checkRange(plan, start, length)
      const from = plan.offset + start
      const blocks = plan.columns.map((_, c) => range(c, from, from + length))
      if (plan.tags) blocks.push(tagsBlock(plan, blocks, length))
      return blocks
    },
  }
}

/** `column:kind` for each edge case and `column:missing` for each missing value, comma-separated per row. */
function tagsBlock(plan: Plan, blocks: ColumnBlock[], length: number): ColumnBlock {
  const tags: string[] = new Array(length).fill('')
  plan.columns.forEach((column, c) => {
    const { edge, missing } = blocks[c]!
    const kinds = column.extras.edge?.pool.kinds
    if (edge === undefined && missing === undefined) return
    for (let i = 0; i < length; i++) {
      const e = edge?.[i] ?? -1
      if (e >= 0) tags[i] += `${tags[i] === '' ? '' : ','}${column.name}:${kinds![e]}`
      if (missing?.[i] === 1) tags[i] += `${tags[i] === '' ? '' : ','}${column.name}:missing`
    }
  })
  return { kind: 'utf8', values: tags }
}
