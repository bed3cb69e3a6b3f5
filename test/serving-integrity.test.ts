/**
 * Serving integrity: a blob that changes on disk while the server runs is never served as the
 * version it was — streamed bodies are hashed as they go and aborted on a mismatch, and a stat
 * fingerprint is checked before each response. Also: 5xx answers are logged with their cause.
 */
import { createHash } from 'node:crypto'
import { chmodSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { createApp } from '../src/server/app.ts'
import { serverLog } from '../src/server/log.ts'
import { schema, tempDir } from './helpers.ts'

let registry: Registry
const dir = tempDir()
const logged: string[] = []
const write = serverLog.write

beforeAll(async () => {
  serverLog.write = (line) => void logged.push(line)
  registry = await openRegistry({ dir: join(dir, 'reg') })
  const s = schema({
    goldgen: 1,
    columns: { id: { type: 'id' }, x: { type: 'float', min: 0, max: 1 } },
  })
  await registry.publishSchema(s, { dataset: 'd', rows: 2000 })
  await registry.publishSchema(s, { dataset: 'd', rows: 2001 })
  await registry.publishSchema(s, { dataset: 'e', rows: 50_000 })
})
afterAll(() => {
  serverLog.write = write
  registry.close()
})

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

/** Flips one byte of a file in place, keeping its size and (as a careful attacker would) its mtime. */
function corrupt(path: string, fromEnd = 10): void {
  const before = statSync(path)
  chmodSync(path, 0o644)
  const bytes = readFileSync(path)
  const at = bytes.length - fromEnd
  bytes[at] = bytes[at]! ^ 0xff
  writeFileSync(path, bytes)
  utimesSync(path, before.atime, before.mtime)
}

/** The body of a response, or the error reading it raised (an aborted stream). */
async function body(r: Response): Promise<Buffer | Error> {
  try {
    return Buffer.from(await r.arrayBuffer())
  } catch (e) {
    return e as Error
  }
}

describe('a blob corrupted while the server runs', () => {
  it('is never served from a stream: 200 and 206 are refused or aborted, never wrong bytes under the ETag', async () => {
    const app = createApp(registry, { memoryCacheBytes: 0 })
    const url = '/v1/datasets/d/versions/1/data?format=csv'
    const first = await app.request(url)
    const good = await body(first)
    expect(good).toBeInstanceOf(Buffer)
    const etag = first.headers.get('etag')!
    expect(etag).toBe(`"${sha256(good as Buffer)}"`)
    const path = (await registry.representation('d@1', 'csv')).path
    corrupt(path)
    for (const headers of [{}, { range: 'bytes=50-300' }, { range: 'bytes=0-' }]) {
      const r = await app.request(url, { headers })
      const got = await body(r)
      // Either an error status before any byte, or a body that fails to arrive whole.
      if (r.status < 300) expect(got).toBeInstanceOf(Error)
      else expect(r.status).toBe(500)
    }
  })

  it('aborts a stream when the file changes after the fingerprint check', async () => {
    const app = createApp(registry, { memoryCacheBytes: 0 })
    const url = '/v1/datasets/e/versions/1/data?format=jsonl'
    expect((await app.request(url)).status).toBe(200)
    const path = (await registry.representation('e@1', 'jsonl')).path
    const r = await app.request(url)
    expect(r.status).toBe(200)
    // The response has its headers; its body has not been read: change the file now.
    corrupt(path)
    const got = await body(r)
    expect(got).toBeInstanceOf(Error)
    expect(logged.some((l) => l.includes('changed while it was served'))).toBe(true)
  })

  it('serves only bytes that hash to the ETag from memory', async () => {
    const app = createApp(registry)
    const url = '/v1/datasets/d/versions/2/data?format=csv'
    const first = await app.request(url)
    await first.arrayBuffer()
    corrupt((await registry.representation('d@2', 'csv')).path)
    const again = await app.request(url)
    const got = await body(again)
    if (again.status === 200) {
      expect(got).toBeInstanceOf(Buffer)
      expect(`"${sha256(got as Buffer)}"`).toBe(again.headers.get('etag'))
    } else expect(again.status).toBe(500)
  })

  it('logs every 5xx with its cause', async () => {
    const app = createApp(registry, { memoryCacheBytes: 0 })
    const url = '/v1/datasets/d/versions/1/data?format=csv'
    logged.length = 0
    const r = await app.request(url)
    expect(r.status).toBe(500)
    expect(r.headers.get('content-type')).toBe('application/problem+json')
    expect(logged.length).toBeGreaterThan(0)
    const entry = JSON.parse(logged.at(-1)!)
    expect(entry).toMatchObject({ level: 'error', code: 'INTEGRITY', method: 'GET' })
    expect(entry.message).toMatch(/corrupted/)
  })
})
