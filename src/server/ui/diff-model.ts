/**
 * Two more UI pages: the diff of two versions of a dataset (row counts, schema changes, changed
 * column statistics, rows by key) and a model version (its metadata, fixtures with tolerances and
 * links, and its recorded contract runs).
 */
import { html } from 'hono/html'
import type { Registry } from '../../../registry/service.ts'
import type { ContractRunRecord } from '../../../registry/stores.ts'
import { GoldgenError } from '../../core/errors.ts'
import { type Html, num, ui } from './layout.ts'

const show = (v: unknown) =>
  v === undefined ? '—' : typeof v === 'number' || typeof v === 'string' ? num(v) : JSON.stringify(v)

export async function diffPage(
  registry: Registry,
  base: string,
  name: string,
  query: { a?: string | undefined; b?: string | undefined },
): Promise<{ title: string; body: Html }> {
  for (const [k, v] of Object.entries({ a: query.a, b: query.b }))
    if (v === undefined || !/^[1-9][0-9]*$/.test(v))
      throw new GoldgenError('USAGE', `the diff needs ?${k}= with a version number of ${name}`)
  const [a, b] = [Number(query.a), Number(query.b)]
  const d = await registry.diff(`${name}@${a}`, `${name}@${b}`)
  const stats = Object.entries(d.stats)
  const body = html`<p><a href="${ui.dataset(base, name)}">${name}</a> / diff</p>
<h1>${name}: version ${a} → ${b}</h1>
<p><a href="${ui.version(base, name, a)}">${d.a}</a> has ${d.rows.a} rows; <a href="${ui.version(base, name, b)}">${d.b}</a> has ${d.rows.b}.</p>
<h2 id="schema">Schema changes</h2>
${
  d.schema === null
    ? html`<p>Neither version lists its columns: there is no schema to compare.</p>`
    : d.schema.added.length + d.schema.removed.length + d.schema.changed.length === 0
      ? html`<p>The column definitions are the same.</p>`
      : html`<ul>
${d.schema.added.map((c) => html`<li>added <code>${c}</code></li>`)}
${d.schema.removed.map((c) => html`<li>removed <code>${c}</code></li>`)}
${d.schema.changed.map((c) => html`<li>changed <code>${c}</code></li>`)}
</ul>`
}
<h2 id="stats">Column statistics</h2>
${
  stats.length === 0
    ? html`<p>No statistic changed.</p>`
    : html`<table>
<caption class="muted">Statistics that differ between the versions</caption>
<thead><tr><th scope="col">Column</th><th scope="col">Statistic</th><th scope="col">Version ${a}</th><th scope="col">Version ${b}</th></tr></thead>
<tbody>${stats.flatMap(([column, changes]) =>
        Object.entries(changes).map(
          ([key, ch]) =>
            html`<tr><td><code>${column}</code></td><td>${key}</td><td>${show(ch.a)}</td><td>${show(ch.b)}</td></tr>`,
        ),
      )}</tbody></table>`
}
<h2 id="rows">Rows</h2>
${
  d.byKey === undefined
    ? html`<p>The versions have no key column; rows are not matched.</p>`
    : html`<p>By <code>${d.byKey.key}</code>: ${d.byKey.added} added, ${d.byKey.removed} removed, ${d.byKey.changed} changed.</p>
${d.byKey.examples.length > 0 ? html`<ul>${d.byKey.examples.map((e) => html`<li>${e.change} <code>${JSON.stringify(e.key)}</code></li>`)}</ul>` : ''}`
}`
  return { title: `${name} ${a} → ${b}`, body }
}

type Stage = { stage: string; status: string; fixture?: string }

function runsSection(runs: ContractRunRecord[]): Html {
  if (runs.length === 0) return html`<p>No contract run is recorded for this model version.</p>`
  return html`<table>
<caption class="muted">Contract runs, newest first</caption>
<thead><tr><th scope="col">When</th><th scope="col">Endpoint</th><th scope="col">Datasets</th><th scope="col">Result</th><th scope="col">Stages</th></tr></thead>
<tbody>${[...runs].reverse().map(
    (r) => html`<tr><td>${r.at}</td><td><code>${r.endpoint}</code> (${r.protocol})</td>
<td>${r.datasets.join(', ')}</td>
<td><strong class="${r.passed ? 'ok' : 'bad'}">${r.passed ? 'passed' : 'failed'}</strong></td>
<td>${(Array.isArray(r.stages) ? (r.stages as Stage[]) : []).map((s) => html`<span class="tag">${s.stage}${s.fixture !== undefined ? ` ${s.fixture}` : ''}: ${s.status}</span>`)}</td></tr>`,
  )}</tbody></table>`
}

export async function modelPage(
  registry: Registry,
  base: string,
  model: string,
  version: string,
): Promise<{ title: string; body: Html }> {
  const ref = `${model}@${version}`
  const mv = await registry.modelVersion(ref)
  const [fixtures, runs] = await Promise.all([registry.fixtures(ref), registry.runs(ref)])
  const metadata = Object.entries(mv.metadata)
  const body = html`<p>model / ${model}</p>
<h1>${ref}</h1>
<p class="muted">Registered ${mv.createdAt}.</p>
${
  metadata.length > 0
    ? html`<table><caption class="muted">Metadata</caption><tbody>${metadata.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table>`
    : ''
}
<h2 id="fixtures">Fixtures</h2>
${
  fixtures.length === 0
    ? html`<p>No expected outputs are attached yet (<code>goldgen expect</code> attaches them).</p>`
    : html`<table>
<caption class="muted">Dataset versions ${ref} is tested with</caption>
<thead><tr><th scope="col">Dataset version</th><th scope="col">Expected outputs</th><th scope="col">Tolerances</th><th scope="col">Attached</th></tr></thead>
<tbody>${fixtures.map(
        (
          e,
        ) => html`<tr><td><a href="${ui.version(base, e.dataset.dataset, e.dataset.version)}">${e.dataset.dataset}@${e.dataset.version}</a></td>
<td><a href="${base}/v1/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}/fixtures/${encodeURIComponent(e.dataset.dataset)}/${e.dataset.version}/expected">${e.rows} rows (${e.format})</a></td>
<td>${Object.keys(e.tolerances).length === 0 ? 'exact' : Object.entries(e.tolerances).map(([k, t]) => html`<span class="tag">${k}: ${JSON.stringify(t)}</span>`)}</td>
<td>${e.createdAt}</td></tr>`,
      )}</tbody></table>`
}
<h2 id="runs">Contract runs</h2>
${runsSection(runs)}`
  return { title: ref, body }
}
