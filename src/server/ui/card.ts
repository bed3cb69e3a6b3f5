/**
 * The UI's data card of one dataset version: description, downloads, the recipe, each column's
 * statistics with a chart, coverage, the privacy ledger entry, the model versions bound to it and
 * the first rows. Rendered from the card model (src/server/card/model.ts) that `goldgen card` also uses.
 */
import { html } from 'hono/html'
import type { CardColumn, DataCard } from '../card/model.ts'
import { columnChart } from './chart.ts'
import { type Html, num, ui } from './layout.ts'

const cell = (v: unknown) =>
  v === null || v === undefined
    ? html`<span class="muted">null</span>`
    : typeof v === 'object'
      ? JSON.stringify(v)
      : String(v)

function columnBox(c: CardColumn, i: number): Html {
  const present = c.count - c.missingCount
  return html`<section class="col" aria-labelledby="col-${i}">
<h3 id="col-${i}"><code>${c.name}</code> <span class="muted">${c.type}${c.arrowType !== undefined ? ` (${c.arrowType})` : ''}</span></h3>
${c.description !== undefined ? html`<p>${c.description}</p>` : ''}
<table><tbody>
<tr><th scope="row">Values</th><td class="num">${present} present of ${c.count}</td></tr>
<tr><th scope="row">Nulls / missing</th><td>${c.nullCount} null, ${c.missingCount} missing${c.missingAs !== undefined ? html` (written as <code>${JSON.stringify(c.missingAs)}</code>)` : ''}${c.mechanism !== null ? html`<br><span class="muted">${c.mechanism}</span>` : ''}</td></tr>
${c.min !== undefined ? html`<tr><th scope="row">Min / max</th><td>${num(c.min)} … ${num(c.max)}</td></tr>` : ''}
${c.mean !== undefined ? html`<tr><th scope="row">Mean</th><td>${num(c.mean)}</td></tr>` : ''}
${c.nanCount !== undefined ? html`<tr><th scope="row">NaN</th><td>${c.nanCount}</td></tr>` : ''}
${c.minLength !== undefined ? html`<tr><th scope="row">Length</th><td>${c.minLength} … ${c.maxLength}</td></tr>` : ''}
${
  c.top.length > 0
    ? html`<tr><th scope="row">Top values</th><td>${c.top
        .slice(0, 5)
        .map((t) => `${t.value} (${t.count})`)
        .join(', ')}</td></tr>`
    : ''
}
<tr><th scope="row">Edge cases</th><td>${c.edgeCases.length === 0 ? 'none' : c.edgeCases.map((e) => html`<span class="tag">${e.kind}: ${e.count}</span>`)}</td></tr>
</tbody></table>
${columnChart(c)}
</section>`
}

function recipeSection(card: DataCard, schemaYaml: string | undefined): Html {
  if (card.recipe === null)
    return html`<p>Imported from the file <code>${card.imported ?? 'unknown'}</code>; it has no recipe to make it again.</p>`
  const r = card.recipe
  return html`<table><tbody>
<tr><th scope="row">Seed</th><td>${r.seed}</td></tr>
<tr><th scope="row">Rows</th><td>${r.rows}</td></tr>
<tr><th scope="row">goldgen</th><td>${r.goldgen}${r.algorithm !== undefined ? ` (algorithm ${r.algorithm})` : ''}</td></tr>
<tr><th scope="row">Value libraries</th><td>${Object.entries(r.libraries).map(([k, v]) => html`<span class="tag">${k} ${v}</span>`)}</td></tr>
${r.schemaSha256 !== undefined ? html`<tr><th scope="row">Schema digest</th><td><code>${r.schemaSha256}</code></td></tr>` : ''}
</tbody></table>
${schemaYaml !== undefined ? html`<h3>Schema</h3><pre tabindex="0" aria-label="The schema">${schemaYaml}</pre>` : ''}`
}

function coverageSection(card: DataCard): Html {
  const c = card.coverage
  if (c === null || c === undefined) return html`<p>The schema asks for no coverage.</p>`
  return html`${
    c.minPerCategory !== undefined
      ? html`<p>At least ${c.minPerCategory.required} rows per category: <strong class="${c.minPerCategory.met ? 'ok' : 'bad'}">${c.minPerCategory.met ? 'met' : 'not met'}</strong>
(${Object.entries(c.minPerCategory.columns)
          .map(([k, v]) => `${k}: smallest ${v.minCount}`)
          .join('; ')}).</p>`
      : ''
  }${c.pairwise.map(
    (p) =>
      html`<p>Pairwise over ${p.columns.join(', ')}: ${p.pairsCovered} of ${p.pairsTotal} pairs covered (${p.rowsPlaced} rows placed).</p>`,
  )}`
}

