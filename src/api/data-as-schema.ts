/**
 * A data file given where a schema is expected: say what the file looks like (Parquet, Arrow,
 * JSON Lines, a JSON array of rows, CSV) and which commands read such a file, instead of quoting
 * its bytes. Only the first 64 KiB are looked at, so the message is short whatever the file.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { GoldgenError } from '../core/errors.ts'

const HEAD_BYTES = 64 * 1024

function head(file: string): Buffer {
  const fd = openSync(file, 'r')
  try {
    const buf = Buffer.alloc(HEAD_BYTES)
    return buf.subarray(0, readSync(fd, buf, 0, HEAD_BYTES, 0))
  } finally {
    closeSync(fd)
  }
}

/** Column names as a message shows them: the first few, quoted, and how many more. */
function someNames(names: readonly string[]): string {
  const shown = names.slice(0, 5).map((n) => JSON.stringify(n.length > 30 ? `${n.slice(0, 27)}...` : n))
  return `${shown.join(', ')}${names.length > 5 ? `, … (${names.length} in all)` : ''}`
}

/** What a binary file is, from its magic bytes; undefined for text. */
function binaryLook(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 4).toString('latin1') === 'PAR1') return 'a Parquet file'
  if (bytes.subarray(0, 6).toString('latin1') === 'ARROW1') return 'an Arrow IPC file'
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0xffffffff) return 'an Arrow IPC stream'
  if (bytes.includes(0)) return 'binary data'
  return undefined
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** What a text file that is not a schema looks like: JSON Lines, a JSON array of rows, CSV. */
function textLook(text: string): string | undefined {
  // Meant as a schema (its own errors say what is wrong with it).
  if (/^\s*(columns|tables|records|model)\s*:|\bgoldgen["']?\s*:/m.test(text)) return undefined
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  const complete = text.length < HEAD_BYTES ? lines : lines.slice(0, -1)
  const first = complete[0]?.trim()
  if (first === undefined) return undefined
  if (first.startsWith('{')) {
    const objects = complete.slice(0, 5).map((l) => tryJson(l))
    const row = objects[0]
    // Two lines at least: one JSON object on one line may be a JSON Schema.
    if (isRecord(row) && objects.every(isRecord) && complete.length > 1)
      return `JSON Lines data (one JSON object per line, with keys ${someNames(Object.keys(row))})`
  }
  if (first.startsWith('[')) {
    const whole = tryJson(text)
    const opening = first === '[' ? (complete[1] ?? '') : first.slice(1)
    const item = Array.isArray(whole) ? whole[0] : tryJson(opening.trim().replace(/,$/, ''))
    if (isRecord(item)) return `a JSON array of rows (with keys ${someNames(Object.keys(item))})`
  }
  const second = complete[1]
  if (second === undefined) return undefined
  for (const delimiter of [',', '\t', ';', '|']) {
    const names = first.split(delimiter)
    if (names.length >= 2 && second.split(delimiter).length === names.length) {
      const what = delimiter === '\t' ? 'tab-separated data' : 'CSV data'
      return `${what} (a header row of ${names.length} columns: ${someNames(names.map((n) => n.trim()))})`
    }
  }
  return undefined
}

function dataFileError(file: string, look: string): GoldgenError {
  return new GoldgenError(
    'SCHEMA_INVALID',
    `is not a goldgen schema: it looks like ${look}. To write a schema from it: goldgen infer ${file}; to store it as a dataset version: goldgen publish ${file} --dataset NAME; to look at it: goldgen inspect ${file}`,
    { file },
  )
}

/** Throws the data-file error when a file's first bytes are binary data (before it is read as text). */
export function refuseBinaryData(file: string): void {
  let bytes: Buffer
  try {
    if (!statSync(file).isFile()) return // devices and pipes: read once, by the size-limited reader
    bytes = head(file)
  } catch {
    return // reading it as text reports the file-system error
  }
  const look = binaryLook(bytes)
  if (look !== undefined) throw dataFileError(file, look)
}

/**
 * Throws the data-file error when a text looks like data (JSON Lines, a JSON array of rows, CSV)
 * rather than a schema (no `goldgen:` key anywhere), before it is parsed as YAML.
 */
export function refuseTextData(file: string, text: string): void {
  const look = textLook(text.slice(0, HEAD_BYTES))
  if (look !== undefined) throw dataFileError(file, look)
}
