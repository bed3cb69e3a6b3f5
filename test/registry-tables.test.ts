/**
 * Multi-table versions end to end: `publish` of a `tables` schema stores one blob per table, the
 * version lists them, and every way out (registry fetch, `goldgen fetch --table`, the HTTP table
 * routes with ETag/304/Range/negotiation, the TypeScript client) gives the bytes `goldgen
 * generate` writes for the same schema; `verify` regenerates every table and names a corrupted
 * one; `gc` keeps table blobs; `registry copy` copies them.
 */
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tableFromIPC } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { createClient } from '../src/client/index.ts'
import { createApp } from '../src/server/app.ts'
import { listen } from '../src/server/listen.ts'
import { EXAMPLES, runGoldgen, tempDir } from './helpers.ts'

const SHOP = join(EXAMPLES, 'shop.yaml')
const TABLES = ['customers', 'products', 'orders', 'order_lines']
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

describe('multi-table versions', () => {
  const dir = tempDir()
  const reg = join(dir, 'reg')
  const generated = join(dir, 'generated')
  let registry: Registry
  let app: ReturnType<typeof createApp>

  beforeAll(async () => {
    const pub = await runGoldgen(['publish', SHOP, '-d', 'shop', '-n', '150', '--registry', reg])
    expect(pub.stderr).toBe('')
    expect(pub.stdout).toBe('shop@1\n')
    // What `goldgen generate` writes for the same schema and rows.
    const gen = await runGoldgen(['generate', SHOP, '-n', '150', '-o', generated])
    expect(gen.code, gen.stderr).toBe(0)
    registry = await openRegistry({ dir: reg })
    await registry.alias('shop@1', 'prod')
    app = createApp(registry)
  }, 60_000)
  afterAll(() => registry?.close())

  const expectedBytes = (table: string) => readFileSync(join(generated, `${table}.arrow`))

  it('stores one digested blob per table and lists them with rows, digests and the integrity report', async () => {
    const v = await registry.resolve('shop@1')
    expect(v.format).toBe('tables')
    const { tables, integrity } = await registry.tables('shop@1')
    expect(tables.map((t) => t.name)).toEqual(TABLES)
    const manifest = JSON.parse(readFileSync(join(generated, 'manifest.json'), 'utf8'))
    for (const t of tables) {
      expect(t.sha256).toBe(sha(expectedBytes(t.name)))
      expect(t.rows).toBe(manifest.tables[t.name].rows)
      expect(await registry.blobStore.has(t.sha256)).toBe(true)
    }
    expect(v.rows).toBe(tables.reduce((n, t) => n + t.rows, 0))
    expect(integrity).toEqual(manifest.integrity)
    expect(integrity.ok).toBe(true)
    const shown = await registry.show('shop@1')
    const m = shown.manifest as unknown as { tables: Record<string, { file: { sha256: string } }> }
    expect(Object.keys(m.tables)).toEqual(TABLES)
    for (const t of tables) expect(m.tables[t.name]!.file.sha256).toBe(t.sha256)
  })

  it('POST …/versions of a tables schema publishes the same multi-table version as the CLI', async () => {
    const { token } = await registry.createToken('write', 'tables-test')
    const { parse } = await import('yaml')
    const res = await app.request('/v1/datasets/shop-http/versions?rows=150', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(parse(readFileSync(SHOP, 'utf8'))),
    })
    expect(res.status).toBe(201)
    const body = (await res.json()) as { format: string; sha256: string; links: { tables: string } }
    expect(body.format).toBe('tables')
    expect(body.sha256).toBe((await registry.resolve('shop@1')).sha256)
    expect(body.links.tables).toBe('/v1/datasets/shop-http/versions/1/tables')
  })

  it('publishing the same tables again is the same version', async () => {
    const again = await runGoldgen(['publish', SHOP, '-d', 'shop', '-n', '150', '--registry', reg, '--json'])
    expect(JSON.parse(again.stdout)).toMatchObject({ ref: 'shop@1', created: false })
  })

  it('GET …/tables lists name, rows, digest and links; movable refs redirect', async () => {
    const res = await app.request('/v1/datasets/shop/versions/1/tables')
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      tables: { name: string; rows: number; sha256: string; digest: string; links: { data: string } }[]
      integrity: { ok: boolean }
    }
    expect(body.tables.map((t) => t.name)).toEqual(TABLES)
    for (const t of body.tables) {
      expect(t.digest).toBe(`sha256:${t.sha256}`)
      expect(t.links.data).toBe(`/v1/datasets/shop/versions/1/tables/${t.name}/data`)
    }
    expect(body.integrity.ok).toBe(true)
    const moved = await app.request('/v1/datasets/shop/versions/prod/tables/orders/data?format=csv')
    expect(moved.status).toBe(307)
    expect(moved.headers.get('location')).toBe('/v1/datasets/shop/versions/1/tables/orders/data?format=csv')
    const versionJson = (await (await app.request('/v1/datasets/shop/versions/1')).json()) as {
      links: { tables?: string }
    }
    expect(versionJson.links.tables).toBe('/v1/datasets/shop/versions/1/tables')
  })

  it('serves each table as goldgen generate wrote it, with ETag, 304 and Range', async () => {
    for (const table of TABLES) {
      const res = await app.request(`/v1/datasets/shop/versions/1/tables/${table}/data`)
      expect(res.status).toBe(200)
      const bytes = new Uint8Array(await res.arrayBuffer())
      expect(Buffer.from(bytes).equals(expectedBytes(table)), table).toBe(true)
      expect(res.headers.get('etag')).toBe(`"${sha(bytes)}"`)
      expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream')
    }
    const path = '/v1/datasets/shop/versions/1/tables/orders/data'
    const etag = (await app.request(path)).headers.get('etag')!
    expect((await app.request(path, { headers: { 'if-none-match': etag } })).status).toBe(304)
    const ranged = await app.request(path, { headers: { range: 'bytes=10-29' } })
    expect(ranged.status).toBe(206)
    expect(ranged.headers.get('content-range')).toBe(`bytes 10-29/${expectedBytes('orders').length}`)
    expect(Buffer.from(await ranged.arrayBuffer()).equals(expectedBytes('orders').subarray(10, 30))).toBe(
      true,
    )
    expect((await app.request(path, { headers: { range: 'bytes=99999999-' } })).status).toBe(416)
  })

  it('negotiates and converts a table like …/data, keeping the conversion', async () => {
    const path = '/v1/datasets/shop/versions/1/tables/customers/data'
    const csv = await app.request(path, { headers: { accept: 'text/csv' } })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    const text = await csv.text()
    expect(text.split('\r\n')[0]).toBe('customer_id,segment,signup')
    const rows = tableFromIPC(expectedBytes('customers')).numRows
    expect(text.trimEnd().split('\r\n')).toHaveLength(rows + 1)
    expect(csv.headers.get('etag')).toBe(`"${sha(Buffer.from(text))}"`)
    const again = await app.request(`${path}?format=csv`)
    expect(again.headers.get('etag')).toBe(csv.headers.get('etag'))
    const jsonl = await (await app.request(`${path}?format=jsonl`)).text()
    expect(jsonl.trimEnd().split('\n')).toHaveLength(rows)
    expect((await app.request(path, { headers: { accept: 'image/png' } })).status).toBe(406)
  })

  it('an unknown table is a 404 naming the tables; …/data of a multi-table version is a 409 naming them', async () => {
    const missing = await app.request('/v1/datasets/shop/versions/1/tables/nope/data')
    expect(missing.status).toBe(404)
    const problem = (await missing.json()) as { detail: string }
    for (const t of TABLES) expect(problem.detail).toContain(t)
    const data = await app.request('/v1/datasets/shop/versions/1/data')
    expect(data.status).toBe(409)
    expect(data.headers.get('content-type')).toBe('application/problem+json')
    const conflict = (await data.json()) as { tables: string[]; links: { tables: string }; detail: string }
    expect(conflict.tables).toEqual(TABLES)
    expect(conflict.links.tables).toBe('/v1/datasets/shop/versions/1/tables')
    expect(conflict.detail).toContain('--table')
  })

  it('diff and expected outputs refuse a multi-table version, naming its tables', async () => {
    const names = 'multi-table version (tables: customers, products, orders, order_lines)'
    await expect(registry.diff('shop@1', 'shop@1')).rejects.toThrow(names)
    await registry.addModel('m@1.0.0')
    const outputs = join(dir, 'outputs.csv')
    writeFileSync(outputs, 'y\r\n1\r\n')
    await expect(registry.expect('m@1.0.0', 'shop@1', outputs)).rejects.toThrow(names)
  })

  it('the browser shows the tables; the data card and Croissant refuse a multi-table version clearly', async () => {
    const res = await app.request('/v1/datasets/shop/versions/1/croissant')
    expect(res.status).toBe(422)
    expect(await res.text()).toContain(
      'multi-table version (tables: customers, products, orders, order_lines)',
    )
    const page = await app.request('/datasets/shop/versions/1')
    expect(page.status).toBe(200)
    const text = await page.text()
    for (const t of (await registry.tables('shop@1')).tables) {
      expect(text).toContain(`<td>${t.name}</td><td class="num">${t.rows}</td>`)
      expect(text).toContain(`/v1/datasets/shop/versions/1/tables/${t.name}/data?format=csv`)
    }
    expect(text).toContain('<td>order_lines.sku</td><td>products.sku</td>')
  })

  it('goldgen fetch --table writes one table; without it, a folder or a clear error', async () => {
    const out = join(dir, 'orders.arrow')
    const one = await runGoldgen(['fetch', 'shop@prod', '--table', 'orders', '-o', out, '--registry', reg])
    expect(one.code, one.stderr).toBe(0)
    expect(readFileSync(out).equals(expectedBytes('orders'))).toBe(true)
    const csvOut = join(dir, 'lines.csv')
    const csv = await runGoldgen([
      'fetch',
      'shop@1',
      '--table',
      'order_lines',
      '-o',
      csvOut,
      '--registry',
      reg,
    ])
    expect(csv.code, csv.stderr).toBe(0)
    expect(readFileSync(csvOut, 'utf8').split('\r\n')[0]).toBe('order_id,sku,unit_price,qty,line_total')
    const bad = await runGoldgen(['fetch', 'shop@1', '--table', 'nope', '-o', out, '--registry', reg])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('customers, products, orders, order_lines')
    const whole = await runGoldgen(['fetch', 'shop@1', '-o', join(dir, 'x.arrow'), '--registry', reg])
    expect(whole.code).toBe(2)
    expect(whole.stderr).toContain('multi-table version (tables: customers, products, orders, order_lines)')
    expect(whole.stderr).toContain('give --table customers')
    expect(whole.stderr).toContain('-o DIR/')
    expect(whole.stderr).not.toMatch(/\n\s+at /)
    const folder = join(dir, 'all')
    const all = await runGoldgen(['fetch', 'shop@1', '-o', `${folder}/`, '--registry', reg])
    expect(all.code, all.stderr).toBe(0)
    expect(readdirSync(folder).sort()).toEqual(TABLES.map((t) => `${t}.arrow`).sort())
    for (const t of TABLES)
      expect(readFileSync(join(folder, `${t}.arrow`)).equals(expectedBytes(t))).toBe(true)
  })

  it('goldgen show lists the tables', async () => {
    const shown = await runGoldgen(['show', 'shop@1', '--registry', reg])
    expect(shown.code, shown.stderr).toBe(0)
    const { tables } = await registry.tables('shop@1')
    for (const t of tables)
      expect(shown.stdout).toContain(`table ${t.name}: ${t.rows} rows, sha256 ${t.sha256}`)
    expect(shown.stdout).toContain('integrity: ok')
    expect(shown.stdout).toContain('order_lines.sku → products.sku')
  })

  it('the TypeScript client reads tables: tables(), table(name).rows()/bytes()/arrow()/digest()', async () => {
    const server = await listen(registry, { host: '127.0.0.1', port: 0 })
    try {
      const lockFile = join(dir, 'goldgen.lock')
      const client = createClient({ baseUrl: server.url, cacheDir: join(dir, 'cache'), lockFile })
      const listed = await client.dataset('shop@prod').tables()
      expect(listed.map((t) => t.name)).toEqual(TABLES)
      const orders = client.dataset('shop@prod').table('orders')
      const rows = await orders.rows()
      expect(rows).toHaveLength(listed.find((t) => t.name === 'orders')!.rows)
      const customers = new Set(
        (await client.dataset('shop@1').table('customers').rows()).map((r) => r.customer_id),
      )
      expect(rows.every((r) => customers.has(r.customer_id))).toBe(true)
      expect(Buffer.from(await orders.bytes()).equals(expectedBytes('orders'))).toBe(true)
      expect((await orders.arrow()).numRows).toBe(rows.length)
      expect(await orders.digest()).toBe(sha(expectedBytes('orders')))
      const lock = JSON.parse(readFileSync(lockFile, 'utf8'))
      expect(lock.entries['shop@prod/orders#arrow'].sha256).toBe(sha(expectedBytes('orders')))
      await expect(client.dataset('shop@1').table('nope').rows()).rejects.toThrow(/customers, products/)
      await expect(client.dataset('shop@1').rows()).rejects.toThrow(/multi-table version/)
    } finally {
      await server.close()
    }
  })

  it('gc keeps table blobs and registry copy copies them', async () => {
    const gc = await runGoldgen(['gc', '--registry', reg])
    expect(gc.code, gc.stderr).toBe(0)
    const { tables } = await registry.tables('shop@1')
    for (const t of tables) expect(await registry.blobStore.has(t.sha256)).toBe(true)
    const target = join(dir, 'copied')
    const copy = await runGoldgen(['registry', 'copy', '--from', reg, '--to', target])
    expect(copy.code, copy.stderr).toBe(0)
    const copied = await openRegistry({ dir: target })
    try {
      const moved = await copied.tables('shop@prod')
      expect(moved.tables).toEqual(tables)
      for (const t of TABLES) {
        const out = join(dir, `copied-${t}.arrow`)
        await copied.fetch('shop@1', out, undefined, t)
        expect(readFileSync(out).equals(expectedBytes(t))).toBe(true)
      }
      expect((await copied.verify('shop@1'))[0]!.ok).toBe(true)
    } finally {
      copied.close()
    }
  })

  it('verify regenerates every table, and names a corrupted table blob', async () => {
    const ok = await registry.verify('shop@1')
    expect(ok[0]!.ok).toBe(true)
    expect(ok[0]!.tables!.map((t) => [t.table, t.ok])).toEqual(TABLES.map((t) => [t, true]))
    const cli = await runGoldgen(['verify', 'shop@1', '--registry', reg])
    expect(cli.code, cli.stderr).toBe(0)
    expect(cli.stdout).toContain('4 tables regenerated from their recipe: identical bytes')
    // Corrupt one table's blob on disk.
    const products = (await registry.tables('shop@1')).tables.find((t) => t.name === 'products')!
    const file = join(reg, 'objects', products.sha256.slice(0, 2), products.sha256.slice(2))
    expect(existsSync(file)).toBe(true)
    chmodSync(file, 0o644)
    const bytes = readFileSync(file)
    bytes[bytes.length - 9] = bytes[bytes.length - 9]! ^ 0xff
    writeFileSync(file, bytes)
    const bad = await runGoldgen(['verify', 'shop@1', '--registry', reg])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/^FAIL shop@1: table products: /)
    const report = (await registry.verify('shop@1'))[0]!
    expect(report.tables!.filter((t) => !t.ok).map((t) => t.table)).toEqual(['products'])
    const served = await app.request('/v1/datasets/shop/versions/1/tables/products/data?format=csv')
    expect(served.status).toBe(500)
  })
})
