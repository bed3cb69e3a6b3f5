/**
 * Arrow IPC writers (stream and file). apache-arrow is loaded here only, when an Arrow format is
 * opened. Blocks are re-batched into record batches of exactly BATCH_ROWS rows (the last may be
 * shorter), so the bytes do not depend on how the engine chunked its work.
 */
import type { ColumnBlock } from '../core/blocks.ts'
import { blockLength, concatBlocks, sliceBlock } from '../core/blocks.ts'
import { type Shape, toArrowValue } from '../core/shape.ts'
import { defineFormat, type Emit, type Encoder, type FormatColumn } from './types.ts'

/** Rows per Arrow record batch: part of the output format, independent of internal chunking. */
export const BATCH_ROWS = 65_536

type Arrow = typeof import('apache-arrow')

/** Arrow's type for a column, as SCHEMA.md maps them. */
function arrowType(arrow: Arrow, column: FormatColumn, index: number) {
  switch (column.kind) {
    case 'int32':
      return new arrow.Int32()
    case 'int64':
      return new arrow.Int64()
    case 'float64':
      return new arrow.Float64()
    case 'bool':
      return new arrow.Bool()
    case 'date32':
      return new arrow.DateDay()
    case 'timestamp':
      return new arrow.TimestampMillisecond('UTC')
    case 'dict':
      return new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32(), index, false)
    case 'utf8':
      return new arrow.Utf8()
    case 'json':
      return shapeType(arrow, column.shape ?? { kind: 'json' })
  }
}

/** Arrow's type for a records column's shape. */
function shapeType(arrow: Arrow, shape: Shape): InstanceType<Arrow['DataType']> {
  switch (shape.kind) {
    case 'int64':
    case 'float64':
    case 'bool':
    case 'utf8':
      return arrowType(arrow, { name: '', kind: shape.kind }, 0)
    case 'json':
      return new arrow.Utf8()
    case 'struct':
      return new arrow.Struct(shape.fields.map((f) => shapeField(arrow, f.name, f.shape)))
    case 'list':
      return new arrow.List(shapeField(arrow, 'item', shape.item))
  }
}

/** A nullable field; JSON text is marked `goldgen.encoding: json` in the field's metadata. */
function shapeField(arrow: Arrow, name: string, shape: Shape) {
  const metadata = shape.kind === 'json' ? new Map([['goldgen.encoding', 'json']]) : undefined
  return new arrow.Field(name, shapeType(arrow, shape), true, metadata)
}

/** Packs 0/1 bytes into an Arrow bitmap (least significant bit first). */
function packBits(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(((bytes.length + 63) >> 6) << 3)
  for (let i = 0; i < bytes.length; i++) if (bytes[i]) out[i >> 3]! |= 1 << (i & 7)
  return out
}

/** Safe integers held as doubles → little-endian Int64 words. */
function toInt64(values: Float64Array): BigInt64Array {
  const out = new BigInt64Array(values.length)
  const words = new Int32Array(out.buffer)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    words[2 * i] = v >>> 0
    words[2 * i + 1] = Math.floor(v / 4294967296)
  }
  return out
}

const encoder = new TextEncoder()

/** UTF-8 bytes and int32 offsets for a Utf8 column. */
export function encodeUtf8(
  values: readonly string[],
  validity?: Uint8Array,
): { offsets: Int32Array; data: Uint8Array } {
  const offsets = new Int32Array(values.length + 1)
  let capacity = 0
  for (const s of values) capacity += s.length
  let data = new Uint8Array(capacity * 3 + 16)
  let at = 0
  for (let i = 0; i < values.length; i++) {
    if (validity === undefined || validity[i] === 1) {
      const s = values[i]!
      if (data.length - at < s.length * 3) {
        const grown = new Uint8Array((data.length + s.length * 3) * 2)
        grown.set(data.subarray(0, at))
        data = grown
      }
      at += encoder.encodeInto(s, data.subarray(at)).written
    }
    offsets[i + 1] = at
  }
  return { offsets, data: data.subarray(0, at) }
}

