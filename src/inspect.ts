/**
 * `inspect`: reads a data file (Arrow stream or file, CSV, JSONL) and reports its columns' types,
 * row count, per-column statistics and the first rows. Streams; memory does not grow with rows.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { GoldgenError } from './errors.ts'
import { formatForPath } from './formats/index.ts'
import { assertReadableFile } from './schema.ts'

export type CellValue = string | number | boolean | null

export interface InspectedColumn {
  name: string
  type: string
  nullCount: number
  min?: CellValue
  max?: CellValue
  mean?: number
  nanCount?: number
  distinct?: number
  top?: [string, number][]
}

export interface Inspection {
  file: string
  format: string
  rows: number
  columns: InspectedColumn[]
  head: Record<string, CellValue>[]
}

const MAX_DISTINCT = 1000

function columnAccumulator(name: string, type: string) {
  let nullCount = 0
  let nanCount = 0
  let min: CellValue = null
  let max: CellValue = null
  let sum = 0
  let numbers = 0
  const counts = new Map<string, number>()
  let tooMany = false
  return {
    add(v: CellValue) {
      if (v === null) {
        nullCount++
        return
      }
      if (typeof v === 'number') {
        if (Number.isNaN(v)) {
          nanCount++
          return
        }
        sum += v
        numbers++
      }
      if (min === null || v < min) min = v
      if (max === null || v > max) max = v
      if (!tooMany && (typeof v === 'string' || typeof v === 'boolean')) {
        const key = String(v)
        counts.set(key, (counts.get(key) ?? 0) + 1)
        if (counts.size > MAX_DISTINCT) tooMany = true
      }
    },
    result(): InspectedColumn {
      const out: InspectedColumn = { name, type, nullCount }
      if (min !== null) Object.assign(out, { min, max })
      if (numbers > 0) out.mean = sum / numbers
      if (nanCount > 0) out.nanCount = nanCount
      if (counts.size > 0 && !tooMany) {
        out.distinct = counts.size
        out.top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10)
      }
      return out
    },
  }
}

type Accumulator = ReturnType<typeof columnAccumulator>

function sniffFormat(file: string): string {
  const byName = formatForPath(file)
  if (byName !== undefined) return byName
  const fd = openSync(file, 'r')
  const head = Buffer.alloc(8)
  readSync(fd, head, 0, 8, 0)
  closeSync(fd)
  if (head.subarray(0, 6).toString('latin1') === 'ARROW1') return 'arrow-file'
  if (head.readUInt32LE(0) === 0xffffffff) return 'arrow'
  if (head[0] === 0x7b) return 'jsonl'
  return 'csv'
}

/** Reads a file and summarizes it. `headRows` first rows are returned as plain objects. */
export async function inspectFile(file: string, headRows = 5): Promise<Inspection> {
  assertReadableFile(file)
  const format = sniffFormat(file)
  const inner = format === 'csv' ? inspectCsv : format === 'jsonl' ? inspectJsonl : inspectArrow
  try {
    return { file, format, ...(await inner(file, headRows)) }
  } catch (e) {
    if (e instanceof GoldgenError) throw e
    throw new GoldgenError('PARSE', `cannot read as ${format}: ${(e as Error).message}`, { file, cause: e })
  }
}

type Body = Omit<Inspection, 'file' | 'format'>

