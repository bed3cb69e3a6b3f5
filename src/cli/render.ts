/** Text rendering of `inspect` results for people. */
import type { CellValue, Inspection } from '../api/inspect.ts'

const show = (v: CellValue | undefined): string =>
  v === undefined || v === null
    ? ''
    : typeof v === 'number'
      ? Number.isInteger(v)
        ? String(v)
        : Number(v.toPrecision(6)).toString()
      : String(v)

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.min(40, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))),
  )
  const cut = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => cut(c, widths[i]!))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

export function renderInspection(r: Inspection): string {
  const columns = table(
    ['column', 'type', 'nulls', 'min', 'max', 'mean', 'values'],
    r.columns.map((c) => [
      c.name,
      c.type,
      String(c.nullCount),
      show(c.min),
      show(c.max),
      c.mean === undefined ? '' : show(c.mean),
      c.top === undefined
        ? ''
        : c.top.map(([v, n]) => `${v}:${n}`).join(' ') + ((c.distinct ?? 0) > c.top.length ? ' …' : ''),
    ]),
  )
  const names = r.columns.map((c) => c.name)
  const head = table(
    names,
    r.head.map((row) => names.map((n) => show(row[n]))),
  )
  return `${r.file}: ${r.format}, ${r.rows.toLocaleString('en-US')} rows, ${r.columns.length} columns\n\n${columns}\n\nfirst ${r.head.length} rows:\n${head}\n`
}
