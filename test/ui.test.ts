/**
 * The browser UI over app.request(): each page answers HTML with what the issue lists (the data
 * card's statistics, missing-value mechanisms, edge cases, charts, bindings, privacy entry),
 * search and pagination, the read rules (read-only, --read-token-required), HTML errors, and that
 * neither the API nor the fast path is changed by it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Registry } from '../registry/service.ts'
import type { Manifest } from '../src/api/manifest.ts'
import { createApp } from '../src/server/app.ts'
import { createRepresentationCache } from '../src/server/cache.ts'
import { fastDataResponse } from '../src/server/fast-path.ts'
import { tempDir } from './helpers.ts'
import { uiRegistry } from './ui/fixture.ts'

let registry: Registry
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  registry = await uiRegistry(tempDir())
  app = createApp(registry)
})
afterAll(() => registry.close())

async function page(path: string, init?: RequestInit) {
  const res = await app.request(path, init)
  return { res, text: await res.text() }
}

describe('browser UI pages', () => {
  it('lists datasets with latest version, aliases, rows and size, and searches by name', async () => {
    const { res, text } = await page('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(text).toContain('href="/datasets/churn/versions/2"')
    expect(text).toContain('<span class="tag">stable</span>')
    expect(text).toMatch(/<td class="num">150<\/td>/)
    const manifest = (await registry.manifest('churn@2')) as Manifest
    const kib = `${(manifest.files[0]!.bytes / 1024).toFixed(1)} KiB`
    expect(text).toContain(kib)
    const search = await page('/?q=pri')
    expect(search.text).toContain('href="/datasets/prices"')
    expect(search.text).not.toContain('href="/datasets/churn"')
  })

  it('shows a dataset: versions with aliases, alias history, diff links', async () => {
    const { text } = await page('/datasets/churn')
    expect(text).toContain('churn@1')
    expect(text).toContain('href="/datasets/churn/diff?a=1&amp;b=2"')
    // The history records both moves of "stable": created at 1, then moved 1 → 2.
    expect(text).toMatch(/<td><span class="tag">stable<\/span><\/td><td>1<\/td>/)
    expect(text).toMatch(/<td><span class="tag">stable<\/span><\/td><td>\(new\)<\/td>/)
  })

  it("renders a version's data card from its manifest", async () => {
    const { res, text } = await page('/datasets/churn/versions/2')
    expect(res.status).toBe(200)
    const manifest = (await registry.manifest('churn@2')) as Manifest
    // One chart per column at least, and every column's missing count as the manifest has it.
    for (const [name, col] of Object.entries(manifest.columns)) {
      expect(text).toContain(`<code>${name}</code>`)
      expect(text).toContain(`${col.nullCount} null, ${col.missingCount} missing`)
      for (const [kind, rows] of Object.entries(col.edgeCases))
        expect(text).toContain(`<span class="tag">${kind}: ${rows.length}</span>`)
    }
    expect((text.match(/<svg class="chart"/g) ?? []).length).toBeGreaterThanOrEqual(
      Object.keys(manifest.columns).length,
    )
    expect(text).toContain('MAR (depends on plan, rate 0.1)')
    expect(text).toContain('MNAR (depends on the column&#39;s own value, rate 0.2)')
    expect(text).toContain('MCAR (missing completely at random, rate 0.05)')
    expect(text).toContain(`Seed</th><td>${manifest.seed}</td>`)
    expect(text).toContain('href="/models/churn-model/versions/1.0.0"')
    expect(text).toContain('Release <code>release-1</code> from customers.csv')
    expect(text).toContain('href="/v1/datasets/churn/versions/2/croissant"')
    for (const f of ['arrow', 'csv', 'jsonl', 'json'])
      expect(text).toContain(`href="/v1/datasets/churn/versions/2/data?format=${f}"`)
    expect(text).toContain('The first 10 of 150 rows')
  })

  it('cards an imported file (no recipe) with top values from its inspection', async () => {
    const { text } = await page('/datasets/prices/versions/1')
    expect(text).toContain('Imported from the file <code>prices.csv</code>')
    expect(text).toContain('cheap (2)')
  })

  it('redirects movable refs to the numbered page', async () => {
    const res = await app.request('/datasets/churn/versions/stable')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/datasets/churn/versions/2')
  })

  it('diffs two versions and shows a model version', async () => {
    const diff = await page('/datasets/churn/diff?a=1&b=2')
    expect(diff.res.status).toBe(200)
    const d = await registry.diff('churn@1', 'churn@2')
    expect(diff.text).toContain(`has ${d.rows.a} rows`)
    for (const column of Object.keys(d.stats)) expect(diff.text).toContain(`<td><code>${column}</code></td>`)
    const model = await page('/models/churn-model/versions/1.0.0')
    expect(model.text).toContain('href="/datasets/churn/versions/2"')
    expect(model.text).toContain(
      '<span class="tag">p: {&quot;kind&quot;:&quot;atol&quot;,&quot;value&quot;:0.01}</span>',
    )
    expect(model.text).toMatch(/Contract runs/)
  })

  it("shows a model version's recorded contract runs", async () => {
    const run = {
      id: 1,
      model: 'churn-model',
      version: '1.0.0',
      goldgen: '0.1.0',
      figures: null,
      report: null,
      at: '2026-12-01T08:00:00Z',
      endpoint: 'http://127.0.0.1:9/v2',
      protocol: 'oip',
      passed: false,
      datasets: ['churn@2'],
      stages: [
        { stage: 'health', status: 'passed', reason: '' },
        { stage: 'replay', fixture: 'churn@2', status: 'failed', reason: '3 rows differ' },
      ],
    }
    const recording = { ...registry, runs: async (ref: string) => (ref === 'churn-model@1.0.0' ? [run] : []) }
    const withRuns = createApp(recording)
    const text = await (await withRuns.request('/models/churn-model/versions/1.0.0')).text()
    expect(text).toContain('<code>http://127.0.0.1:9/v2</code> (oip)')
    expect(text).toContain('<strong class="bad">failed</strong>')
    expect(text).toContain('<span class="tag">replay churn@2: failed</span>')
    const without = await page('/models/churn-model/versions/1.0.0')
    expect(without.text).toContain('No contract run is recorded for this model version.')
  })

  it('answers bad input and unknown things with an HTML page and the right status', async () => {
    const missing = await page('/datasets/nope')
    expect(missing.res.status).toBe(404)
    expect(missing.text).toContain('no dataset named &quot;nope&quot;')
    const bad = await page('/datasets/churn/diff?a=x&b=2')
    expect(bad.res.status).toBe(400)
    expect(bad.text).toContain('the diff needs ?a= with a version number')
    expect((await page('/models/m/versions/9')).res.status).toBe(404)
  })

  it('is read-only and leaves the API and /openapi.json as they are', async () => {
    const post = await app.request('/datasets/churn', { method: 'POST' })
    expect(post.status).toBe(405)
    const api = await app.request('/v1/datasets')
    expect(api.headers.get('content-type')).toMatch(/json/)
    const spec = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> }
    expect(Object.keys(spec.paths).some((p) => !p.startsWith('/v1') && !['/healthz'].includes(p))).toBe(false)
  })

  it('needs a valid token for every page when reads need one', async () => {
    const closed = createApp(registry, { readTokenRequired: true })
    for (const path of [
      '/',
      '/datasets/churn',
      '/datasets/churn/versions/1',
      '/models/churn-model/versions/1.0.0',
    ]) {
      const res = await closed.request(path)
      expect(res.status, path).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('Bearer')
    }
    const { token } = await registry.createToken('read', 'ui-reader')
    const ok = await closed.request('/', { headers: { authorization: `Bearer ${token}` } })
    expect(ok.status).toBe(200)
    const wrong = await app.request('/', { headers: { authorization: 'Bearer gg_wrong' } })
    expect(wrong.status).toBe(401)
  })

  it('is never answered by the fast path', () => {
    const cache = createRepresentationCache(registry)
    for (const url of [
      '/',
      '/datasets/churn',
      '/datasets/churn/versions/1',
      '/datasets/churn/versions/1/data',
    ])
      expect(fastDataResponse(cache, {}, 'GET', url, {})).toBeUndefined()
  })
})

describe('pagination', () => {
  it("pages a dataset's versions, 50 per page, newest first", async () => {
    const dir = tempDir()
    const { openRegistry } = await import('../registry/service.ts')
    const { writeFileSync } = await import('node:fs')
    const many = await openRegistry({ dir: `${dir}/reg` })
    try {
      for (let i = 0; i < 55; i++) {
        writeFileSync(`${dir}/v.csv`, `n\n${i}\n`)
        await many.publishFile(`${dir}/v.csv`, { dataset: 'many' })
      }
      const m = createApp(many)
      const first = await (await m.request('/datasets/many')).text()
      expect(first).toContain('Page 1 of 2')
      expect(first).toContain('>many@55<')
      expect(first).toContain('>many@6<')
      expect(first).not.toContain('>many@5<')
      expect(first).toContain('href="/datasets/many?page=2"')
      const last = await (await m.request('/datasets/many?page=2')).text()
      expect(last).toContain('>many@1<')
      expect(last).toContain('>many@5<')
      expect(last).not.toContain('>many@6<')
      expect(last).toContain('href="/datasets/many?page=1"')
    } finally {
      many.close()
    }
  })
})
