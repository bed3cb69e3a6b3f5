/**
 * Content-addressed blob storage in an S3-compatible bucket: a blob lives under
 * `<prefix>/objects/ab/cdef…` (its SHA-256). Uploads go to a staging key first (multipart for
 * large blobs, via @aws-sdk/lib-storage), are checked for their length, then copied to the final
 * key, so nothing is visible under a final key until it is whole, even on stores whose plain PUT
 * is not atomic. Every read is checked against the digest; `verifiedPath` keeps a verified local
 * copy (for the server's file-based streaming and Range), `openRange` streams a byte span.
 */
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { S3Client } from '@aws-sdk/client-s3'
import { GoldgenError } from '../../src/core/errors.ts'
import type { BlobStore } from '../stores.ts'
import { type ChecksumMode, endpointOf, makeS3Client, parseS3Url } from './client.ts'

const DIGEST = /^[0-9a-f]{64}$/
/** Staging keys older than this belong to writers that died (no upload takes an hour here). */
const STALE_MS = 60 * 60 * 1000
/** CopyObject's limit; larger blobs are uploaded straight to their key (multipart completion is atomic). */
const COPY_LIMIT = 5 * 1024 ** 3

export interface S3BlobStoreOptions {
  /** A local folder for verified copies of blobs (what `verifiedPath` returns). */
  cacheDir: string
  checksums?: ChecksumMode | undefined
  endpoint?: string | undefined
  /** Multipart part size in bytes (default 8 MiB; S3's minimum is 5 MiB). */
  partSize?: number | undefined
}

export type S3BlobStore = BlobStore & {
  /** A byte span [start, end] (inclusive) of a blob verified whole before, as a stream. */
  openRange(sha256: string, start: number, end: number): Promise<Readable>
  /** The client (for tests: what is stored under a key). */
  client: S3Client
  keyOf(sha256: string): string
  bucket: string
  close(): void
}

const missing = (e: unknown) => {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } }
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404
}

async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer)
    bytes += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), bytes }
}

