/** The HTTP read API through app.request(): every route, status and header the API promises. */
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tableFromIPC } from 'apache-arrow'
import { beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { createApp } from '../src/server/app.ts'
import { createRepresentationCache } from '../src/server/cache.ts'
import { fastDataResponse } from '../src/server/fast-path.ts'
import { negotiate } from '../src/server/http.ts'
import { schema, tempDir } from './helpers.ts'

let registry: Registry
let app: ReturnType<typeof createApp>
const dir = tempDir()
const data = '/v1/datasets/d/versions/1/data'

beforeAll(async () => {
  registry = await openRegistry({ dir: join(dir, 'reg') })
  const s = schema({
    goldgen: 1,
    columns: {
      id: { type: 'id' },
      x: { type: 'float', min: 0, max: 1 },
      c: { type: 'category', values: ['a', 'b'] },
    },
  })
  await registry.publishSchema(s, { dataset: 'd', rows: 300 })
  await registry.publishSchema(s, { dataset: 'd', rows: 301 })
  await registry.alias('d@1', 'prod')
  await registry.addModel('m@1.0.0')
  const outputs = join(dir, 'expected.csv')
  writeFileSync(outputs, `p\r\n${Array.from({ length: 300 }, (_, i) => i / 300).join('\r\n')}\r\n`)
  await registry.expect('m@1.0.0', 'd@1', outputs, { p: { kind: 'atol', value: 0.001 } })
  app = createApp(registry)
  return () => registry.close()
})

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  app.request(path, { method, headers })
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below
type Json = any
const sha256 = (b: ArrayBuffer) => createHash('sha256').update(Buffer.from(b)).digest('hex')

describe('listing and manifests', () => {
  it('GET /healthz', async () => {
    const r = await get('/healthz')
    expect(r.status).toBe(200)
    expect(await r.json()).toMatchObject({ status: 'ok' })
  })
  it('GET /v1/datasets, /v1/datasets/{name}, /v1/datasets/{name}/versions', async () => {
    expect(await (await get('/v1/datasets')).json()).toEqual([
      { name: 'd', versions: 2, latest: 2, links: { self: '/v1/datasets/d' } },
    ])
    const one: Json = await (await get('/v1/datasets/d')).json()
    expect(one).toMatchObject({ name: 'd', aliases: { prod: 1 } })
    expect(one.versions.map((v: { version: number }) => v.version)).toEqual([1, 2])
    const versions: Json = await (await get('/v1/datasets/d/versions')).json()
    expect(versions[1]).toMatchObject({
      dataset: 'd',
      version: 2,
      rows: 301,
      links: { self: '/v1/datasets/d/versions/2', data: '/v1/datasets/d/versions/2/data' },
    })
  })
  it('GET /v1/datasets/{name}/versions/{ref}: the manifest, immutable for numbered refs; movable refs redirect', async () => {
    const r = await get('/v1/datasets/d/versions/1')
    expect(r.status).toBe(200)
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(((await r.json()) as Json).manifest).toMatchObject({ rows: 300 })
    for (const ref of ['prod', 'latest', `sha256:${(await registry.resolve('d@1')).sha256.slice(0, 8)}`]) {
      const moved = await get(`/v1/datasets/d/versions/${ref}?format=csv`)
      expect(moved.status, ref).toBe(307)
      expect(moved.headers.get('cache-control')).toBe('no-cache')
    }
    expect((await get('/v1/datasets/d/versions/prod')).headers.get('location')).toBe(
      '/v1/datasets/d/versions/1',
    )
    expect((await get('/v1/datasets/d/versions/prod/data?format=csv')).headers.get('location')).toBe(
      '/v1/datasets/d/versions/1/data?format=csv',
    )
  })
})

describe('data', () => {
  it('negotiates the format from ?format= or Accept, with the matching media type', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{}, '', 'application/vnd.apache.arrow.stream'],
      [{ accept: 'application/vnd.apache.arrow.file' }, '', 'application/vnd.apache.arrow.file'],
      [{ accept: 'text/csv' }, '', 'text/csv; charset=utf-8'],
      [{ accept: 'application/jsonl' }, '', 'application/x-ndjson'],
      [{ accept: 'application/json;q=0.5, application/x-ndjson;q=0.9' }, '', 'application/x-ndjson'],
      [{ accept: 'application/json' }, '', 'application/json'],
      [{ accept: 'text/csv' }, '?format=jsonl', 'application/x-ndjson'],
    ]
    for (const [headers, query, type] of cases) {
      const r = await get(`${data}${query}`, headers)
      expect(r.status, JSON.stringify(headers)).toBe(200)
      expect(r.headers.get('content-type')).toBe(type)
    }
    const arrow = tableFromIPC(new Uint8Array(await (await get(data)).arrayBuffer()))
    expect(arrow.numRows).toBe(300)
    const json: Json = await (await get(`${data}?format=json`)).json()
    expect(json).toHaveLength(300)
    expect(json[0]).toMatchObject({ id: 1 })
    expect((await get(data, { accept: 'image/png' })).status).toBe(406)
    expect((await get(`${data}?format=xml`)).status).toBe(400)
  })

  it('has a strong ETag (the content digest), a digest header, and answers If-None-Match with 304', async () => {
    const r = await get(`${data}?format=csv`)
    const body = await r.arrayBuffer()
    const etag = r.headers.get('etag')!
    expect(etag).toBe(`"${sha256(body)}"`)
    expect(r.headers.get('content-digest')).toBe(
      `sha-256=:${Buffer.from(sha256(body), 'hex').toString('base64')}:`,
    )
    expect(r.headers.get('content-length')).toBe(String(body.byteLength))
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const again = await get(`${data}?format=csv`, { 'if-none-match': etag })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect((await get(`${data}?format=csv`, { 'if-none-match': '"other"' })).status).toBe(200)
    // The stored format's ETag is the version's own digest.
    expect((await get(data)).headers.get('etag')).toBe(`"${(await registry.resolve('d@1')).sha256}"`)
  })

  it('serves byte ranges with 206 and Content-Range, and 416 when unsatisfiable', async () => {
    const whole = Buffer.from(await (await get(`${data}?format=csv`)).arrayBuffer())
    const r = await get(`${data}?format=csv`, { range: 'bytes=10-19' })
    expect(r.status).toBe(206)
    expect(r.headers.get('content-range')).toBe(`bytes 10-19/${whole.length}`)
    expect(Buffer.from(await r.arrayBuffer())).toEqual(whole.subarray(10, 20))
    const tail = await get(`${data}?format=csv`, { range: 'bytes=-5' })
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(whole.subarray(whole.length - 5))
    const open = await get(`${data}?format=csv`, { range: `bytes=${whole.length - 3}-` })
    expect(Buffer.from(await open.arrayBuffer())).toEqual(whole.subarray(whole.length - 3))
    const bad = await get(`${data}?format=csv`, { range: `bytes=${whole.length}-` })
    expect(bad.status).toBe(416)
    expect(bad.headers.get('content-range')).toBe(`bytes */${whole.length}`)
    expect((await get(`${data}?format=csv`, { range: 'bytes=0-1', 'if-range': '"stale"' })).status).toBe(200)
  })

  it('streams representations too large for the memory cache, with the same bytes, ranges and ETag', async () => {
    const streaming = createApp(registry, { memoryCacheBytes: 0 })
    const [inMemory, streamed] = [
      await get(`${data}?format=csv`),
      await streaming.request(`${data}?format=csv`),
    ]
    const bytes = Buffer.from(await inMemory.arrayBuffer())
    expect(Buffer.from(await streamed.arrayBuffer())).toEqual(bytes)
    expect(streamed.headers.get('etag')).toBe(inMemory.headers.get('etag'))
    const part = await streaming.request(`${data}?format=csv`, { headers: { range: 'bytes=5-14' } })
    expect([part.status, part.headers.get('content-range')]).toEqual([206, `bytes 5-14/${bytes.length}`])
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(5, 15))
  })

  it('answers HEAD on every GET route with the GET status and headers and no body', async () => {
    for (const path of [
      '/healthz',
      '/v1/datasets',
      '/v1/datasets/d',
      '/v1/datasets/d/versions',
      '/v1/datasets/d/versions/1',
      '/v1/datasets/d/versions/prod',
      `${data}?format=jsonl`,
      '/v1/models/m/versions/1.0.0/fixtures',
      '/v1/models/m/versions/1.0.0/fixtures/d/1/expected',
      '/v1/datasets/nope',
      '/openapi.json',
    ]) {
      const [g, h] = [await get(path), await get(path, {}, 'HEAD')]
      expect(h.status, path).toBe(g.status)
      expect(h.headers.get('content-type'), path).toBe(g.headers.get('content-type'))
      expect(h.headers.get('etag'), path).toBe(g.headers.get('etag'))
      expect(await h.text(), path).toBe('')
    }
  })

  it('answers HEAD like GET, without a body', async () => {
    const r = await get(`${data}?format=csv`, {}, 'HEAD')
    expect(r.status).toBe(200)
    expect(r.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/)
    expect(await r.text()).toBe('')
  })
})