function makeColumnData(
  arrow: Arrow,
  type: ReturnType<typeof arrowType>,
  block: ColumnBlock,
  dictionary: unknown,
  { name, shape }: FormatColumn,
) {
  const length = blockLength(block)
  const nullCount = block.validity === undefined ? 0 : length - block.validity.reduce((n, v) => n + v, 0)
  const nulls =
    nullCount > 0 && block.validity !== undefined
      ? { nullBitmap: packBits(block.validity), nullCount }
      : { nullCount: 0 }
  const base = { type, length, ...nulls } as const
  switch (block.kind) {
    case 'int64':
    case 'timestamp':
      return arrow.makeData({ ...base, data: toInt64(block.values) } as never)
    case 'bool':
      return arrow.makeData({ ...base, data: packBits(block.values) } as never)
    case 'dict':
      return arrow.makeData({ ...base, data: block.values, dictionary } as never)
    case 'utf8': {
      const { offsets, data } = encodeUtf8(block.values, block.validity)
      return arrow.makeData({ ...base, valueOffsets: offsets, data } as never)
    }
    case 'json': {
      const values = block.values.map((v) => toArrowValue(v, shape!, name))
      const vector = arrow.vectorFromArray(values, type as never)
      if (vector.data.length !== 1)
        throw new Error('apache-arrow built a records column in more than one chunk')
      return vector.data[0]!
    }
    default:
      return arrow.makeData({ ...base, data: block.values } as never)
  }
}

/** The bytes apache-arrow's writer has queued so far, taken out of its internal queue. */
function drain(writer: object, emit: Emit): void {
  // RecordBatchWriter buffers into an AsyncByteQueue whose `_values` we empty synchronously,
  // so memory holds one batch at a time (the public API only offers async iteration).
  const queue = (writer as { _sink?: { _values?: Uint8Array[] } })._sink?._values
  if (queue === undefined) throw new Error('apache-arrow writer internals changed: cannot stream IPC bytes')
  for (const chunk of queue.splice(0)) emit(chunk)
}

async function openArrow(columns: FormatColumn[], emit: Emit, file: boolean): Promise<Encoder> {
  const arrow = await import('apache-arrow')
  const types = columns.map((c, i) => arrowType(arrow, c, i))
  const fields = columns.map((c, i) =>
    c.kind === 'json'
      ? shapeField(arrow, c.name, c.shape ?? { kind: 'json' })
      : new arrow.Field(c.name, types[i]!, true),
  )
  const schema = new arrow.Schema(fields)
  const structType = new arrow.Struct(fields)
  // One dictionary vector per column, reused by every batch so it is written once.
  const dictionaries = columns.map((c) =>
    c.kind === 'dict' ? arrow.vectorFromArray([...(c.dictionary ?? [])], new arrow.Utf8()) : undefined,
  )
  const writer = file ? new arrow.RecordBatchFileWriter() : new arrow.RecordBatchStreamWriter()
  writer.reset(undefined, schema)
  let pending: ColumnBlock[][] = []
  let pendingRows = 0
  const writeBatch = (blocks: ColumnBlock[]) => {
    const length = blockLength(blocks[0]!)
    const children = blocks.map((b, i) => makeColumnData(arrow, types[i]!, b, dictionaries[i], columns[i]!))
    const data = arrow.makeData({ type: structType, length, nullCount: 0, children })
    writer.write(new arrow.RecordBatch(schema, data))
    drain(writer, emit)
  }
  const flush = (limit: number) => {
    while (pendingRows >= limit && pendingRows > 0) {
      const take = Math.min(BATCH_ROWS, pendingRows)
      const joined = columns.map((_, c) => concatBlocks(pending.map((p) => p[c]!)))
      writeBatch(joined.map((b) => sliceBlock(b, 0, take)))
      pending = take < pendingRows ? [joined.map((b) => sliceBlock(b, take, pendingRows))] : []
      pendingRows -= take
    }
  }
  let wroteAny = false
  return {
    write(blocks) {
      const n = blockLength(blocks[0]!)
      if (n === 0) return
      wroteAny = true
      pending.push(blocks)
      pendingRows += n
      flush(BATCH_ROWS)
    },
    end() {
      flush(1)
      if (!wroteAny) {
        // An empty dataset still carries its schema.
        writer.write(
          new arrow.RecordBatch(
            schema,
            arrow.makeData({
              type: structType,
              length: 0,
              nullCount: 0,
              children: types.map((t, i) =>
                arrow.makeData({
                  type: t,
                  length: 0,
                  nullCount: 0,
                  ...(columns[i]!.kind === 'dict' ? { dictionary: dictionaries[i] } : {}),
                } as never),
              ),
            }),
          ),
        )
      }
      writer.finish()
      drain(writer, emit)
    },
  }
}

export const arrowStreamFormat = defineFormat({
  name: 'arrow',
  extensions: ['.arrow', '.arrows'],
  mediaType: 'application/vnd.apache.arrow.stream',
  open: (columns, emit) => openArrow(columns, emit, false),
})

export const arrowFileFormat = defineFormat({
  name: 'arrow-file',
  extensions: ['.feather', '.arrowfile'],
  mediaType: 'application/vnd.apache.arrow.file',
  open: (columns, emit) => openArrow(columns, emit, true),
})
