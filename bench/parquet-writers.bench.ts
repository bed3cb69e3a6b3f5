/**
 * `npm run bench:parquet`: the two Parquet writers considered, on the README's 8 numeric/categorical
 * columns in the same run: parquet-wasm (goldgen's writer: ZSTD, streamed row groups) and
 * hyparquet-writer (pure JavaScript: SNAPPY by default, ZSTD only with a compressor brought in,
 * whole table in memory). Each writes twice, to check that its bytes are deterministic.
 * Set BENCH_ROWS (default 500,000). Results go to stdout and bench/latest/parquet-results.json.
 */
import { createHash } from 'node:crypto'
import { parquetWriteBuffer } from 'hyparquet-writer'
import type { ColumnBlock } from '../src/core/blocks.ts'
import { createGoldgen } from '../src/index.ts'
import { writeResults } from './results.ts'
import { numericSchema } from './tables.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 500_000)
const goldgen = createGoldgen()
const source = goldgen.parseSchema(numericSchema)
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9

async function viaParquetWasm() {
  const start = process.hrtime.bigint()
  const { bytes } = await goldgen.generateBuffer(source, { rows: ROWS, format: 'parquet', workers: 1 })
  return { seconds: seconds(start), bytes }
}

function columnData(blocks: ColumnBlock[], names: string[]) {
  return blocks.map((b, i) => {
    const name = names[i]!
    switch (b.kind) {
      case 'int64':
        return { name, data: BigInt64Array.from(b.values, (v) => BigInt(v)), type: 'INT64' as const }
      case 'int32':
      case 'date32':
        return { name, data: b.values, type: 'INT32' as const }
      case 'bool':
        return { name, data: Array.from(b.values, (v) => v === 1), type: 'BOOLEAN' as const }
      case 'dict':
        return { name, data: Array.from(b.values, (v) => b.dictionary[v]!), type: 'STRING' as const }
      default:
        return { name, data: b.values as Float64Array, type: 'DOUBLE' as const }
    }
  })
}

function viaHyparquet() {
  const start = process.hrtime.bigint()
  const dataset = goldgen.dataset(source, { rows: ROWS })
  const blocks = dataset.read(0, ROWS)
  const names = dataset.columns.map((c) => c.name)
  const buffer = parquetWriteBuffer({
    columnData: columnData(blocks, names) as never,
    createdBy: 'goldgen bench',
  })
  return { seconds: seconds(start), bytes: new Uint8Array(buffer) }
}

const runs = []
for (const [name, run] of [
  ['parquet-wasm 0.8.0 (ZSTD)', viaParquetWasm],
  ['hyparquet-writer 0.17.0 (SNAPPY)', async () => viaHyparquet()],
] as const) {
  const a = await run()
  const b = await run()
  runs.push({
    writer: name,
    seconds: Math.min(a.seconds, b.seconds),
    rowsPerSecond: ROWS / Math.min(a.seconds, b.seconds),
    bytes: a.bytes.length,
    deterministic: sha(a.bytes) === sha(b.bytes),
  })
}
console.log(
  `| Parquet writer (${ROWS.toLocaleString('en-US')} rows, 8 columns) | rows/s | bytes | same bytes twice |`,
)
console.log('|---|---:|---:|---|')
for (const r of runs)
  console.log(
    `| ${r.writer} | ${Math.round(r.rowsPerSecond).toLocaleString('en-US')} | ${r.bytes.toLocaleString('en-US')} | ${r.deterministic ? 'yes' : 'no'} |`,
  )
writeResults(
  'parquet-results.json',
  `${JSON.stringify({ rows: ROWS, node: process.version, runs }, null, 2)}\n`,
)
