/**
 * Reading data files back: Arrow IPC (stream or file), Parquet, CSV, JSONL and JSON (an array of
 * row objects, as `--format json` writes it), as rows of plain values (numbers, strings, booleans,
 * null; dates as YYYY-MM-DD, datetimes as ISO 8601, NaN and ±Infinity as numbers). Streams: memory
 * does not grow with the row count, except for JSON, which is one document read whole.
 */
import { closeSync, createReadStream, openAsBlob, openSync, readSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { GoldgenError } from '../core/errors.ts'
import { assertReadableFile } from '../core/files.ts'
import { type CellValue, fromJson } from '../core/values.ts'
import { arrowTypeName } from './arrow-types.ts'
import { type FormatName, formatForPath } from './index.ts'

export type { CellValue } from '../core/values.ts'
/** A row read back, keyed by column name: a null-prototype object, so `__proto__` is an ordinary name. */
export type DataRow = Record<string, CellValue>

export interface RowSource {
  format: FormatName
  /** Column names and Arrow types (text formats: known after the first row; types '' ). */
  columns: () => { name: string; type: string }[]
  rows: AsyncIterable<DataRow>
}

/** The format of a file: from its extension, else from its first bytes. */
export function sniffFormat(file: string): FormatName {
  const byName = formatForPath(file)
  if (byName !== undefined) return byName
  const fd = openSync(file, 'r')
  const head = Buffer.alloc(8)
  readSync(fd, head, 0, 8, 0)
  closeSync(fd)
  if (head.subarray(0, 6).toString('latin1') === 'ARROW1') return 'arrow-file'
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet'
  if (head.readUInt32LE(0) === 0xffffffff) return 'arrow'
  if (head[0] === 0x7b) return 'jsonl'
  if (head[0] === 0x5b) return 'json'
  return 'csv'
}

/** Types a text cell the way goldgen writes them. */
export function parseCell(s: string): CellValue {
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

/** Opens a data file for reading rows. Errors name the file and what is wrong with it. */
export async function openRows(file: string, format?: FormatName): Promise<RowSource> {
  // Checked before the format is sniffed from the first bytes, which opens the file.
  assertReadableFile(file)
  return openRowStream(
    () => createReadStream(file),
    format ?? sniffFormat(file),
    file,
    () => openAsBlob(file),
  )
}

/** All rows of data held in memory (a download), in a format goldgen writes; errors name `what`. */
export async function readRows(bytes: Uint8Array, format: FormatName, what: string): Promise<DataRow[]> {
  const source = await openRowStream(
    () => Readable.from([Buffer.from(bytes)]),
    format,
    what,
    async () => new Blob([bytes]),
  )
  const out: DataRow[] = []
  for await (const row of source.rows) out.push(row)
  return out
}

/**
 * Reads rows from a byte stream (opened by `input`), or for Parquet, which is read from its
 * footer first, from a Blob (`blob`); `file` names the input in errors.
 */
async function openRowStream(
  input: () => Readable,
  format: FormatName,
  file: string,
  blob: () => Promise<Blob>,
): Promise<RowSource> {
  const fail = (e: unknown): never => {
    if (e instanceof GoldgenError) throw e
    throw new GoldgenError('PARSE', `cannot read as ${format}: ${(e as Error).message}`, { file, cause: e })
  }
  let names: { name: string; type: string }[] = []
  if (format === 'arrow' || format === 'arrow-file' || format === 'parquet') {
    const arrow = await import('apache-arrow')
    const reader =
      format === 'parquet'
        ? await import('./read-parquet.ts').then(async (m) => m.parquetBatches(await blob())).catch(fail)
        : await arrow.RecordBatchReader.from(input()).catch(fail)
    if (format !== 'parquet') await Promise.resolve((reader as { open(): unknown }).open()).catch(fail)
    // An empty input opens as a reader without a schema.
    if (reader.schema === undefined)
      fail(new Error('no Arrow schema found (the input is empty or not Arrow)'))
    const fields = reader.schema.fields
    names = fields.map((f) => ({ name: f.name, type: arrowTypeName(f.type) }))
    const kinds = fields.map((f) =>
      arrow.DataType.isDate(f.type) ? 'date' : arrow.DataType.isTimestamp(f.type) ? 'ts' : '',
    )
    async function* rows() {
      try {
        for await (const batch of reader) {
          const vectors = fields.map((_, i) => batch.getChildAt(i)!)
          for (let r = 0; r < batch.numRows; r++) {
            const row: DataRow = Object.create(null)
            for (let c = 0; c < fields.length; c++) {
              const v: unknown = vectors[c]!.get(r)
              let cell: CellValue
              if (v === null || v === undefined) cell = null
              else if (typeof v === 'bigint') cell = Number(v)
              else if (kinds[c] === 'date') cell = new Date(v as number).toISOString().slice(0, 10)
              else if (kinds[c] === 'ts') cell = new Date(v as number).toISOString()
              else cell = v as CellValue
              row[fields[c]!.name] = cell
            }
            yield row
          }
        }
      } catch (e) {
        fail(e)
      }
    }
    return { format, columns: () => names, rows: rows() }
  }
  if (format === 'csv') {
    const { parse } = await import('csv-parse')
    // The header names the columns, even when no row follows it. Records are read as arrays and
    // rows built here as null-prototype objects: csv-parse's own `columns` objects would drop a
    // column named __proto__.
    const parser = input().pipe(parse({ bom: true, cast: false, relax_column_count: false }))
    async function* rows() {
      try {
        let header: string[] | undefined
        for await (const record of parser as AsyncIterable<string[]>) {
          if (header === undefined) {
            header = record
            names = header.map((name) => ({ name, type: '' }))
            continue
          }
          const row: DataRow = Object.create(null)
          for (let i = 0; i < header.length; i++) row[header[i]!] = parseCell(record[i] ?? '')
          yield row
        }
      } catch (e) {
        fail(e)
      }
    }
    return { format, columns: () => names, rows: rows() }
  }
  if (format === 'json') return jsonArrayRows(input, file)
  const lines = createInterface({
    input: input().setEncoding('utf8'),
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
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new GoldgenError('PARSE', `line ${n} is not a JSON object`, { file })
      }
      const row: DataRow = Object.create(null)
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) row[k] = fromJson(v)
      if (names.length === 0) names = Object.keys(row).map((name) => ({ name, type: '' }))
      yield row
    }
  }
  return { format, columns: () => names, rows: rows() }
}

/** A JSON document that is an array of row objects (what `--format json` writes), read whole. */
async function jsonArrayRows(input: () => Readable, file: string): Promise<RowSource> {
  let text = ''
  for await (const chunk of input().setEncoding('utf8')) text += chunk as string
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new GoldgenError('PARSE', `not valid JSON: ${(e as Error).message}`, { file })
  }
  if (!Array.isArray(parsed))
    throw new GoldgenError('PARSE', 'expected a JSON array of row objects (as --format json writes)', {
      file,
    })
  let names: { name: string; type: string }[] = []
  const rows = parsed.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      throw new GoldgenError('PARSE', `item ${i} of the array is not a JSON object`, { file })
    const row: DataRow = Object.create(null)
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) row[k] = fromJson(v)
    if (names.length === 0) names = Object.keys(row).map((name) => ({ name, type: '' }))
    return row
  })
  async function* all() {
    yield* rows
  }
  return { format: 'json', columns: () => names, rows: all() }
}
