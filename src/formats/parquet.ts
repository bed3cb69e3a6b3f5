/**
 * Apache Parquet, written by parquet-wasm (arrow-rs compiled to WebAssembly) from Arrow IPC.
 * Blocks are re-batched into Arrow record batches of exactly BATCH_ROWS rows, turned into Arrow
 * IPC by goldgen's own Arrow writer, and streamed through parquet-wasm's writer one batch at a
 * time, so memory holds about one row group whatever the row count. Everything that shapes the
 * bytes is pinned: the library version (exact in package.json), `created_by`, the codec (ZSTD),
 * the row-group size, the writer version and the key/value metadata (the canonical schema hash).
 * parquet-wasm is loaded here only, when the format is opened.
 */
import type { ColumnBlock } from '../core/blocks.ts'
import { blockLength, concatBlocks, sliceBlock } from '../core/blocks.ts'
import { arrowStreamFormat, BATCH_ROWS } from './arrow.ts'
import { defineFormat, type Emit, type Encoder, type FormatColumn, type FormatMeta } from './types.ts'

/** The parquet-wasm release whose bytes goldgen pins (package.json holds exactly this version). */
export const PARQUET_WASM_VERSION = '0.8.0'
/** Rows per Parquet row group: 16 whole blocks. Part of the format's bytes. */
export const ROW_GROUP_ROWS = 1_048_576
/** `created_by` in every file goldgen writes. */
export const PARQUET_CREATED_BY = `parquet-wasm version ${PARQUET_WASM_VERSION} (goldgen)`
export const PARQUET_MEDIA_TYPE = 'application/vnd.apache.parquet'

type ParquetWasm = typeof import('parquet-wasm')
type WasmBatch = import('parquet-wasm').RecordBatch

/** One record batch (any length) as a complete Arrow IPC stream. */
async function toIpc(columns: FormatColumn[], blocks: ColumnBlock[] | undefined): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  const encoder = await arrowStreamFormat.open(columns, (b) =>
    chunks.push(typeof b === 'string' ? Buffer.from(b) : b),
  )
  if (blocks !== undefined) await encoder.write(blocks)
  await encoder.end()
  return Buffer.concat(chunks)
}

/**
 * A one-slot hand-off between the engine (which pushes batches) and parquet-wasm (which pulls
 * them): the producer waits while a batch is still queued, so memory stays bounded.
 */
function handOff() {
  const queue: WasmBatch[] = []
  let closed = false
  let failure: unknown
  let wakeConsumer: (() => void) | undefined
  let wakeProducer: (() => void) | undefined
  const stream = new ReadableStream<WasmBatch>(
    {
      async pull(controller) {
        while (queue.length === 0 && !closed) await new Promise<void>((r) => (wakeConsumer = r))
        const next = queue.shift()
        wakeProducer?.()
        if (next !== undefined) controller.enqueue(next)
        else controller.close()
      },
    },
    { highWaterMark: 0 },
  )
  return {
    stream,
    async push(batch: WasmBatch) {
      if (failure !== undefined) throw failure
      queue.push(batch)
      wakeConsumer?.()
      while (queue.length > 0 && failure === undefined) await new Promise<void>((r) => (wakeProducer = r))
      if (failure !== undefined) throw failure
    },
    close() {
      closed = true
      wakeConsumer?.()
    },
    fail(e: unknown) {
      failure = e
      wakeProducer?.()
    },
  }
}

function writerProperties(pq: ParquetWasm, meta: FormatMeta) {
  // One key only: parquet-wasm keeps key/value metadata in a hash map, whose order is random.
  const kv = new Map<string, string>()
  if (meta.schemaSha256 !== undefined) kv.set('goldgen.schemaSha256', meta.schemaSha256)
  return new pq.WriterPropertiesBuilder()
    .setCreatedBy(PARQUET_CREATED_BY)
    .setCompression(pq.Compression.ZSTD)
    .setWriterVersion(pq.WriterVersion.V2)
    .setMaxRowGroupSize(ROW_GROUP_ROWS)
    .setDictionaryEnabled(true)
    .setKeyValueMetadata(kv)
    .build()
}

async function openParquet(columns: FormatColumn[], emit: Emit, meta: FormatMeta = {}): Promise<Encoder> {
  const pq = await import('parquet-wasm')
  const lane = handOff()
  const output = pq.transformParquetStream(lane.stream, writerProperties(pq, meta))
  const drained = output.then(async (bytes: ReadableStream<Uint8Array>) => {
    const reader = bytes.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      emit(value)
    }
  })
  drained.catch((e: unknown) => lane.fail(e))
  const send = async (blocks: ColumnBlock[] | undefined) => {
    const table = pq.Table.fromIPCStream(await toIpc(columns, blocks))
    for (const batch of table.recordBatches()) await lane.push(batch)
    table.free()
  }
  let pending: ColumnBlock[][] = []
  let pendingRows = 0
  let wroteAny = false
  const flush = async (limit: number) => {
    while (pendingRows >= limit && pendingRows > 0) {
      const take = Math.min(BATCH_ROWS, pendingRows)
      const joined = columns.map((_, c) => concatBlocks(pending.map((p) => p[c]!)))
      await send(joined.map((b) => sliceBlock(b, 0, take)))
      pending = take < pendingRows ? [joined.map((b) => sliceBlock(b, take, pendingRows))] : []
      pendingRows -= take
    }
  }
  return {
    async write(blocks) {
      const n = blockLength(blocks[0]!)
      if (n === 0) return
      wroteAny = true
      pending.push(blocks)
      pendingRows += n
      await flush(BATCH_ROWS)
    },
    async end() {
      await flush(1)
      // An empty dataset still carries its schema (one batch of no rows).
      if (!wroteAny) await send(undefined)
      lane.close()
      await drained
    },
  }
}

export const parquetFormat = defineFormat({
  name: 'parquet',
  extensions: ['.parquet'],
  mediaType: PARQUET_MEDIA_TYPE,
  open: openParquet,
})
