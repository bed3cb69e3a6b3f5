/**
 * Value rendering shared by the text formats (CSV, JSONL), following SCHEMA.md:
 * NaN and ±Infinity as NaN / Infinity / -Infinity (JSON strings in JSONL), -0 kept as -0,
 * dates as YYYY-MM-DD, datetimes as ISO 8601 UTC with milliseconds.
 */
import type { ColumnBlock } from './blocks.ts'

export type Cell = (block: ColumnBlock, row: number) => string

const DAY = 86_400_000

export function formatFloat(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return 'Infinity'
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity'
  if (Number.isNaN(v)) return 'NaN'
  if (v === 0 && 1 / v < 0) return '-0'
  return String(v)
}

export function formatDate(days: number): string {
  return new Date(days * DAY).toISOString().slice(0, 10)
}

export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString()
}

/** Renders a non-null value; `quote` turns text into the format's string literal. */
export function cellRenderer(
  kind: ColumnBlock['kind'],
  dictionary: readonly string[] | undefined,
  quote: (s: string) => string,
  special: (s: 'NaN' | 'Infinity' | '-Infinity') => string,
): Cell {
  switch (kind) {
    case 'int32':
    case 'int64':
      return (b, i) => String(b.values[i])
    case 'float64':
      return (b, i) => {
        const v = b.values[i] as number
        const s = formatFloat(v)
        return s === 'NaN' || s === 'Infinity' || s === '-Infinity' ? special(s) : s
      }
    case 'bool':
      return (b, i) => (b.values[i] === 1 ? 'true' : 'false')
    case 'date32': {
      const cache = new Map<number, string>()
      return (b, i) => {
        const d = b.values[i] as number
        let s = cache.get(d)
        if (s === undefined) {
          s = quote(formatDate(d))
          if (cache.size < 100_000) cache.set(d, s)
        }
        return s
      }
    }
    case 'timestamp':
      return (b, i) => quote(formatTimestamp(b.values[i] as number))
    case 'dict': {
      const rendered = (dictionary ?? []).map(quote)
      return (b, i) => rendered[b.values[i] as number]!
    }
    case 'utf8':
      return (b, i) => quote(b.values[i] as string)
    case 'json':
      // Records: strings as text, other scalars as they are, objects and arrays as JSON text.
      return (b, i) => {
        const v = b.values[i]
        return typeof v === 'string' ? quote(v) : typeof v === 'object' ? quote(JSON.stringify(v)) : String(v)
      }
  }
}

/** Records (`json` columns): one JSON object per row, leaving out the properties a record does not have. */
export function renderRecords(blocks: ColumnBlock[], names: readonly string[], newline: string): string {
  const n = blocks[0]?.values.length ?? 0
  if (n === 0) return ''
  const keys = names.map((name) => JSON.stringify(name))
  const lines: string[] = new Array(n)
  for (let r = 0; r < n; r++) {
    let line = ''
    for (let c = 0; c < blocks.length; c++) {
      const v = blocks[c]!.values[r]
      if (v === undefined) continue
      line += `${line === '' ? '{' : ','}${keys[c]}:${JSON.stringify(v)}`
    }
    lines[r] = line === '' ? '{}' : `${line}}`
  }
  return lines.join(newline) + newline
}

export interface LineShape {
  /** Text before each column's cell (e.g. `,` or `"name":`). */
  prefixes: string[]
  /** A null cell. */
  nullText: string
  /** Text after the last cell. */
  suffix: string
  newline: string
}

/**
 * Renders rows [from, to) of a chunk (default: all of it) as text lines (each ending in
 * `newline`); '' when there are none.
 */
export function renderLines(
  blocks: ColumnBlock[],
  cells: Cell[],
  shape: LineShape,
  from = 0,
  to = blocks[0]?.values.length ?? 0,
): string {
  const n = to - from
  if (n <= 0) return ''
  const lines: string[] = new Array(n)
  for (let r = from; r < to; r++) {
    let line = ''
    for (let c = 0; c < blocks.length; c++) {
      const b = blocks[c]!
      line += shape.prefixes[c]
      line += b.validity === undefined || b.validity[r] === 1 ? cells[c]!(b, r) : shape.nullText
    }
    lines[r - from] = line + shape.suffix
  }
  return lines.join(shape.newline) + shape.newline
}

/** Rows rendered and emitted at a time by `emitLines`. */
export const LINES_PER_SLICE = 4096

/**
 * Emits a chunk's lines a slice at a time: the same text as one `renderLines`, but each
 * slice's strings die young, so a 65,536-row chunk never holds tens of MiB of cell strings
 * long enough to reach V8's old generation (which grows the heap at 100M rows).
 */
export function emitLines(
  blocks: ColumnBlock[],
  cells: Cell[],
  shape: LineShape,
  emit: (text: string) => void,
): void {
  const n = blocks[0]?.values.length ?? 0
  for (let from = 0; from < n; from += LINES_PER_SLICE)
    emit(renderLines(blocks, cells, shape, from, Math.min(n, from + LINES_PER_SLICE)))
}