describe('fixtures', () => {
  it('lists the datasets bound to a model version with links and tolerances, and serves expected outputs', async () => {
    const list: Json = await (await get('/v1/models/m/versions/1.0.0/fixtures')).json()
    expect(list).toEqual([
      {
        dataset: 'd@1',
        rows: 300,
        tolerances: { p: { kind: 'atol', value: 0.001 } },
        links: {
          data: '/v1/datasets/d/versions/1/data',
          expected: '/v1/models/m/versions/1.0.0/fixtures/d/1/expected',
        },
      },
    ])
    const expected = await get(list[0].links.expected)
    expect(expected.status).toBe(200)
    expect(expected.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect((await expected.text()).split('\r\n')[0]).toBe('p')
    expect((await get('/v1/models/m/versions/1.0.0/fixtures/d/2/expected')).status).toBe(404)
  })
})

describe('errors are RFC 9457 problems, never stack traces', () => {
  it('404 for unknown datasets, versions, models and routes; 400 for malformed refs', async () => {
    for (const [path, status, code] of [
      ['/v1/datasets/nope', 404, 'NOT_FOUND'],
      ['/v1/datasets/d/versions/9', 404, 'NOT_FOUND'],
      ['/v1/datasets/d/versions/9/data', 404, 'NOT_FOUND'],
      ['/v1/datasets/d/versions/nope-alias', 404, 'NOT_FOUND'],
      ['/v1/models/m/versions/9.9.9/fixtures', 404, 'NOT_FOUND'],
      ['/v1/nothing-here', 404, 'NOT_FOUND'],
      ['/v1/datasets/Bad..Name', 400, 'USAGE'],
      ['/v1/datasets/d/versions/sha256:zz', 400, 'USAGE'],
    ] as const) {
      const r = await get(path)
      expect(r.status, path).toBe(status)
      expect(r.headers.get('content-type')).toBe('application/problem+json')
      const body = await r.json()
      expect(body).toMatchObject({
        status,
        code,
        type: `https://goldgen.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
      })
      expect(JSON.stringify(body)).not.toMatch(/\n\s+at |\/tmp\//)
    }
  })
})

describe('GET /openapi.json', () => {
  it('describes every route, generated from the route definitions', async () => {
    const doc: Json = await (await get('/openapi.json')).json()
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/healthz',
      '/v1/datasets',
      '/v1/datasets/{name}',
      '/v1/datasets/{name}/aliases/{alias}',
      '/v1/datasets/{name}/versions',
      '/v1/datasets/{name}/versions/{ref}',
      '/v1/datasets/{name}/versions/{ref}/croissant',
      '/v1/datasets/{name}/versions/{ref}/data',
      '/v1/datasets/{name}/versions/{ref}/tables',
      '/v1/datasets/{name}/versions/{ref}/tables/{table}/data',
      '/v1/models/{name}/versions',
      '/v1/models/{name}/versions/{version}/fixtures',
      '/v1/models/{name}/versions/{version}/fixtures/{dataset}/{number}',
      '/v1/models/{name}/versions/{version}/fixtures/{dataset}/{number}/expected',
      '/v1/models/{name}/versions/{version}/metrics',
      '/v1/models/{name}/versions/{version}/metrics/{dataset}/{number}',
      '/v1/models/{name}/versions/{version}/runs',
    ])
    expect(doc.paths['/v1/datasets/{name}/versions'].post.security).toEqual([{ bearer: [] }])
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' })
    expect(Object.keys(doc.paths['/v1/datasets/{name}/versions/{ref}/data'].get.responses)).toEqual(
      expect.arrayContaining(['200', '206', '304', '406', '416']),
    )
  })
})

describe('content negotiation', () => {
  it('prefers higher q-values and falls back to Arrow for */*', () => {
    expect(negotiate(undefined, 'text/csv;q=0.1, application/json')).toBe('json')
    expect(negotiate(undefined, '*/*')).toBe('arrow')
    expect(negotiate(undefined, 'text/*')).toBe('csv')
    expect(negotiate(undefined, 'image/png, text/html;q=0')).toBeUndefined()
  })
})

describe('writes', () => {
  const send = (path: string, method: string, token: string | undefined, body: string, type: string) =>
    app.request(path, {
      method,
      body,
      headers: { 'content-type': type, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    })
  let writer: string
  let reader: string
  beforeAll(async () => {
    writer = (await registry.createToken('write', 'ci')).token
    reader = (await registry.createToken('read', 'dashboard')).token
  })

  it('need a bearer token with write scope: 401 without one or with an unknown one, 403 for read scope', async () => {
    const schemaBody = JSON.stringify({ goldgen: 1, columns: { a: { type: 'int', min: 0, max: 9 } } })
    expect(
      (await send('/v1/datasets/w/versions', 'POST', undefined, schemaBody, 'application/json')).status,
    ).toBe(401)
    const unknown = await send('/v1/datasets/w/versions', 'POST', 'gg_nope', schemaBody, 'application/json')
    expect([unknown.status, unknown.headers.get('www-authenticate')]).toEqual([401, 'Bearer'])
    expect(
      (await send('/v1/datasets/w/versions', 'POST', reader, schemaBody, 'application/json')).status,
    ).toBe(403)
    expect(await registry.list()).toHaveLength(1)
  })

  it('publish from a schema (201, then 200 for identical content) or a data file, move aliases, add models, attach outputs; each is audited', async () => {
    const schemaBody = JSON.stringify({
      goldgen: 1,
      columns: { id: { type: 'id' }, a: { type: 'int', min: 0, max: 9 } },
    })
    const first = await send(
      '/v1/datasets/w/versions?rows=20&seed=3',
      'POST',
      writer,
      schemaBody,
      'application/json',
    )
    expect(first.status).toBe(201)
    expect(first.headers.get('location')).toBe('/v1/datasets/w/versions/1')
    expect(await first.json()).toMatchObject({ dataset: 'w', version: 1, rows: 20 })
    expect(
      (await send('/v1/datasets/w/versions?rows=20&seed=3', 'POST', writer, schemaBody, 'application/json'))
        .status,
    ).toBe(200)
    const csv = await send('/v1/datasets/w/versions', 'POST', writer, 'id,a\r\n1,2\r\n2,3\r\n', 'text/csv')
    expect([csv.status, ((await csv.json()) as Json).version]).toEqual([201, 2])
    const moved = await send(
      '/v1/datasets/w/aliases/prod',
      'PUT',
      writer,
      JSON.stringify({ version: 1 }),
      'application/json',
    )
    expect(await moved.json()).toEqual({ name: 'prod', from: null, to: 1 })
    expect(
      (
        await send(
          '/v1/models/wm/versions',
          'POST',
          writer,
          JSON.stringify({ version: '2.0.0', metadata: { owner: 'ml' } }),
          'application/json',
        )
      ).status,
    ).toBe(201)
    const outputs = `p\r\n${Array.from({ length: 20 }, (_, i) => i).join('\r\n')}\r\n`
    const attached = await send(
      '/v1/models/wm/versions/2.0.0/fixtures/w/1?tolerance=p=atol:0.5',
      'PUT',
      writer,
      outputs,
      'text/csv',
    )
    expect(attached.status).toBe(201)
    expect(await registry.fixtures('wm@2.0.0')).toMatchObject([
      { tolerances: { p: { kind: 'atol', value: 0.5 } } },
    ])
    // Other outputs are a conflict, unless ?update=true: a new record, the old one kept.
    const shifted = `p\r\n${Array.from({ length: 20 }, (_, i) => i + 1).join('\r\n')}\r\n`
    const path = '/v1/models/wm/versions/2.0.0/fixtures/w/1?tolerance=p=atol:0.5'
    expect((await send(path, 'PUT', writer, shifted, 'text/csv')).status).toBe(409)
    const updated = await send(`${path}&update=true`, 'PUT', writer, shifted, 'text/csv')
    expect(updated.status).toBe(201)
    const body = (await updated.json()) as { id: number; replaced: number; rows: number; dataset: string }
    const history = await registry.expectationHistory('wm@2.0.0')
    expect(history.map((e) => e.id)).toEqual([body.replaced, body.id])
    expect([body.rows, body.dataset]).toEqual([20, 'w@1'])
    expect((await registry.fixtures('wm@2.0.0')).map((e) => e.id)).toEqual([body.id])
    const log = await registry.auditLog()
    expect(log.map((e) => [e.actor, e.action, e.target])).toEqual([
      ['ci', 'publish', 'w@1'],
      ['ci', 'publish', 'w@1'],
      ['ci', 'publish', 'w@2'],
      ['ci', 'alias', 'w@prod'],
      ['ci', 'model.add', 'wm@2.0.0'],
      ['ci', 'expect', 'wm@2.0.0 w@1'],
      ['ci', 'expect.update', 'wm@2.0.0 w@1'],
    ])
  })

  it('bad bodies get 400/422 problems with the issues, oversize bodies 413; nothing is written', async () => {
    const before = (await registry.list()).length
    const invalid = await send(
      '/v1/datasets/x/versions',
      'POST',
      writer,
      JSON.stringify({ goldgen: 1, columns: { a: { type: 'nope' } } }),
      'application/json',
    )
    expect(invalid.status).toBe(422)
    expect(await invalid.json()).toMatchObject({
      code: 'SCHEMA_INVALID',
      issues: [{ path: ['columns', 'a', 'type'] }],
    })
    expect(
      (await send('/v1/datasets/x/versions', 'POST', writer, '{not json', 'application/json')).status,
    ).toBe(400)
    expect((await send('/v1/datasets/x/versions', 'POST', writer, 'a', 'image/png')).status).toBe(400)
    const wrongRows = await send(
      '/v1/models/wm/versions/2.0.0/fixtures/w/2',
      'PUT',
      writer,
      'p\r\n1\r\n',
      'text/csv',
    )
    expect([wrongRows.status, ((await wrongRows.json()) as Json).detail]).toEqual([
      400,
      expect.stringContaining('the outputs have 1 rows but w@2 has 2'),
    ])
    const small = createApp(registry, { bodyLimit: 100 })
    const big = await small.request('/v1/datasets/x/versions', {
      method: 'POST',
      body: 'id\r\n'.padEnd(500, '1'),
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${writer}` },
    })
    expect(big.status).toBe(413)
    expect(big.headers.get('content-type')).toBe('application/problem+json')
    expect((await registry.list()).length).toBe(before)
  })

  it('with readTokenRequired, reads need a token too', async () => {
    const closed = createApp(registry, { readTokenRequired: true })
    expect((await closed.request('/v1/datasets')).status).toBe(401)
    expect(
      (await closed.request('/v1/datasets', { headers: { authorization: `Bearer ${reader}` } })).status,
    ).toBe(200)
    expect((await closed.request('/healthz')).status).toBe(200)
  })
})

describe('fuzzing: malformed paths, refs, headers and bodies never give a 500 or a stack trace', () => {
  it('holds for generated requests', async () => {
    const { default: fc } = await import('fast-check')
    const writer = (await registry.createToken('write', 'fuzz')).token
    const segment = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'd',
        'nope',
        '..',
        '%2e%2e',
        '%00',
        'd@1',
        'sha256:',
        'sha256:zz',
        '1',
        '0',
        '-1',
        '99999999999999999999',
        'prod',
        'latest',
        'm',
        '1.0.0',
        '%F0%9F%98%80',
        'a%2Fb',
      ),
    )
    const path = fc.oneof(
      fc
        .array(segment, { maxLength: 8 })
        .map((parts) => `/v1/${parts.map((p) => encodeURIComponent(p)).join('/')}`),
      fc
        .tuple(segment, segment)
        .map(([n, r]) => `/v1/datasets/${encodeURIComponent(n)}/versions/${encodeURIComponent(r)}/data`),
      fc
        .tuple(segment, segment, segment)
        .map(
          ([m, v, d]) =>
            `/v1/models/${encodeURIComponent(m)}/versions/${encodeURIComponent(v)}/fixtures/${encodeURIComponent(d)}/1/expected`,
        ),
      fc
        .string()
        .map(
          (q) =>
            `/v1/datasets/d/versions/1/data?format=${encodeURIComponent(q)}&rows=${encodeURIComponent(q)}`,
        ),
    )
    const headers = fc.record(
      {
        accept: fc.oneof(
          fc.string(),
          fc.constantFrom('*/*', 'text/csv;q=abc', 'application/json;q=-1', ',,,'),
        ),
        range: fc.oneof(
          fc.string(),
          fc.constantFrom('bytes=5-1', 'bytes=-0', 'bytes=99999999-', 'bytes=0-0,5-6', 'items=0-1'),
        ),
        'if-none-match': fc.string(),
        authorization: fc.oneof(fc.string(), fc.constant(`Bearer ${writer}`), fc.constant('Bearer')),
        'content-type': fc.oneof(
          fc.string(),
          fc.constantFrom(
            'application/json',
            'text/csv',
            'application/x-ndjson',
            'application/vnd.apache.arrow.stream',
          ),
        ),
      },
      { requiredKeys: [] },
    )
    const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH')
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.constantFrom(
        '{"goldgen":1,"columns":{"a":{"type":"int","min":5,"max":1}}}',
        'id\r\n1,2,3\r\n',
        '{"version":"x"}',
      ),
    )
    await fc.assert(
      fc.asyncProperty(path, headers, method, body, async (p, h, m, b) => {
        const safe = Object.fromEntries(
          Object.entries(h).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v as string)),
        )
        const r = await app.request(p, {
          method: m,
          headers: safe,
          ...(m === 'GET' || m === 'HEAD' ? {} : { body: b }),
        })
        expect(r.status, `${m} ${p}`).toBeLessThan(500)
        const text = await r.text()
        expect(text, `${m} ${p}`).not.toMatch(/\n\s+at |node_modules|\/tmp\//)
      }),
      { numRuns: 300 },
    )
  })
})

