/**
 * The node:http fast path for versions not held in memory (src/server/file-body.ts): answered
 * exactly as the app answers, 200 streamed from the file and 304 from the index, with the stat
 * fingerprint checked before each answer and every streamed chunk checked before it is sent — a
 * file changed before or during a response is never delivered whole under its ETag.
 */
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { createApp } from '../src/server/app.ts'
import { createRepresentationCache } from '../src/server/cache.ts'
import { fastDataResponse } from '../src/server/fast-path.ts'
import { CHUNK_BYTES, type FileCheck, scanFile, sendCheckedFile } from '../src/server/file-body.ts'
import { listen } from '../src/server/listen.ts'
import { serverLog } from '../src/server/log.ts'
import { schema, tempDir } from './helpers.ts'

let registry: Registry
const dir = tempDir()
const logged: string[] = []
const write = serverLog.write
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  serverLog.write = (line) => void logged.push(line)
  registry = await openRegistry({ dir: join(dir, 'reg') })
  const s = schema({
    goldgen: 1,
    columns: { id: { type: 'id' }, x: { type: 'float', min: 0, max: 1 } },
  })
  // About 2 MB as JSONL: several chunks, over the size the cache keeps in memory when asked to.
  await registry.publishSchema(s, { dataset: 'big', rows: 50_000 })
  await registry.publishSchema(s, { dataset: 'big', rows: 50_001 })
})
afterAll(() => {
  serverLog.write = write
  registry.close()
})

/** Flips one byte of a file in place, keeping its size and its modification time. */
function corrupt(path: string, at: number): void {
  const before = statSync(path)
  chmodSync(path, 0o644)
  const bytes = readFileSync(path)
  bytes[at] = bytes[at]! ^ 0xff
  writeFileSync(path, bytes)
  utimesSync(path, before.atime, before.mtime)
}

/** A slow response stand-in: collects what is written, one chunk at a time, calling `onChunk`. */
function slowSink(onChunk: (n: number) => void = () => {}) {
  const chunks: Buffer[] = []
  let ended = false
  let failed: Error | undefined
  const sink = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk))
      onChunk(chunks.length)
      setImmediate(done)
    },
    final(done) {
      ended = true
      done()
    },
  })
  sink.on('error', (e) => {
    failed = e
  })
  const settled = new Promise<void>((resolve) => sink.once('close', () => resolve()))
  return {
    sink,
    settled,
    result: () => ({ body: Buffer.concat(chunks), ended, failed }),
  }
}

describe('the fast path for a version not held in memory', () => {
  it('answers GET, HEAD and conditional GET from the file exactly as the app does', async () => {
    const cache = createRepresentationCache(registry, 0)
    const app = createApp(registry, { cache })
    const url = '/v1/datasets/big/versions/1/data?format=jsonl'
    const expected = await app.request(url)
    const bytes = Buffer.from(await expected.arrayBuffer())
    expect(bytes.length).toBeGreaterThan(4 * CHUNK_BYTES)
    const etag = expected.headers.get('etag')!
    const got = fastDataResponse(cache, {}, 'GET', url, {})
    expect(got, 'a version not held in memory is answered by the fast path').toBeDefined()
    expect(got!.status).toBe(200)
    expect(got!.headers).toEqual(Object.fromEntries(expected.headers))
    expect(got!.file).toBeDefined()
    const out = slowSink()
    sendCheckedFile(out.sink, got!.file!)
    await out.settled
    expect(out.result().ended).toBe(true)
    expect(sha256(out.result().body)).toBe(sha256(bytes))
    for (const [headers, method] of [
      [{}, 'HEAD'],
      [{ 'if-none-match': etag }, 'GET'],
      [{ 'if-none-match': `W/"nope", ${etag}` }, 'HEAD'],
    ] as const) {
      const want = await app.request(url, { method, headers })
      const fast = fastDataResponse(cache, {}, method, url, headers)!
      expect(fast.status).toBe(want.status)
      expect(fast.headers).toEqual(Object.fromEntries(want.headers))
      expect(fast.body).toBeUndefined()
      expect(fast.file).toBeUndefined()
    }
  })

  it('over a real socket: 200 whole and hashing to its ETag, 304, then a corrupted file is refused', async () => {
    const server = await listen(registry, { host: '127.0.0.1', port: 0, memoryCacheBytes: 0 })
    try {
      const url = `${server.url}/v1/datasets/big/versions/2/data?format=jsonl`
      const first = await fetch(url)
      const etag = first.headers.get('etag')!
      expect(etag).toBe(`"${sha256(Buffer.from(await first.arrayBuffer()))}"`)
      for (let i = 0; i < 3; i++) {
        const again = await fetch(url)
        expect(again.status).toBe(200)
        expect(`"${sha256(Buffer.from(await again.arrayBuffer()))}"`).toBe(etag)
        expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304)
      }
      const path = (await registry.representation('big@2', 'jsonl')).path
      corrupt(path, 1000)
      logged.length = 0
      for (const headers of [{}, { 'if-none-match': etag }]) {
        const r = await fetch(url, { headers })
        expect(r.status, JSON.stringify(headers)).toBe(500)
        expect(((await r.json()) as { code: string }).code).toBe('INTEGRITY')
      }
      expect(logged.some((l) => l.includes('corrupted'))).toBe(true)
    } finally {
      await server.close()
    }
  })
})

