/** The typed client and the vitest helper against a real server on loopback. */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { createClient } from '../src/client/index.ts'
import { GoldgenError } from '../src/index.ts'
import { listen } from '../src/server/listen.ts'
import { toMatchGolden } from '../src/vitest.ts'
import { schema, tempDir } from './helpers.ts'

expect.extend({ toMatchGolden })

const dir = tempDir()
let registry: Registry
let server: Awaited<ReturnType<typeof listen>>
let requests: string[] = []
const counting: typeof fetch = (input, init) => {
  requests.push(String(input))
  return fetch(input, init)
}

beforeAll(async () => {
  registry = await openRegistry({ dir: join(dir, 'reg') })
  const s = schema({
    goldgen: 1,
    columns: {
      id: { type: 'id' },
      x: { type: 'float', min: 0, max: 1, edge_cases: { mode: 'all', include: ['nan'] } },
    },
  })
  await registry.publishSchema(s, { dataset: 'd', rows: 30 })
  await registry.publishSchema(s, { dataset: 'd', rows: 31 })
  await registry.alias('d@1', 'prod')
  await registry.addModel('m@1.0.0')
  const expected = join(dir, 'expected.csv')
  writeFileSync(expected, `y\r\n${Array.from({ length: 30 }, (_, i) => (i + 1) * 2).join('\r\n')}\r\n`)
  await registry.expect('m@1.0.0', 'd@1', expected, { y: { kind: 'atol', value: 0.01 } })
  server = await listen(registry, { host: '127.0.0.1', port: 0 })
})
afterAll(async () => {
  await server.close()
  registry.close()
})