async function inspectArrow(file: string, headRows: number): Promise<Body> {
  const arrow = await import('apache-arrow')
  const reader = await arrow.RecordBatchReader.from(createReadStream(file))
  await reader.open()
  const fields = reader.schema.fields
  const accs = fields.map((f) => columnAccumulator(f.name, String(f.type)))
  const head: Record<string, CellValue>[] = []
  let rows = 0
  const cell = (v: unknown): CellValue => {
    if (v === null || v === undefined) return null
    if (typeof v === 'bigint') return Number(v)
    if (v instanceof Date) return v.toISOString()
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v
    return String(v)
  }
  const temporal = fields.map((f) => arrow.DataType.isDate(f.type) || arrow.DataType.isTimestamp(f.type))
  for await (const batch of reader) {
    const vectors = fields.map((_, i) => batch.getChildAt(i)!)
    for (let r = 0; r < batch.numRows; r++) {
      const row: Record<string, CellValue> = {}
      for (let c = 0; c < fields.length; c++) {
        let v = cell(vectors[c]!.get(r))
        if (temporal[c] && typeof v === 'number') {
          v = arrow.DataType.isDate(fields[c]!.type)
            ? new Date(v).toISOString().slice(0, 10)
            : new Date(v).toISOString()
        }
        accs[c]!.add(v)
        if (head.length < headRows) row[fields[c]!.name] = v
      }
      if (head.length < headRows) head.push(row)
      rows++
    }
  }
  return { rows, columns: accs.map((a) => a.result()), head }
}

/** Types text cells the way goldgen writes them. */
function parseCell(s: string): CellValue {
  if (s === '') return null
  if (/^-?\d+$/.test(s)) return Number(s)
  if (/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s)
  if (s === 'NaN') return Number.NaN
  if (s === 'Infinity') return Number.POSITIVE_INFINITY
  if (s === '-Infinity') return Number.NEGATIVE_INFINITY
  if (s === 'true') return true
  if (s === 'false') return false
  return s
}

function textType(values: CellValue[]): string {
  const present = values.filter((v) => v !== null)
  if (present.length === 0) return 'null'
  if (present.every((v) => typeof v === 'number'))
    return present.every((v) => Number.isInteger(v)) ? 'int' : 'float'
  if (present.every((v) => typeof v === 'boolean')) return 'bool'
  if (present.every((v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v))) return 'date'
  if (present.every((v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v))) return 'datetime'
  return 'string'
}

async function inspectRows(rows: AsyncIterable<Record<string, CellValue>>, headRows: number): Promise<Body> {
  const names: string[] = []
  const accs = new Map<string, Accumulator>()
  const samples = new Map<string, CellValue[]>()
  const head: Record<string, CellValue>[] = []
  let count = 0
  for await (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      if (!accs.has(k)) {
        names.push(k)
        accs.set(k, columnAccumulator(k, ''))
        samples.set(k, [])
      }
      accs.get(k)!.add(v)
      const s = samples.get(k)!
      if (s.length < 1000) s.push(v)
    }
    if (head.length < headRows) head.push(row)
    count++
  }
  const columns = names.map((n) => ({ ...accs.get(n)!.result(), type: textType(samples.get(n)!) }))
  return { rows: count, columns, head }
}

async function inspectCsv(file: string, headRows: number): Promise<Body> {
  const { parse } = await import('csv-parse')
  const parser = createReadStream(file).pipe(
    parse({ columns: true, relax_column_count: false, bom: true, cast: false, quote: '"' }),
  )
  async function* rows() {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      const row: Record<string, CellValue> = {}
      for (const [k, v] of Object.entries(record)) row[k] = parseCell(v)
      yield row
    }
  }
  return inspectRows(rows(), headRows)
}

async function inspectJsonl(file: string, headRows: number): Promise<Body> {
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  })
  async function* rows() {
    let n = 0
    for await (const line of lines) {
      n++
      if (line.trim() === '') continue
      let parsed: unknown
      try {
        parsed = JSON.parse(line)
      } catch (e) {
        throw new GoldgenError('PARSE', `line ${n} is not valid JSON: ${(e as Error).message}`, { file })
      }
      const row: Record<string, CellValue> = {}
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
        row[k] =
          v === 'NaN'
            ? Number.NaN
            : v === 'Infinity'
              ? Number.POSITIVE_INFINITY
              : v === '-Infinity'
                ? Number.NEGATIVE_INFINITY
                : (v as CellValue)
      }
      yield row
    }
  }
  return inspectRows(rows(), headRows)
}