describe('sendCheckedFile', () => {
  const file = join(dir, 'blob.bin')
  const check = (bytes: Buffer): FileCheck => {
    writeFileSync(file, bytes)
    const c = scanFile(file, sha256(bytes))
    expect(c).toBeDefined()
    return c!
  }

  it('refuses to scan a file that does not hash to the digest', () => {
    writeFileSync(file, randomBytes(1000))
    expect(scanFile(file, '0'.repeat(64))).toBeUndefined()
  })

  it('delivers the whole file, or a strict prefix of it and an error — whenever it is changed', async () => {
    let aborted = 0
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 * CHUNK_BYTES + 17 }),
        fc.option(fc.record({ afterChunk: fc.integer({ min: 1, max: 4 }), at: fc.nat() })),
        fc.boolean(),
        async (size, change, replace) => {
          const bytes = randomBytes(size)
          const c = check(bytes)
          let changed = false
          const out = slowSink((n) => {
            if (change === null || n !== change.afterChunk || size === 0) return
            changed = true
            if (replace) {
              // A rewrite by rename: another inode under the same path.
              const other = Buffer.from(bytes)
              other[change.at % size] = other[change.at % size]! ^ 1
              writeFileSync(`${file}.new`, other)
              renameSync(`${file}.new`, file)
            } else corrupt(file, change.at % size)
          })
          sendCheckedFile(out.sink, c)
          await out.settled
          const { body, ended, failed } = out.result()
          if (ended) {
            expect(failed).toBeUndefined()
            expect(body.equals(bytes)).toBe(true)
          } else {
            expect(changed).toBe(true)
            expect(failed?.message).toMatch(/changed while it was served/)
            expect(body.length).toBeLessThan(size)
            expect(body.equals(bytes.subarray(0, body.length))).toBe(true)
            aborted++
          }
        },
      ),
      { numRuns: 40 },
    )
    expect(aborted, 'some runs change the file before the response ends').toBeGreaterThan(0)
  })

  it('checks every chunk against what was verified, not only the fingerprint', async () => {
    const bytes = randomBytes(3 * CHUNK_BYTES)
    const c = check(bytes)
    // The same fingerprint with other bytes (as if the stat could not see a change): chunk 1 differs.
    const forged: FileCheck = { ...c, crcs: Uint32Array.from(c.crcs, (v, i) => (i === 1 ? v ^ 1 : v)) }
    logged.length = 0
    const out = slowSink()
    sendCheckedFile(out.sink, forged, { method: 'GET', url: '/x' })
    await out.settled
    const { body, ended, failed } = out.result()
    expect(ended).toBe(false)
    expect(failed?.message).toMatch(/chunk 1 differs/)
    expect(body.length).toBe(CHUNK_BYTES)
    expect(logged.some((l) => l.includes('chunk 1 differs') && l.includes('"url":"/x"'))).toBe(true)
  })
})
