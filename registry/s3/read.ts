/**
 * Reading blobs from the bucket, every byte checked against the digest: whole (`read`), as a
 * verified local copy (`verifiedPath`, what the server streams and serves `Range` from), or as a
 * byte span (`openRange`, after the whole object was hashed once by this process).
 */
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { GoldgenError } from '../../src/core/errors.ts'
import { type Bucket, missing } from './bucket.ts'

export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer)
    bytes += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), bytes }
}

/** Digest mismatches, told apart from missing blobs so that a read can be tried again. */
const mismatches = new WeakSet<object>()

const corrupted = (sha256: string, actual: string) => {
  const e = new GoldgenError(
    'INTEGRITY',
    `blob ${sha256.slice(0, 12)}… is corrupted: its content hashes to ${actual.slice(0, 12)}…; restore it from a backup or publish it again`,
  )
  mismatches.add(e)
  return e
}

/**
 * Runs a verified read, reading again (twice, 100 and 200 ms later) when the bytes fail their
 * digest. A content-addressed object never legitimately changes, but some S3-compatible stores
 * overwrite non-atomically, so another replica storing the same (identical) blob can make a
 * concurrent read come up short for a moment. Bytes that fail the digest are never returned.
 */
async function settled<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read()
    } catch (e) {
      if (attempt >= 2 || !mismatches.has(e as object)) throw e
      await new Promise((done) => setTimeout(done, 100 * (attempt + 1)))
    }
  }
}

export function reader(b: Bucket, cacheDir: string) {
  const cacheTmp = join(cacheDir, 'tmp')
  mkdirSync(cacheTmp, { recursive: true })
  const get = async (sha256: string, range?: string): Promise<Readable> => {
    try {
      const out = await b.client.send(
        new b.s3.GetObjectCommand({ Bucket: b.bucket, Key: b.keyOf(sha256), Range: range }),
      )
      return out.Body as Readable
    } catch (e) {
      if (missing(e))
        throw new GoldgenError('INTEGRITY', `blob ${sha256.slice(0, 12)}… is missing from the registry`, {
          cause: e,
        })
      throw b.io(`cannot read blob ${sha256.slice(0, 12)}…`, e)
    }
  }
  // Local verified copies, keyed by what a change to the file would change.
  const verified = new Map<string, string>()
  /** Blobs whose stored object this process hashed whole (content-addressed keys never change). */
  const checkedRemote = new Set<string>()
  const fingerprint = (path: string) => {
    const s = statSync(path, { bigint: true })
    return `${s.size}:${s.ino}:${s.mtimeNs}`
  }
  const cachePath = (sha256: string) => join(cacheDir, sha256.slice(0, 2), sha256.slice(2))
  const download = async (sha256: string, path: string) => {
    const tmp = join(cacheTmp, b.fresh())
    const hash = createHash('sha256')
    try {
      await pipeline(
        await get(sha256),
        async function* (source) {
          for await (const chunk of source) {
            hash.update(chunk as Buffer)
            yield chunk
          }
        },
        createWriteStream(tmp),
      )
    } catch (e) {
      rmSync(tmp, { force: true })
      if (e instanceof GoldgenError) throw e
      throw b.io(`cannot read blob ${sha256.slice(0, 12)}…`, e)
    }
    const actual = hash.digest('hex')
    if (actual !== sha256) {
      rmSync(tmp, { force: true })
      throw corrupted(sha256, actual)
    }
    mkdirSync(join(cacheDir, sha256.slice(0, 2)), { recursive: true })
    renameSync(tmp, path)
  }
  const readWhole = async (sha256: string): Promise<Uint8Array> => {
    const chunks: Buffer[] = []
    try {
      for await (const c of await get(sha256)) chunks.push(c as Buffer)
    } catch (e) {
      if (e instanceof GoldgenError) throw e
      throw b.io(`cannot read blob ${sha256.slice(0, 12)}…`, e)
    }
    const data = Buffer.concat(chunks)
    const actual = createHash('sha256').update(data).digest('hex')
    if (actual !== sha256) throw corrupted(sha256, actual)
    return new Uint8Array(data.buffer, data.byteOffset, data.length)
  }
  return {
    read: (sha256: string): Promise<Uint8Array> => settled(() => readWhole(sha256)),
    async verifiedPath(sha256: string): Promise<string> {
      const path = cachePath(sha256)
      try {
        if (verified.get(sha256) === fingerprint(path)) return path
        if ((await hashFile(path)).sha256 === sha256) {
          verified.set(sha256, fingerprint(path))
          return path
        }
      } catch {
        // not cached yet
      }
      await settled(() => download(sha256, path))
      verified.set(sha256, fingerprint(path))
      return path
    },
    async openRange(sha256: string, start: number, end: number): Promise<Readable> {
      // A span cannot be checked alone: the whole object is hashed once per process first.
      if (!checkedRemote.has(sha256)) {
        const hash = createHash('sha256')
        for await (const c of await get(sha256)) hash.update(c as Buffer)
        const actual = hash.digest('hex')
        if (actual !== sha256) throw corrupted(sha256, actual)
        checkedRemote.add(sha256)
      }
      return get(sha256, `bytes=${start}-${end}`)
    },
    forget(sha256: string) {
      verified.delete(sha256)
      checkedRemote.delete(sha256)
      rmSync(cachePath(sha256), { force: true })
    },
  }
}
