/**
 * Format conversion on the way out of the registry (`goldgen fetch --format`). Arrow stream ↔
 * Arrow file is a re-framing of the same record batches; every other conversion reads rows and
 * writes them with goldgen's own writers, with column types taken from the Arrow schema or, for
 * text sources, from the values (integers, floats, booleans, else text).
 */
import { readFileSync } from 'node:fs'
import type { BlockKind, ColumnBlock } from '../src/core/blocks.ts'
import { type FormatName, formats } from '../src/formats/index.ts'
import { type CellValue, type DataRow, openRows } from '../src/formats/read.ts'
import type { Emit, FormatMeta } from '../src/formats/types.ts'

const CHUNK = 65_536

const arrowKinds: Record<string, BlockKind> = {
  Int32: 'int32',
  Int64: 'int64',
  Float64: 'float64',
  Bool: 'bool',
  Date32: 'date32',
  'Timestamp(ms, "UTC")': 'timestamp',
}

function kindOfValues(values: CellValue[]): BlockKind {
  const present = values.filter((v) => v !== null)
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) return 'bool'
  if (present.length > 0 && present.every((v) => typeof v === 'number')) {
    if (!present.every((v) => Number.isSafeInteger(v))) return 'float64'
    // Int32 when the values fit, as for generated int columns.
    return present.every((v) => (v as number) >= -2147483648 && (v as number) <= 2147483647)
      ? 'int32'
      : 'int64'
  }
  return 'utf8'
}

function toBlock(kind: BlockKind, values: CellValue[]): ColumnBlock {
  const n = values.length
  const validity = new Uint8Array(n).fill(1)
  let nulls = 0
  for (let i = 0; i < n; i++) {
    if (values[i] === null) {
      validity[i] = 0
      nulls++
    }
  }
  const v = nulls === 0 ? undefined : validity
  switch (kind) {
    case 'int32':
      return { kind, values: Int32Array.from(values, (x) => Number(x ?? 0)), validity: v }
    case 'int64':
    case 'float64':
      return { kind, values: Float64Array.from(values, (x) => Number(x ?? 0)), validity: v }
    case 'bool':
      return { kind, values: Uint8Array.from(values, (x) => (x === true ? 1 : 0)), validity: v }
    case 'date32':
      return {
        kind,
        values: Int32Array.from(values, (x) => (x === null ? 0 : Date.parse(`${x}T00:00:00Z`) / 86_400_000)),
        validity: v,
      }
    case 'timestamp':
      return {
        kind,
        values: Float64Array.from(values, (x) => (x === null ? 0 : Date.parse(String(x)))),
        validity: v,
      }
    default:
      return { kind: 'utf8', values: values.map((x) => (x === null ? '' : String(x))), validity: v }
  }
}

export async function convertRows(
  file: string,
  from: FormatName,
  to: FormatName,
  emit: Emit,
  meta: FormatMeta = {},
): Promise<void> {
  const arrowFormats: FormatName[] = ['arrow', 'arrow-file']
  if (arrowFormats.includes(from) && arrowFormats.includes(to)) {
    const { tableFromIPC, tableToIPC } = await import('apache-arrow')
    emit(tableToIPC(tableFromIPC(readFileSync(file)), to === 'arrow' ? 'stream' : 'file'))
    return
  }
  // Pass 1: the columns and their kinds.
  const first = await openRows(file, from)
  const samples = new Map<string, CellValue[]>()
  for await (const row of first.rows) {
    for (const [k, v] of Object.entries(row)) {
      const s = samples.get(k) ?? []
      if (s.length < 10_000) s.push(v)
      samples.set(k, s)
    }
  }
  const declared = new Map(first.columns().map((c) => [c.name, c.type]))
  const names = first.columns().map((c) => c.name)
  for (const k of samples.keys()) if (!names.includes(k)) names.push(k)
  const columns = names.map((name) => ({
    name,
    kind: arrowKinds[declared.get(name) ?? ''] ?? kindOfValues(samples.get(name) ?? []),
  }))
  // Pass 2: rows in chunks, through the target writer.
  const encoder = await formats[to].open(columns, emit, meta)
  let chunk: DataRow[] = []
  const flush = async () => {
    if (chunk.length === 0) return
    await encoder.write(
      columns.map((c) =>
        toBlock(
          c.kind,
          chunk.map((r) => r[c.name] ?? null),
        ),
      ),
    )
    chunk = []
  }
  for await (const row of (await openRows(file, from)).rows) {
    chunk.push(row)
    if (chunk.length === CHUNK) await flush()
  }
  await flush()
  await encoder.end()
}
