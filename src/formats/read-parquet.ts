/**
 * Reading Parquet files back as apache-arrow record batches, one row group at a time (so memory
 * holds about one row group), through parquet-wasm. Used by `openRows` (inspect, infer, compare)
 * and the registry's format conversion.
 */
import { openAsBlob } from 'node:fs'
import type { RecordBatch, Schema } from 'apache-arrow'

export interface ArrowBatches extends AsyncIterable<RecordBatch> {
  schema: Schema
}

/** The key/value metadata of a Parquet file's footer (e.g. `goldgen.schemaSha256`). */
export async function parquetMetadata(file: string): Promise<Record<string, string>> {
  const pq = await import('parquet-wasm')
  const handle = await pq.ParquetFile.fromFile(await openAsBlob(file))
  try {
    const kv = handle.metadata().fileMetadata().keyValueMetadata() as Map<string, string>
    return Object.fromEntries(kv)
  } finally {
    handle.free()
  }
}

/** A Parquet file's record batches (a file opened with `openAsBlob`, or bytes), one row group at a time. */
export async function parquetBatches(blob: Blob): Promise<ArrowBatches> {
  const pq = await import('parquet-wasm')
  const arrow = await import('apache-arrow')
  const handle = await pq.ParquetFile.fromFile(blob)
  const groups = handle.metadata().numRowGroups()
  const readGroup = async (i: number) => {
    const table = await handle.read({ rowGroups: [i], batchSize: 65_536 })
    return arrow.tableFromIPC(table.intoIPCStream())
  }
  const schema = arrow.tableFromIPC(handle.schema().intoIPCStream()).schema
  return {
    schema,
    async *[Symbol.asyncIterator]() {
      try {
        for (let i = 0; i < groups; i++) yield* (await readGroup(i)).batches
      } finally {
        handle.free()
      }
    },
  }
}
