/** Slicing and joining column blocks, for re-batching and for row ranges that cross blocks. */
import type { ColumnBlock } from '../../generators/types.ts'

/** Rows [start, end) of a block; typed arrays are shared views, not copies. */
export function sliceBlock(block: ColumnBlock, start: number, end: number): ColumnBlock {
  const validity = block.validity?.subarray(start, end)
  switch (block.kind) {
    case 'utf8':
      return { kind: 'utf8', values: block.values.slice(start, end), validity }
    case 'dict':
      return {
        kind: 'dict',
        values: block.values.subarray(start, end),
        dictionary: block.dictionary,
        validity,
      }
    default:
      return { ...block, values: block.values.subarray(start, end), validity } as ColumnBlock
  }
}

export function blockLength(block: ColumnBlock): number {
  return block.values.length
}

/** Joins blocks of the same kind into one. */
export function concatBlocks(blocks: ColumnBlock[]): ColumnBlock {
  const first = blocks[0]
  if (first === undefined) throw new Error('concatBlocks needs at least one block')
  if (blocks.length === 1) return first
  const total = blocks.reduce((n, b) => n + blockLength(b), 0)
  let validity: Uint8Array | undefined
  if (blocks.some((b) => b.validity !== undefined)) {
    validity = new Uint8Array(total)
    let at = 0
    for (const b of blocks) {
      if (b.validity === undefined) validity.fill(1, at, at + blockLength(b))
      else validity.set(b.validity, at)
      at += blockLength(b)
    }
  }
  if (first.kind === 'utf8') {
    return { kind: 'utf8', values: blocks.flatMap((b) => b.values as string[]), validity }
  }
  const values = new (first.values.constructor as new (n: number) => Int32Array | Float64Array | Uint8Array)(
    total,
  )
  let at = 0
  for (const b of blocks) {
    values.set(b.values as Int32Array & Float64Array & Uint8Array, at)
    at += blockLength(b)
  }
  return { ...first, values, validity } as ColumnBlock
}