function bindingsSection(card: DataCard, base: string): Html {
  if (card.bindings.length === 0)
    return html`<p>No model version has expected outputs on this version yet (<code>goldgen expect</code> binds them).</p>`
  return html`<table>
<caption class="muted">Model versions tested with ${card.ref}</caption>
<thead><tr><th scope="col">Model version</th><th scope="col">Expected outputs</th><th scope="col">Tolerances</th></tr></thead>
<tbody>${card.bindings.map(
    (b) => html`<tr><td><a href="${ui.model(base, b.model, b.version)}">${b.model}@${b.version}</a></td>
<td><a href="${base}/v1/models/${encodeURIComponent(b.model)}/versions/${encodeURIComponent(b.version)}/fixtures/${encodeURIComponent(card.dataset)}/${card.version}/expected">${b.rows} rows (${b.format})</a></td>
<td>${Object.keys(b.tolerances).length === 0 ? 'exact' : Object.entries(b.tolerances).map(([k, t]) => html`<span class="tag">${k}: ${JSON.stringify(t)}</span>`)}</td></tr>`,
  )}</tbody></table>`
}

function headSection(card: DataCard): Html {
  if (card.head.length === 0) return html`<p>The version has no rows.</p>`
  const names = Object.keys(card.head[0]!)
  return html`<div role="region" aria-label="First rows" tabindex="0" style="overflow-x:auto"><table>
<caption class="muted">The first ${card.head.length} of ${card.rows} rows</caption>
<thead><tr>${names.map((n) => html`<th scope="col">${n}</th>`)}</tr></thead>
<tbody>${card.head.map((r) => html`<tr>${names.map((n) => html`<td>${cell(r[n])}</td>`)}</tr>`)}</tbody>
</table></div>`
}

export function cardPage(card: DataCard, base: string, schemaYaml?: string): { title: string; body: Html } {
  const api = ui.api(base, card.dataset, card.version)
  const body = html`<p><a href="${ui.dataset(base, card.dataset)}">${card.dataset}</a> / version ${card.version}</p>
<h1>${card.ref} ${card.aliases.map((a) => html`<span class="tag">${a}</span>`)}</h1>
<p>${card.description ?? html`<span class="muted">No description.</span>`}</p>
<p class="muted">${card.rows} rows · stored as ${card.format} · sha256 <code>${card.sha256}</code> · published ${card.createdAt}${card.createdBy === null ? '' : ` by ${card.createdBy}`}</p>
<h2 id="downloads">Downloads</h2>
<ul>${card.formats.map(
    (f) =>
      html`<li><a href="${api}/data?format=${f.format}">${f.format}</a> <span class="muted">${f.mediaType}${f.stored ? ', as stored' : ''}</span></li>`,
  )}
<li><a href="${api}/croissant">Croissant metadata (JSON-LD)</a></li>
<li><a href="${api}">Manifest (JSON)</a></li></ul>
<h2 id="recipe">Recipe</h2>
${recipeSection(card, schemaYaml)}
<h2 id="columns">Columns</h2>
<div class="cols">${card.columns.map((c, i) => columnBox(c, i))}</div>
<h2 id="coverage">Coverage</h2>
${coverageSection(card)}
<h2 id="privacy">Privacy</h2>
${
  card.privacy === null
    ? html`<p>No privacy ledger entry: this version was not released from private data.</p>`
    : html`<p>Release <code>${card.privacy.releaseId}</code> from ${card.privacy.source}: ${card.privacy.mechanism}, ε = ${num(card.privacy.epsilon)}, δ = ${card.privacy.delta}${card.privacy.rho !== null ? `, ρ = ${num(card.privacy.rho)}` : ''}; ${card.privacy.guarantee ? 'with a differential-privacy guarantee' : html`<strong class="bad">no guarantee</strong> (seeded noise)`}. Recorded ${card.privacy.at}.</p>`
}
<h2 id="models">Models and expected outputs</h2>
${bindingsSection(card, base)}
<h2 id="rows">First rows</h2>
${headSection(card)}`
  return { title: card.ref, body }
}
