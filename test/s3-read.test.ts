/**
 * The S3 blob driver's verified reads against a bucket that misbehaves on purpose: bytes that
 * fail their digest once (as an S3-compatible store overwriting an identical object
 * non-atomically can give) are read again and then served; bytes that keep failing are never
 * returned, whatever the read (whole, verified local copy, byte span).
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { Bucket } from '../registry/s3/bucket.ts'
import { reader } from '../registry/s3/read.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A bucket holding one object whose GETs answer `answers[i]` on the i-th call (the last one after). */
function fakeBucket(answers: (Uint8Array | 'missing')[]) {
  const calls: (string | undefined)[] = []
  const s3 = {
    GetObjectCommand: class {
      constructor(readonly input: { Key: string; Range?: string }) {}
    },
  }
  const bucket = {
    s3: s3 as unknown as Bucket['s3'],
    bucket: 'b',
    base: '',
    shown: 's3://b',
    keyOf: (sha: string) => `objects/${sha}`,
    io: (what: string) => new Error(what),
    fresh: () => Math.random().toString(36).slice(2),
    client: {
      async send(cmd: { input: { Range?: string } }) {
        const answer = answers[Math.min(calls.length, answers.length - 1)]!
        calls.push(cmd.input.Range)
        if (answer === 'missing') throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' })
        let bytes = answer
        const m = /^bytes=(\d+)-(\d+)$/.exec(cmd.input.Range ?? '')
        if (m) bytes = bytes.subarray(Number(m[1]), Number(m[2]) + 1)
        return { Body: Readable.from([Buffer.from(bytes)]) }
      },
    },
  } as unknown as Bucket
  const cache = mkdtempSync(join(tmpdir(), 'goldgen-s3-read-'))
  dirs.push(cache)
  return { r: reader(bucket, cache), calls }
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const readAll = async (s: Readable) => {
  const chunks: Buffer[] = []
  for await (const c of s) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

describe('S3 verified reads', () => {
  it('reads again when the bytes fail their digest once, then returns the right bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.nat(), async (good, cut) => {
        const short = good.subarray(0, cut % good.length)
        const { r, calls } = fakeBucket([short, good])
        expect(Buffer.from(await r.read(sha(good)))).toEqual(Buffer.from(good))
        expect(calls.length).toBe(2)
      }),
      { numRuns: 20 },
    )
  })

  it('never returns bytes that keep failing their digest (whole read, local copy, span)', async () => {
    const good = new TextEncoder().encode('the stored blob')
    const bad = new TextEncoder().encode('the stored blab')
    const { r, calls } = fakeBucket([bad])
    await expect(r.read(sha(good))).rejects.toThrow(/is corrupted: its content hashes to/)
    expect(calls.length).toBe(3)
    await expect(r.verifiedPath(sha(good))).rejects.toThrow(/is corrupted/)
    await expect(r.openRange(sha(good), 0, 3)).rejects.toThrow(/is corrupted/)
  })

  it('gives a verified local copy after a short read, and a span only after the whole was hashed', async () => {
    const good = new TextEncoder().encode('0123456789abcdef')
    const { r, calls } = fakeBucket([good.subarray(0, 5), good])
    const path = await r.verifiedPath(sha(good))
    expect(readFileSync(path, 'utf8')).toBe('0123456789abcdef')
    const span = await readAll(await r.openRange(sha(good), 2, 5))
    expect(span.toString()).toBe('2345')
    // short read, good read (the local copy), whole hash for the span, then the span itself
    expect(calls).toEqual([undefined, undefined, undefined, 'bytes=2-5'])
  })

  it('does not retry a missing blob, and says it is missing', async () => {
    const { r, calls } = fakeBucket(['missing'])
    await expect(r.read('a'.repeat(64))).rejects.toThrow(/is missing from the registry/)
    expect(calls.length).toBe(1)
  })
})
