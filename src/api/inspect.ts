/**
 * `inspect`: reads a data file (Arrow stream or file, CSV, JSONL) and reports its columns' types,
 * row count, per-column statistics and the first rows. Streams; memory does not grow with rows.
 */
import { type CellValue, type DataRow, openRows } from '../formats/read.ts'

export type { CellValue } from '../formats/read.ts'

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

/** Reads a file and summarizes it. `headRows` first rows are returned as plain objects. */
export async function inspectFile(file: string, headRows = 5): Promise<Inspection> {
  const source = await openRows(file)
  const names: string[] = []
  const accs = new Map<string, Accumulator>()
  const samples = new Map<string, CellValue[]>()
  const head: DataRow[] = []
  let rows = 0
  for await (const row of source.rows) {
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
    rows++
  }
  // Arrow files carry their types; text formats get them from their values.
  const types = new Map(source.columns().map((c) => [c.name, c.type]))
  for (const c of source.columns()) {
    if (accs.has(c.name)) continue
    names.push(c.name)
    accs.set(c.name, columnAccumulator(c.name, ''))
    samples.set(c.name, [])
  }
  const columns = names.map((n) => ({
    ...accs.get(n)!.result(),
    type: types.get(n) || textType(samples.get(n)!),
  }))
  return { file, format: source.format, rows, columns, head }
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