describe('createClient', () => {
  it('fetches rows, Arrow tables and bytes, following alias redirects', async () => {
    const client = createClient({ baseUrl: server.url })
    const rows = await client.dataset('d@prod').rows()
    expect(rows).toHaveLength(30)
    expect(rows.filter((r) => Number.isNaN(r.x))).toHaveLength(1)
    expect((await client.dataset('d').arrow()).numRows).toBe(31)
    expect(
      Buffer.from(await client.dataset('d@1').bytes('csv'))
        .toString('utf8')
        .split('\r\n')[0],
    ).toBe('id,x')
    await expect(client.dataset('nope').rows()).rejects.toThrow(/no dataset named "nope"/)
  })

  it('caches by digest and pins references in the lock file; alias moves do not change pinned bytes', async () => {
    const cacheDir = join(dir, 'cache')
    const lockFile = join(dir, 'goldgen.lock')
    const client = createClient({ baseUrl: server.url, cacheDir, lockFile, fetch: counting })
    requests = []
    const first = await client.dataset('d@prod').digest()
    expect(requests).toHaveLength(1)
    expect(existsSync(join(cacheDir, 'objects', first))).toBe(true)
    await client.dataset('d@prod').bytes()
    expect(requests).toHaveLength(1) // served from the cache through the lock file
    const lock = JSON.parse(readFileSync(lockFile, 'utf8'))
    expect(lock.entries['d@prod#arrow']).toMatchObject({
      url: '/v1/datasets/d/versions/1/data?format=arrow',
      sha256: first,
    })
    await registry.alias('d@2', 'prod')
    expect(await client.dataset('d@prod').digest()).toBe(first)
    await registry.alias('d@1', 'prod')
  })

  it('offline mode never touches the network and fails clearly on a cache miss', async () => {
    const cacheDir = join(dir, 'cache-offline')
    const lockFile = join(dir, 'offline.lock')
    await createClient({ baseUrl: server.url, cacheDir, lockFile }).dataset('d@1').rows()
    requests = []
    const offline = createClient({
      baseUrl: 'http://127.0.0.1:1',
      cacheDir,
      lockFile,
      offline: true,
      fetch: counting,
    })
    expect(await offline.dataset('d@1').rows()).toHaveLength(30)
    await expect(offline.dataset('d@2').rows()).rejects.toThrow(/offline: d@2#jsonl is not in the lock file/)
    rmSync(join(cacheDir, 'objects'), { recursive: true })
    await expect(offline.dataset('d@1').rows()).rejects.toThrow(
      /is pinned to .* but that content is not in the cache/,
    )
    expect(requests).toEqual([])
  })

  it('verifies every download against its digest and caches nothing unverified', async () => {
    const cacheDir = join(dir, 'cache-tampered')
    const tampering: typeof fetch = async (input, init) => {
      const real = await fetch(input, init)
      const body = new Uint8Array(await real.arrayBuffer())
      body[body.length - 2] = (body[body.length - 2]! + 1) % 256
      return new Response(body, { status: real.status, headers: real.headers })
    }
    const client = createClient({ baseUrl: server.url, cacheDir, fetch: tampering })
    const error = await client
      .dataset('d@1')
      .bytes('csv')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GoldgenError)
    expect((error as GoldgenError).code).toBe('INTEGRITY')
    expect(existsSync(join(cacheDir, 'objects'))).toBe(false)
  })

  it('lists fixtures with data, expected outputs and tolerances', async () => {
    const [fixture, ...rest] = await createClient({ baseUrl: server.url }).fixtures('m@1.0.0')
    expect(rest).toEqual([])
    expect(fixture).toMatchObject({
      dataset: 'd@1',
      rows: 30,
      tolerances: { y: { kind: 'atol', value: 0.01 } },
    })
    expect((await fixture!.data()).map((r) => r.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
    expect((await fixture!.expected())[2]).toEqual({ y: 6 })
  })
})

describe('goldgen/vitest', () => {
  it('passes predictions within tolerance and fails with a readable diff otherwise', async () => {
    const [fixture] = await createClient({ baseUrl: server.url }).fixtures('m@1.0.0')
    const input = await fixture!.data()
    const golden = { expectedRows: await fixture!.expected(), tolerances: fixture!.tolerances }
    expect(input.map((r) => ({ y: (r.id as number) * 2 + 0.005 }))).toMatchGolden(golden)
    const wrong = input.map((r) => ({ y: (r.id as number) * 2 + (r.id === 7 ? 1 : 0) }))
    expect(() => expect(wrong).toMatchGolden(golden)).toThrow(
      /1 of 30 rows differ beyond tolerance\n {2}row 6, y: expected 14, got 15 \(off by 1\)/,
    )
  })
})

describe('Fixture.record and GOLDGEN_UPDATE=1', () => {
  it('records failing predictions as a new expectation, keeps the old one, and re-pins the lock', async () => {
    await registry.addModel('m@3.0.0')
    const doubled = join(dir, 'doubled.csv')
    writeFileSync(doubled, `y\r\n${Array.from({ length: 30 }, (_, i) => (i + 1) * 2).join('\r\n')}\r\n`)
    await registry.expect('m@3.0.0', 'd@1', doubled, { y: { kind: 'atol', value: 0.01 } })
    const { token } = await registry.createToken('write', 'vitest-update')
    const lockFile = join(dir, 'update.lock')
    const [fixture] = await createClient({ baseUrl: server.url, lockFile }).fixtures('m@3.0.0')
    const tripled = (await fixture!.data()).map((r) => ({ y: (r.id as number) * 3 }))
    const golden = { ...fixture!, expectedRows: await fixture!.expected() }
    expect(() => expect(tripled).toMatchGolden(golden)).toThrow(/30 of 30 rows differ/)
    process.env.GOLDGEN_UPDATE = '1'
    try {
      await expect(expect(tripled).toMatchGolden(golden)).rejects.toThrow(
        /needs a write token: set GOLDGEN_TOKEN/,
      )
      process.env.GOLDGEN_TOKEN = token
      await expect(tripled).toMatchGolden(golden)
    } finally {
      delete process.env.GOLDGEN_UPDATE
      delete process.env.GOLDGEN_TOKEN
    }
    expect(Object.keys(JSON.parse(readFileSync(lockFile, 'utf8')).entries)).not.toContain('m@3.0.0#fixtures')
    const [again] = await createClient({ baseUrl: server.url, lockFile }).fixtures('m@3.0.0')
    expect(again!.tolerances).toEqual(fixture!.tolerances)
    expect(tripled).toMatchGolden({ ...again!, expectedRows: await again!.expected() })
    const history = await registry.expectationHistory('m@3.0.0')
    expect(history.map((e) => e.format)).toEqual(['csv', 'jsonl'])
    expect((await registry.fixtures('m@3.0.0')).map((e) => e.id)).toEqual([history[1]!.id])
  })
})