/** Opens the bucket at `url` (s3://bucket/prefix) and checks that it answers. */
export async function s3BlobStore(url: string, options: S3BlobStoreOptions): Promise<S3BlobStore> {
  const loc = parseS3Url(url)
  const checksums = options.checksums ?? loc.checksums
  const client = await makeS3Client({ checksums, endpoint: options.endpoint })
  const s3 = await import('@aws-sdk/client-s3')
  const { Upload } = await import('@aws-sdk/lib-storage')
  const { bucket } = loc
  const base = loc.prefix === '' ? '' : `${loc.prefix}/`
  const shown = `${url}${endpointOf(options) ? ` (endpoint ${endpointOf(options)})` : ''}`
  const io = (what: string, e: unknown) =>
    new GoldgenError(
      'IO',
      `${what} in the blob store ${shown}: ${(e as Error).message || (e as Error).name}`,
      {
        cause: e,
      },
    )
  try {
    await client.send(new s3.HeadBucketCommand({ Bucket: bucket }))
  } catch (e) {
    client.destroy()
    const why = missing(e) ? 'the bucket does not exist' : (e as Error).message || (e as Error).name
    throw new GoldgenError('IO', `cannot reach the blob store ${shown}: ${why}`, { cause: e })
  }
  const keyOf = (sha256: string) => {
    if (!DIGEST.test(sha256)) throw new GoldgenError('INTERNAL', `not a SHA-256 digest: ${sha256}`)
    return `${base}objects/${sha256.slice(0, 2)}/${sha256.slice(2)}`
  }
  const cacheTmp = join(options.cacheDir, 'tmp')
  mkdirSync(cacheTmp, { recursive: true })
  const fresh = () => `${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2)}`
  const sizeOf = async (key: string): Promise<number | undefined> => {
    try {
      return (await client.send(new s3.HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength
    } catch (e) {
      if (missing(e)) return undefined
      throw io(`cannot look up ${key}`, e)
    }
  }
  const upload = async (key: string, body: Uint8Array | Readable) => {
    const up = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: body },
      partSize: options.partSize ?? 8 * 1024 * 1024,
      queueSize: 4,
      leavePartsOnError: false,
    })
    await up.done()
  }
  /** Puts content of known digest: staging key, length check, copy to the final key. */
  const place = async (digest: { sha256: string; bytes: number }, body: () => Uint8Array | Readable) => {
    const key = keyOf(digest.sha256)
    if ((await sizeOf(key)) === digest.bytes) return digest
    try {
      if (digest.bytes > COPY_LIMIT) {
        await upload(key, body())
        return digest
      }
      const staging = `${base}staging/${fresh()}`
      await upload(staging, body())
      try {
        const stored = await sizeOf(staging)
        if (stored !== digest.bytes)
          throw new GoldgenError(
            'IO',
            `the blob store ${shown} kept ${stored} bytes of a ${digest.bytes}-byte upload (checksum framing stored inside the object?); use the checksum mode "required" (?checksums=required or GOLDGEN_S3_CHECKSUMS=required)`,
          )
        await client.send(
          new s3.CopyObjectCommand({
            Bucket: bucket,
            Key: key,
            CopySource: `${bucket}/${encodeURI(staging)}`,
          }),
        )
      } finally {
        await client.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: staging })).catch(() => {})
      }
    } catch (e) {
      if (e instanceof GoldgenError) throw e
      throw io(`cannot store blob ${digest.sha256.slice(0, 12)}…`, e)
    }
    return digest
  }
  const get = async (sha256: string, range?: string) => {
    try {
      const out = await client.send(
        new s3.GetObjectCommand({ Bucket: bucket, Key: keyOf(sha256), Range: range }),
      )
      return out.Body as Readable
    } catch (e) {
      if (missing(e))
        throw new GoldgenError('INTEGRITY', `blob ${sha256.slice(0, 12)}… is missing from the registry`, {
          cause: e,
        })
      throw io(`cannot read blob ${sha256.slice(0, 12)}…`, e)
    }
  }
  const corrupted = (sha256: string, actual: string) =>
    new GoldgenError(
      'INTEGRITY',
      `blob ${sha256.slice(0, 12)}… is corrupted: its content hashes to ${actual.slice(0, 12)}…; restore it from a backup or publish it again`,
    )
  // Local verified copies, keyed by what a change to the file would change.
  const verified = new Map<string, string>()
  /** Blobs whose stored object was hashed whole by this process (content-addressed keys never change). */
  const checkedRemote = new Set<string>()
  const fingerprint = (path: string) => {
    const s = statSync(path, { bigint: true })
    return `${s.size}:${s.ino}:${s.mtimeNs}`
  }
  const cachePath = (sha256: string) => join(options.cacheDir, sha256.slice(0, 2), sha256.slice(2))
  const verifiedPath = async (sha256: string): Promise<string> => {
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
    const body = await get(sha256)
    const tmp = join(cacheTmp, fresh())
    const hash = createHash('sha256')
    try {
      await pipeline(
        body,
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
      throw io(`cannot read blob ${sha256.slice(0, 12)}…`, e)
    }
    const actual = hash.digest('hex')
    if (actual !== sha256) {
      rmSync(tmp, { force: true })
      throw corrupted(sha256, actual)
    }
    mkdirSync(join(options.cacheDir, sha256.slice(0, 2)), { recursive: true })
    renameSync(tmp, path)
    verified.set(sha256, fingerprint(path))
    return path
  }
  return {
    client,
    bucket,
    keyOf,
    async putFile(path) {
      const digest = await hashFile(path)
      await place(digest, () => createReadStream(path))
      rmSync(path, { force: true })
      return digest
    },
    async putBytes(data) {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
      const digest = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length }
      return place(digest, () => bytes)
    },
    async read(sha256) {
      const chunks: Buffer[] = []
      try {
        for await (const c of await get(sha256)) chunks.push(c as Buffer)
      } catch (e) {
        if (e instanceof GoldgenError) throw e
        throw io(`cannot read blob ${sha256.slice(0, 12)}…`, e)
      }
      const data = Buffer.concat(chunks)
      const actual = createHash('sha256').update(data).digest('hex')
      if (actual !== sha256) throw corrupted(sha256, actual)
      return new Uint8Array(data.buffer, data.byteOffset, data.length)
    },
    verifiedPath,
    async openRange(sha256, start, end) {
      // A span cannot be checked alone: the whole blob is hashed once per process first.
      if (!checkedRemote.has(sha256)) {
        const hash = createHash('sha256')
        for await (const c of await get(sha256)) hash.update(c as Buffer)
        const actual = hash.digest('hex')
        if (actual !== sha256) throw corrupted(sha256, actual)
        checkedRemote.add(sha256)
      }
      return get(sha256, `bytes=${start}-${end}`)
    },
    async has(sha256) {
      return (await sizeOf(keyOf(sha256))) !== undefined
    },
    async list() {
      const out: string[] = []
      let token: string | undefined
      do {
        const page = await client
          .send(
            new s3.ListObjectsV2Command({
              Bucket: bucket,
              Prefix: `${base}objects/`,
              ContinuationToken: token,
            }),
          )
          .catch((e: unknown) => {
            throw io('cannot list blobs', e)
          })
        for (const o of page.Contents ?? []) {
          const m = /objects\/([0-9a-f]{2})\/([0-9a-f]{62})$/.exec(o.Key ?? '')
          if (m) out.push(m[1]! + m[2]!)
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined
      } while (token !== undefined)
      return out.sort()
    },
    async delete(sha256) {
      verified.delete(sha256)
      checkedRemote.delete(sha256)
      rmSync(cachePath(sha256), { force: true })
      await client
        .send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: keyOf(sha256) }))
        .catch((e: unknown) => {
          throw io(`cannot delete blob ${sha256.slice(0, 12)}…`, e)
        })
    },
    async sweep(dryRun) {
      const page = await client.send(
        new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: `${base}staging/` }),
      )
      const stale = (page.Contents ?? [])
        .filter((o) => o.LastModified !== undefined && Date.now() - o.LastModified.getTime() > STALE_MS)
        .map((o) => o.Key!)
      if (!dryRun)
        for (const Key of stale) await client.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key }))
      return stale
    },
    close() {
      client.destroy()
    },
  }
}

/** A blob's bytes as stored under its key, unverified (for tests of what the store kept). */
export async function rawObject(store: S3BlobStore, sha256: string): Promise<Buffer> {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3')
  const out = await store.client.send(
    new GetObjectCommand({ Bucket: store.bucket, Key: store.keyOf(sha256) }),
  )
  return Buffer.from(await out.Body!.transformToByteArray())
}
