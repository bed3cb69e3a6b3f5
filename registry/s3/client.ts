/**
 * The S3 client for the blob driver, from an `s3://bucket/prefix` URL and the usual AWS
 * environment (AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_S3, AWS_REGION, AWS_ACCESS_KEY_ID, …), with
 * the checksum mode as a setting: `WHEN_REQUIRED` (the default; plain uploads that every
 * S3-compatible store keeps byte for byte) or `WHEN_SUPPORTED` (the SDK's CRC checksums and
 * aws-chunked uploads, for stores that handle them). The AWS SDK loads only here.
 */
import type { S3Client } from '@aws-sdk/client-s3'
import { GoldgenError } from '../../src/core/errors.ts'

export type ChecksumMode = 'WHEN_REQUIRED' | 'WHEN_SUPPORTED'

export interface S3Location {
  bucket: string
  /** Key prefix without leading or trailing slashes ('' for the bucket's root). */
  prefix: string
  /** From the URL's `?checksums=required|supported`, when given. */
  checksums?: ChecksumMode
}

const CHECKSUM_NAMES: Record<string, ChecksumMode> = {
  required: 'WHEN_REQUIRED',
  when_required: 'WHEN_REQUIRED',
  supported: 'WHEN_SUPPORTED',
  when_supported: 'WHEN_SUPPORTED',
}

/** Reads a checksum mode's name (required / supported, either spelling); USAGE error otherwise. */
export function checksumMode(name: string, where: string): ChecksumMode {
  const mode = CHECKSUM_NAMES[name.toLowerCase()]
  if (mode === undefined)
    throw new GoldgenError(
      'USAGE',
      `${where}: unknown checksum mode ${JSON.stringify(name)}; expected required or supported`,
    )
  return mode
}

/** Parses `s3://bucket/prefix[?checksums=required|supported]`. */
export function parseS3Url(url: string): S3Location {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new GoldgenError(
      'USAGE',
      `malformed blob store URL ${JSON.stringify(url)}: expected s3://bucket/prefix`,
    )
  }
  if (u.protocol !== 's3:' || u.hostname === '')
    throw new GoldgenError(
      'USAGE',
      `malformed blob store URL ${JSON.stringify(url)}: expected s3://bucket/prefix`,
    )
  const loc: S3Location = {
    bucket: u.hostname,
    prefix: decodeURIComponent(u.pathname).replace(/^\/+|\/+$/g, ''),
  }
  const mode = u.searchParams.get('checksums')
  if (mode !== null) loc.checksums = checksumMode(mode, url)
  return loc
}

export interface S3ClientOptions {
  checksums?: ChecksumMode | undefined
  /** Overrides AWS_ENDPOINT_URL(_S3). */
  endpoint?: string | undefined
}

/** The endpoint in use (for messages): explicit, from the environment, or AWS's own. */
export function endpointOf(options: S3ClientOptions = {}): string | undefined {
  return options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL
}

export async function makeS3Client(options: S3ClientOptions = {}): Promise<S3Client> {
  // The SDK warns on stderr about Node versions it will drop later; goldgen speaks for itself.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const { S3Client } = await import('@aws-sdk/client-s3')
  const endpoint = endpointOf(options)
  const mode =
    options.checksums ??
    (process.env.GOLDGEN_S3_CHECKSUMS
      ? checksumMode(process.env.GOLDGEN_S3_CHECKSUMS, 'GOLDGEN_S3_CHECKSUMS')
      : 'WHEN_REQUIRED')
  return new S3Client({
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
    requestChecksumCalculation: mode,
    responseChecksumValidation: mode,
    maxAttempts: 3,
  })
}