describe('the node:http fast path (src/server/fast-path.ts)', () => {
  it('answers exactly as the app does, and only for cached anonymous GET/HEAD of numbered data', async () => {
    const cache = createRepresentationCache(registry)
    const viaApp = createApp(registry, { cache })
    const fast = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
      fastDataResponse(cache, {}, method, url, headers)
    const url = `${data}?format=csv`
    // Nothing is cached before the app has served the representation once.
    expect(fast(url)).toBeUndefined()
    const first = await viaApp.request(url)
    const etag = first.headers.get('etag')!
    for (const [headers, method] of [
      [{}, 'GET'],
      [{}, 'HEAD'],
      [{ 'if-none-match': etag }, 'GET'],
      [{ 'if-none-match': `W/"x", ${etag}` }, 'GET'],
    ] as const) {
      const expected = await viaApp.request(url, { method, headers })
      const got = fast(url, headers, method)!
      expect(got.status).toBe(expected.status)
      expect(got.headers).toEqual(Object.fromEntries(expected.headers))
      const body = new Uint8Array(await expected.arrayBuffer())
      expect(got.body === undefined ? new Uint8Array(0) : got.body).toEqual(body)
    }
    // Content negotiation picks the same cached representation the app would.
    await viaApp.request(data, { headers: { accept: 'text/csv' } })
    expect(fast(data, { accept: 'text/csv' })!.headers['content-type']).toBe(
      first.headers.get('content-type'),
    )
    // Everything else goes to the app.
    expect(fast(url, { range: 'bytes=0-9' })).toBeUndefined()
    expect(fast(url, { authorization: 'Bearer x' })).toBeUndefined()
    expect(fast('/v1/datasets/d/versions/prod/data?format=csv')).toBeUndefined()
    expect(fast(url, {}, 'POST')).toBeUndefined()
    expect(fastDataResponse(cache, { readTokenRequired: true }, 'GET', url, {})).toBeUndefined()
    expect(fast(`${url}&x=1`)).toBeUndefined()
  })
})
