/**
 * The browser page of a multi-table version: its tables (rows, digest, downloads in each format
 * from the API's table routes) and the referential-integrity report of its refs. A data card
 * describes one table of rows, so a multi-table version gets this page instead.
 */
import { html } from 'hono/html'
import type { Registry } from '../../../registry/service.ts'
import type { Html } from './layout.ts'

const DOWNLOADS = ['arrow', 'csv', 'jsonl', 'parquet'] as const

interface RefReport {
  table: string
  column: string
  references: string
  rows: number
  nulls: number
  dangling: number
  orphans: number
}

export async function tablesPage(
  registry: Registry,
  base: string,
  ref: string,
): Promise<{ title: string; body: Html }> {
  const { version: v, tables, integrity } = await registry.tables(ref)
  const title = `${v.dataset}@${v.version}`
  const api = `${base}/v1/datasets/${v.dataset}/versions/${v.version}`
  const refs = (integrity as { ok: boolean; refs: RefReport[] }).refs
  const body = html`<h1>${title}</h1>
<p>A multi-table version: ${tables.length} tables, ${v.rows} rows in all, published ${v.createdAt}${v.createdBy === null ? '' : ` by ${v.createdBy}`}. Its tables are listed at <a href="${api}/tables">${api}/tables</a>.</p>
<h2 id="tables">Tables</h2>
<table>
<caption class="muted">Tables of ${title}</caption>
<thead><tr><th scope="col">Table</th><th scope="col">Rows</th><th scope="col">SHA-256</th><th scope="col">Download</th></tr></thead>
<tbody>
${tables.map(
  (
    t,
  ) => html`<tr><td>${t.name}</td><td class="num">${t.rows}</td><td><code>${t.sha256.slice(0, 16)}…</code></td>
<td>${DOWNLOADS.map((f) => html`<a href="${api}/tables/${encodeURIComponent(t.name)}/data?format=${f}">${f}</a> `)}</td></tr>`,
)}
</tbody></table>
<h2 id="integrity">Referential integrity</h2>
${
  refs.length === 0
    ? html`<p>No refs between the tables.</p>`
    : html`<table>
<caption class="muted">Each ref column, measured on the rows written</caption>
<thead><tr><th scope="col">Ref</th><th scope="col">References</th><th scope="col">Rows</th><th scope="col">Nulls</th><th scope="col">Dangling (on purpose)</th><th scope="col">Orphans</th></tr></thead>
<tbody>${refs.map(
        (r) =>
          html`<tr><td>${r.table}.${r.column}</td><td>${r.references}</td><td class="num">${r.rows}</td><td class="num">${r.nulls}</td><td class="num">${r.dangling}</td><td class="num">${r.orphans}</td></tr>`,
      )}</tbody></table>`
}`
  return { title, body }
}
