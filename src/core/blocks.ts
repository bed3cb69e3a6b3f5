/**
 * Column blocks, the unit every layer passes around: a run of one column's values in typed arrays,
 * with validity, missing and edge-case marks; and slicing and joining them, for re-batching and for
 * row ranges that cross blocks.
 */

/** How a column's values are held in memory (and which Arrow type they become). */
export type BlockKind =
  | 'int32'
  | 'int64'
  | 'float64'
  | 'bool'
  | 'date32'
  | 'timestamp'
  | 'dict'
  | 'utf8'
  | 'json'

interface BlockBase {
  /** 1 = valid, 0 = null; absent when every value is valid. */
  validity?: Uint8Array | undefined
  /** 1 = missing (a null, or a sentinel written with `missing.as`); absent when nothing is missing. */
  missing?: Uint8Array | undefined
  /** Edge-case kind per row as an index into the column's pool (-1 = none); absent when there are none. */
  edge?: Int8Array | undefined
}
/** The Arrow type each kind is written as, as manifests name it (`json` columns name their shape). */
export const arrowTypeNames = {
  int32: 'Int32',
  int64: 'Int64',
  float64: 'Float64',
  bool: 'Bool',
  date32: 'Date32',
  timestamp: 'Timestamp(ms, "UTC")',
  dict: 'Dictionary<Int32, Utf8>',
  utf8: 'Utf8',
} as const

/** A run of one column's values: typed arrays for numbers, indices for categories. */
export type ColumnBlock = BlockBase &
  (
    | { kind: 'int32'; values: Int32Array }
    | { kind: 'int64'; values: Float64Array } // safe integers; widened to Int64 at the Arrow edge
    | { kind: 'float64'; values: Float64Array }
    | { kind: 'bool'; values: Uint8Array }
    | { kind: 'date32'; values: Int32Array } // days since 1970-01-01
    | { kind: 'timestamp'; values: Float64Array } // milliseconds since the epoch, UTC
    | { kind: 'dict'; values: Int32Array; dictionary: readonly string[] }
    | { kind: 'utf8'; values: string[] }
    | { kind: 'json'; values: unknown[] } // JSON values of records; undefined = left out of the record
  )

export function blockLength(block: ColumnBlock): number {
  return block.values.length
}

/** Rows [start, end) of a block; typed arrays are shared views, not copies. */
export function sliceBlock(block: ColumnBlock, start: number, end: number): ColumnBlock {
  const marks = {
    validity: block.validity?.subarray(start, end),
    missing: block.missing?.subarray(start, end),
    edge: block.edge?.subarray(start, end),
  }
  switch (block.kind) {
    case 'utf8':
      return { kind: 'utf8', values: block.values.slice(start, end), ...marks }
    case 'json':
      return { kind: 'json', values: block.values.slice(start, end), ...marks }
    case 'dict':
      return {
        kind: 'dict',
        values: block.values.subarray(start, end),
        dictionary: block.dictionary,
        ...marks,
      }
    default:
      return { ...block, values: block.values.subarray(start, end), ...marks } as ColumnBlock
  }
}

/** Joins an optional per-row mark (validity, missing, edge) of several blocks; `fill` where a block has none. */
function concatMark<A extends Uint8Array | Int8Array>(
  blocks: ColumnBlock[],
  get: (b: ColumnBlock) => A | undefined,
  make: (n: number) => A,
  fill: number,
  total: number,
): A | undefined {
  if (!blocks.some((b) => get(b) !== undefined)) return undefined
  const out = make(total)
  let at = 0
  for (const b of blocks) {
    const mark = get(b)
    if (mark === undefined) out.fill(fill, at, at + blockLength(b))
    else out.set(mark, at)
    at += blockLength(b)
  }
  return out
}

/** Joins blocks of the same kind into one. */
export function concatBlocks(blocks: ColumnBlock[]): ColumnBlock {
  const first = blocks[0]
  if (first === undefined) throw new Error('concatBlocks needs at least one block')
  if (blocks.length === 1) return first
  const total = blocks.reduce((n, b) => n + blockLength(b), 0)
  const marks = {
    validity: concatMark(
      blocks,
      (b) => b.validity,
      (n) => new Uint8Array(n),
      1,
      total,
    ),
    missing: concatMark(
      blocks,
      (b) => b.missing,
      (n) => new Uint8Array(n),
      0,
      total,
    ),
    edge: concatMark(
      blocks,
      (b) => b.edge,
      (n) => new Int8Array(n),
      -1,
      total,
    ),
  }
  if (first.kind === 'utf8') {
    return { kind: 'utf8', values: blocks.flatMap((b) => b.values as string[]), ...marks }
  }
  if (first.kind === 'json') {
    return { kind: 'json', values: blocks.flatMap((b) => b.values as unknown[]), ...marks }
  }
  const values = new (first.values.constructor as new (n: number) => Int32Array | Float64Array | Uint8Array)(
    total,
  )
  let at = 0
  for (const b of blocks) {
    values.set(b.values as Int32Array & Float64Array & Uint8Array, at)
    at += blockLength(b)
  }
  return { ...first, values, ...marks } as ColumnBlock
}
