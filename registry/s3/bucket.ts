/**
 * What the S3 blob driver's parts share: the client and the SDK's commands, the bucket and key
 * prefix, a blob's key, and errors that name the store (its URL and endpoint, never a secret).
 * `openBucket` checks that the bucket answers before anything else.
 */
import type { S3Client } from '@aws-sdk/client-s3'
import { GoldgenError } from '../../src/core/errors.ts'
import { type ChecksumMode, endpointOf, makeS3Client, parseS3Url } from './client.ts'

const DIGEST = /^[0-9a-f]{64}$/

export interface Bucket {
  client: S3Client
  s3: typeof import('@aws-sdk/client-s3')
  bucket: string
  /** The key prefix with its trailing slash ('' for the bucket's root). */
  base: string
  /** The blob store's URL and endpoint, for messages. */
  shown: string
  keyOf(sha256: string): string
  /** An IO error naming the store. */
  io(what: string, e: unknown): GoldgenError
  /** The size of what is stored under `key`, or undefined when nothing is. */
  sizeOf(key: string): Promise<number | undefined>
  /** A unique name for a staging key or file. */
  fresh(): string
}

/** Whether an SDK error means "no such key / bucket". */
export const missing = (e: unknown) => {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } }
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404
}

export async function openBucket(
  url: string,
  options: { checksums?: ChecksumMode | undefined; endpoint?: string | undefined },
): Promise<Bucket> {
  const loc = parseS3Url(url)
  const client = await makeS3Client({
    checksums: options.checksums ?? loc.checksums,
    endpoint: options.endpoint,
  })
  const s3 = await import('@aws-sdk/client-s3')
  const { bucket } = loc
  const endpoint = endpointOf(options)
  const shown = `${url}${endpoint ? ` (endpoint ${endpoint})` : ''}`
  try {
    await client.send(new s3.HeadBucketCommand({ Bucket: bucket }))
  } catch (e) {
    client.destroy()
    const why = missing(e) ? 'the bucket does not exist' : (e as Error).message || (e as Error).name
    throw new GoldgenError('IO', `cannot reach the blob store ${shown}: ${why}`, { cause: e })
  }
  const base = loc.prefix === '' ? '' : `${loc.prefix}/`
  const io = (what: string, e: unknown) =>
    new GoldgenError(
      'IO',
      `${what} in the blob store ${shown}: ${(e as Error).message || (e as Error).name}`,
      {
        cause: e,
      },
    )
  return {
    client,
    s3,
    bucket,
    base,
    shown,
    io,
    keyOf(sha256) {
      if (!DIGEST.test(sha256)) throw new GoldgenError('INTERNAL', `not a SHA-256 digest: ${sha256}`)
      return `${base}objects/${sha256.slice(0, 2)}/${sha256.slice(2)}`
    },
    async sizeOf(key) {
      try {
        return (await client.send(new s3.HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength
      } catch (e) {
        if (missing(e)) return undefined
        throw io(`cannot look up ${key}`, e)
      }
    },
    fresh: () => `${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2)}`,
  }
}
