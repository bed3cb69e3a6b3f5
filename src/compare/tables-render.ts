/** The table-set comparison (tables.ts) as text for people: each table's fidelity, then its keys. */
import { renderFidelity } from './fidelity.ts'
import type { TableSetReport } from './tables.ts'

const pct = (x: number) => `${(x * 100).toFixed(2)}%`

export function renderTableSet(report: TableSetReport): string {
  const out: string[] = []
  for (const [name, t] of Object.entries(report.tables)) {
    out.push(`== table ${name} ==`, renderFidelity(t).trimEnd())
    if (t.key !== null) {
      const k = t.key
      out.push(
        `key ${k.column}: ${!k.present ? 'MISSING from the synthetic table' : k.unique ? 'unique' : `NOT unique (${k.duplicates} duplicates, ${k.nulls} missing)`}`,
      )
    }
    for (const r of t.refs) {
      out.push(
        `foreign key ${r.column} → ${r.references}${r.parent ? ' (parent)' : ''}: ${r.present ? `${r.rows} values, ${r.dangling} dangling${r.injected > 0 ? ` (${r.injected} injected)` : ''}, ${r.nulls} missing; rows per ${r.references}: TVD ${r.counts.tvd.toFixed(4)}, mean ${r.counts.meanReal.toFixed(2)} → ${r.counts.meanSynthetic.toFixed(2)}` : 'MISSING'}${r.ok ? '' : '  FAIL'}`,
      )
    }
    for (const l of t.lookups) {
      out.push(
        `lookup ${l.column} = ${l.from} via ${l.via}: ${l.present ? `${pct(l.agreement)} of ${l.rows} rows agree` : 'MISSING'}${l.ok ? '' : '  FAIL'}`,
      )
    }
    out.push('')
  }
  if (report.onlySynthetic.length > 0)
    out.push(`synthetic tables with no real file: ${report.onlySynthetic.join(', ')}`)
  out.push(
    report.integrity.ok
      ? `key integrity: ok (${Object.keys(report.tables).length} tables)`
      : `key integrity: ${report.integrity.problems.length} problems`,
  )
  for (const p of report.integrity.problems) out.push(`  ${p}`)
  return `${out.join('\n')}\n`
}
