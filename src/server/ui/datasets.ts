/**
 * The UI's dataset pages: the searchable list of datasets (latest version, aliases, rows, size;
 * a GET form, so it works without JavaScript) and one dataset's versions with their aliases, the
 * alias history and a form to diff two versions. Both are paginated.
 */
import { html } from 'hono/html'
import type { Registry } from '../../../registry/service.ts'
import type { Manifest } from '../../api/manifest.ts'
import { bytes, type Html, pageOf, pager, ui } from './layout.ts'

export const PAGE_SIZE = 50

/** The size of a version's stored data file, from its manifest. */
async function storedBytes(registry: Registry, ref: string): Promise<number | undefined> {
  const m = (await registry.manifest(ref)) as Manifest
  return m.files?.[0]?.bytes
}

export async function datasetsPage(
  registry: Registry,
  base: string,
  query: { q?: string | undefined; page?: string | undefined },
): Promise<{ title: string; body: Html }> {
  const q = (query.q ?? '').trim()
  const all = (await registry.list()).filter((d) => q === '' || d.name.includes(q.toLowerCase()))
  const pages = Math.ceil(all.length / PAGE_SIZE)
  const n = pageOf(query.page, pages)
  const shown = all.slice((n - 1) * PAGE_SIZE, n * PAGE_SIZE)
  const rows = await Promise.all(
    shown.map(async (d) => {
      if (d.latest === null) return { ...d, aliases: [] as string[], rows: undefined, size: undefined }
      const ref = `${d.name}@${d.latest}`
      const [latest, aliases, size] = await Promise.all([
        registry.resolve(ref),
        registry.aliases(d.name),
        storedBytes(registry, ref),
      ])
      return { ...d, aliases: Object.keys(aliases).sort(), rows: latest.rows, size }
    }),
  )
  const body = html`<h1>Datasets</h1>
<form class="inline" method="get" action="${base}/" role="search">
<label for="q">Search datasets by name<input id="q" name="q" type="search" value="${q}"></label>
<button type="submit">Search</button>
</form>
<p class="muted">${all.length} dataset${all.length === 1 ? '' : 's'}${q === '' ? '' : html` matching <code>${q}</code>`}.</p>
${
  rows.length === 0
    ? html`<p>No datasets${q === '' ? ' yet: publish one with <code>goldgen publish</code>' : ' match'}.</p>`
    : html`<table>
<caption class="muted">Datasets, their latest version and aliases</caption>
<thead><tr><th scope="col">Dataset</th><th scope="col">Latest version</th><th scope="col">Versions</th><th scope="col">Aliases</th><th scope="col">Rows</th><th scope="col">Size</th></tr></thead>
<tbody>
${rows.map(
  (d) => html`<tr><td><a href="${ui.dataset(base, d.name)}">${d.name}</a></td>
<td>${d.latest === null ? '—' : html`<a href="${ui.version(base, d.name, d.latest)}">${d.name}@${d.latest}</a>`}</td>
<td class="num">${d.versions}</td>
<td>${d.aliases.map((a) => html`<span class="tag">${a}</span>`)}</td>
<td class="num">${d.rows ?? '—'}</td><td class="num">${bytes(d.size)}</td></tr>`,
)}
</tbody></table>`
}
${pager(`${base}/`, n, pages, { q })}`
  return { title: 'Datasets', body }
}

export async function datasetPage(
  registry: Registry,
  base: string,
  name: string,
  query: { page?: string | undefined },
): Promise<{ title: string; body: Html }> {
  const [versions, aliases, history] = await Promise.all([
    registry.versions(name),
    registry.aliases(name),
    registry.history(name),
  ])
  if (versions.length === 0) await registry.resolve(name) // NOT_FOUND with the usual message
  const byVersion = new Map<number, string[]>()
  for (const [alias, v] of Object.entries(aliases)) byVersion.set(v, [...(byVersion.get(v) ?? []), alias])
  const newestFirst = [...versions].reverse()
  const pages = Math.ceil(newestFirst.length / PAGE_SIZE)
  const n = pageOf(query.page, pages)
  const shown = newestFirst.slice((n - 1) * PAGE_SIZE, n * PAGE_SIZE)
  const latest = newestFirst[0]!.version
  const moves = [...history].reverse().slice(0, PAGE_SIZE)
  const body = html`<h1>${name}</h1>
<p>${versions.length} version${versions.length === 1 ? '' : 's'}; latest <a href="${ui.version(base, name, latest)}">${name}@${latest}</a>.</p>
<h2 id="versions">Versions</h2>
<table>
<caption class="muted">Versions of ${name}, newest first</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Aliases</th><th scope="col">Rows</th><th scope="col">Format</th><th scope="col">Made from</th><th scope="col">Published</th><th scope="col">Changes</th></tr></thead>
<tbody>
${shown.map(
  (v) => html`<tr><td><a href="${ui.version(base, name, v.version)}">${name}@${v.version}</a></td>
<td>${(byVersion.get(v.version) ?? []).sort().map((a) => html`<span class="tag">${a}</span>`)}</td>
<td class="num">${v.rows}</td><td>${v.format}</td><td>${v.recipe === null ? 'imported file' : 'schema'}</td>
<td>${v.createdAt}${v.createdBy === null ? '' : ` by ${v.createdBy}`}</td>
<td>${v.version > 1 ? html`<a href="${ui.diff(base, name, v.version - 1, v.version)}">diff ${v.version - 1} → ${v.version}</a>` : '—'}</td></tr>`,
)}
</tbody></table>
${pager(ui.dataset(base, name), n, pages)}
<h2 id="diff">Compare two versions</h2>
<form class="inline" method="get" action="${ui.dataset(base, name)}/diff">
<label for="diff-a">From version<input id="diff-a" name="a" type="number" min="1" max="${latest}" value="${Math.max(latest - 1, 1)}" required></label>
<label for="diff-b">To version<input id="diff-b" name="b" type="number" min="1" max="${latest}" value="${latest}" required></label>
<button type="submit">Compare</button>
</form>
<h2 id="aliases">Alias history</h2>
${
  moves.length === 0
    ? html`<p>No aliases yet.</p>`
    : html`<table>
<caption class="muted">Alias moves, newest first${history.length > moves.length ? ` (the last ${moves.length} of ${history.length})` : ''}</caption>
<thead><tr><th scope="col">Alias</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Moved</th></tr></thead>
<tbody>${moves.map(
        (
          m,
        ) => html`<tr><td><span class="tag">${m.name}</span></td><td>${m.from === null ? '(new)' : m.from}</td>
<td><a href="${ui.version(base, name, m.to)}">${name}@${m.to}</a></td><td>${m.movedAt}${m.movedBy === null ? '' : ` by ${m.movedBy}`}</td></tr>`,
      )}</tbody></table>`
}`
  return { title: name, body }
}
