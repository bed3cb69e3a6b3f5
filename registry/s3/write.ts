/**
 * Writing blobs to the bucket so that nothing is visible under a digest's key until it is whole:
 * upload to a staging key (multipart when large, via @aws-sdk/lib-storage), check the stored
 * length (a store that kept checksum framing inside the object is refused), copy to the final
 * key, delete the staging key. Content already stored whole is not uploaded again.
 */
import type { Readable } from 'node:stream'
import { GoldgenError } from '../../src/core/errors.ts'
import type { Bucket } from './bucket.ts'

/** CopyObject's limit; larger blobs go straight to their key (multipart completion is atomic). */
const COPY_LIMIT = 5 * 1024 ** 3

export type Place = (
  digest: { sha256: string; bytes: number },
  body: () => Uint8Array | Readable,
) => Promise<{ sha256: string; bytes: number }>

export async function writer(b: Bucket, partSize = 8 * 1024 * 1024): Promise<Place> {
  const { Upload } = await import('@aws-sdk/lib-storage')
  const { client, s3, bucket } = b
  const upload = async (key: string, body: Uint8Array | Readable) => {
    await new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: body },
      partSize,
      queueSize: 4,
      leavePartsOnError: false,
    }).done()
  }
  return async (digest, body) => {
    const key = b.keyOf(digest.sha256)
    if ((await b.sizeOf(key)) === digest.bytes) return digest
    try {
      if (digest.bytes > COPY_LIMIT) {
        await upload(key, body())
        return digest
      }
      const staging = `${b.base}staging/${b.fresh()}`
      await upload(staging, body())
      try {
        const stored = await b.sizeOf(staging)
        if (stored !== digest.bytes)
          throw new GoldgenError(
            'IO',
            `the blob store ${b.shown} kept ${stored} bytes of a ${digest.bytes}-byte upload (checksum framing stored inside the object?); use the checksum mode "required" (?checksums=required or GOLDGEN_S3_CHECKSUMS=required)`,
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
      throw b.io(`cannot store blob ${digest.sha256.slice(0, 12)}…`, e)
    }
    return digest
  }
}
