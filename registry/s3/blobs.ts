/**
 * Content-addressed blob storage in an S3-compatible bucket: a blob lives under
 * `<prefix>/objects/ab/cdef…` (its SHA-256). Writes (write.ts) go through a staging key and are
 * copied to the final key once whole and of the right length; reads (read.ts) are checked
 * against the digest; `verifiedPath` keeps a verified local copy for the server's streaming and
 * `Range`, `openRange` streams a byte span from the bucket. The bucket and client: bucket.ts.
 */
import { createHash } from 'node:crypto'
import { createReadStream, rmSync } from 'node:fs'
import type { Readable } from 'node:stream'
import type { S3Client } from '@aws-sdk/client-s3'
import type { BlobStore } from '../stores.ts'
import { openBucket } from './bucket.ts'
import type { ChecksumMode } from './client.ts'
import { hashFile, reader } from './read.ts'
import { writer } from './write.ts'

/** Staging keys older than this belong to writers that died (no upload takes an hour here). */
const STALE_MS = 60 * 60 * 1000

export interface S3BlobStoreOptions {
  /** A local folder for verified copies of blobs (what `verifiedPath` returns). */
  cacheDir: string
  checksums?: ChecksumMode | undefined
  endpoint?: string | undefined
  /** Multipart part size in bytes (default 8 MiB; S3's minimum is 5 MiB). */
  partSize?: number | undefined
}

export type S3BlobStore = BlobStore & {
  /** A byte span [start, end] (inclusive) of a blob whose whole content was checked, as a stream. */
  openRange(sha256: string, start: number, end: number): Promise<Readable>
  /** The client (for tests: what is stored under a key). */
  client: S3Client
  keyOf(sha256: string): string
  bucket: string
  close(): void
}

/** Opens the bucket at `url` (s3://bucket/prefix) and checks that it answers. */
export async function s3BlobStore(url: string, options: S3BlobStoreOptions): Promise<S3BlobStore> {
  const b = await openBucket(url, options)
  const place = await writer(b, options.partSize)
  const reads = reader(b, options.cacheDir)
  const { client, s3, bucket } = b
  const listKeys = async (prefix: string) => {
    const out: { key: string; modified: Date | undefined }[] = []
    let token: string | undefined
    do {
      const page = await client
        .send(new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }))
        .catch((e: unknown) => {
          throw b.io('cannot list blobs', e)
        })
      for (const o of page.Contents ?? []) out.push({ key: o.Key ?? '', modified: o.LastModified })
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token !== undefined)
    return out
  }
  return {
    client,
    bucket,
    keyOf: b.keyOf,
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
    read: reads.read,
    verifiedPath: reads.verifiedPath,
    openRange: reads.openRange,
    async has(sha256) {
      return (await b.sizeOf(b.keyOf(sha256))) !== undefined
    },
    async list() {
      const out: string[] = []
      for (const { key } of await listKeys(`${b.base}objects/`)) {
        const m = /objects\/([0-9a-f]{2})\/([0-9a-f]{62})$/.exec(key)
        if (m) out.push(m[1]! + m[2]!)
      }
      return out.sort()
    },
    async delete(sha256) {
      reads.forget(sha256)
      await client
        .send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: b.keyOf(sha256) }))
        .catch((e: unknown) => {
          throw b.io(`cannot delete blob ${sha256.slice(0, 12)}…`, e)
        })
    },
    async sweep(dryRun) {
      const stale = (await listKeys(`${b.base}staging/`))
        .filter((o) => o.modified !== undefined && Date.now() - o.modified.getTime() > STALE_MS)
        .map((o) => o.key)
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
