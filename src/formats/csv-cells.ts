/**
 * CSV as text cells, for reading data goldgen did not write (inference): the delimiter detected
 * or given, cells kept as text (null where a null token stands), ragged rows refused with the
 * line. Typed rows of goldgen's own files come from read.ts.
 */
import { readFileSync } from 'node:fs'
import { GoldgenError } from '../core/errors.ts'

const DELIMITERS = [',', ';', '\t', '|'] as const

/** The CSV delimiter that splits the first lines into the same number (> 1) of fields. */
export function detectDelimiter(text: string): string {
  const lines = text
    .split(/\r?\n/, 21)
    .filter((l) => l !== '')
    .slice(0, 20)
  let best: string = ','
  let bestScore = 0
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => splitOutsideQuotes(l, d))
    const first = counts[0] ?? 0
    if (first === 0) continue
    const consistent = counts.filter((c) => c === first).length
    const score = consistent * 100 + first
    if (score > bestScore) {
      best = d
      bestScore = score
    }
  }
  return best
}

function splitOutsideQuotes(line: string, d: string): number {
  let n = 0
  let quoted = false
  for (const ch of line) {
    if (ch === '"') quoted = !quoted
    else if (ch === d && !quoted) n++
  }
  return n
}

/** Reads a CSV file as its header and rows of text cells (null = one of `nulls`). */
export async function readCsvCells(
  file: string,
  delimiter: string | undefined,
  nulls: ReadonlySet<string>,
): Promise<{ names: string[]; rows: (string | null)[][]; delimiter: string }> {
  const text = readFileSync(file, 'utf8')
  if (text.trim() === '')
    throw new GoldgenError('PARSE', 'the file is empty; expected a header row and data rows', { file })
  const used = delimiter ?? detectDelimiter(text)
  const { parse } = await import('csv-parse/sync')
  let records: string[][]
  try {
    records = parse(text, {
      delimiter: used,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as string[][]
  } catch (e) {
    const err = e as Error & { lines?: number; code?: string }
    const issue = {
      code: err.code ?? 'csv',
      path: [],
      message: err.message.replace(/^Invalid Record Length: /, 'ragged row: '),
      ...(err.lines !== undefined ? { line: err.lines } : {}),
    }
    throw new GoldgenError('PARSE', 'not valid CSV', { file, issues: [issue], cause: e })
  }
  const [header, ...body] = records
  if (header === undefined || body.length === 0) {
    throw new GoldgenError('PARSE', 'no data rows: expected a header row followed by rows', { file })
  }
  return { names: header, rows: body.map((r) => r.map((c) => (nulls.has(c) ? null : c))), delimiter: used }
}
