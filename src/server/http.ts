/**
 * The HTTP helpers every route shares: RFC 9457 problems and the error-code → status table,
 * content negotiation (?format= or Accept), the headers of a stored representation, and serving
 * one with its strong ETag, conditional requests and byte ranges. Nothing here knows a route.
 */
import { statSync } from 'node:fs'
import type { Context } from 'hono'
import { GoldgenError, type GoldgenErrorCode } from '../core/errors.ts'
import { type FormatName, formats } from '../formats/index.ts'
import type { FileCheck } from './file-body.ts'
import { verifiedStream } from './verified-stream.ts'

/** HTTP status for each error code (the CLI has its own table of exit codes). */
export const httpStatus: Record<GoldgenErrorCode, number> = {
  // Errors about what a client sent are 4xx; the registry's own failures are 5xx.
  USAGE: 400,
  SCHEMA_INVALID: 422,
  PARSE: 422,
  NOT_FOUND: 404,
  NOT_SUPPORTED: 422,
  CONFLICT: 409,
  IO: 500,
  INTEGRITY: 500,
  INTERNAL: 500,
}

const slug = (code: string) => code.toLowerCase().replaceAll('_', '-')

/** An RFC 9457 problem response. */
export function problem(
  c: Context,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Response {
  return c.body(
    JSON.stringify({
      type: `https://goldgen.dev/problems/${slug(code)}`,
      title: code.replaceAll('_', ' ').toLowerCase(),
      status,
      detail,
      code,
      ...extra,
    }),
    status as 400,
    {
      'content-type': 'application/problem+json',
    },
  )
}

/** Media types goldgen serves, and the format each selects. */
export const mediaTypes: Record<string, FormatName> = {
  'application/vnd.apache.arrow.stream': 'arrow',
  'application/vnd.apache.arrow.file': 'arrow-file',
  'text/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/json': 'json',
  'application/vnd.apache.parquet': 'parquet',
}

/** Picks a format from ?format= or the Accept header (by q-value); undefined when nothing acceptable. */
export function negotiate(query: string | undefined, accept: string | undefined): FormatName | undefined {
  if (query !== undefined)
    return (Object.keys(formats) as FormatName[]).includes(query as FormatName)
      ? (query as FormatName)
      : undefined
  if (accept === undefined || accept.trim() === '') return 'arrow'
  const ranges = accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.trim().split(';')
      const q = Number(
        params
          .map((p) => p.trim())
          .find((p) => p.startsWith('q='))
          ?.slice(2) ?? 1,
      )
      return { type: type!.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, i }
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
  for (const r of ranges) {
    if (r.type === '*/*' || r.type === 'application/*') return 'arrow'
    if (r.type === 'text/*') return 'csv'
    const format = mediaTypes[r.type]
    if (format !== undefined) return format
  }
  return undefined
}

/** The Cache-Control of what never changes: numbered versions and their data. */
export const IMMUTABLE = 'public, max-age=31536000, immutable'

/**
 * A stored, verified representation: its file, digest and media type, and its bytes when held in
 * memory, or else the check the fast path streams its file with.
 */
export type Representation = {
  path: string
  sha256: string
  mediaType: string
  bytes?: Uint8Array<ArrayBuffer> | undefined
  check?: FileCheck | undefined
}

/** The headers of a stored representation, the same on every path that serves it. */
export function blobHeaders(blob: Representation): Record<string, string> {
  return {
    etag: `"${blob.sha256}"`,
    'cache-control': IMMUTABLE,
    'accept-ranges': 'bytes',
    'repr-digest': `sha-256=:${Buffer.from(blob.sha256, 'hex').toString('base64')}:`,
    'content-type': blob.mediaType,
    vary: 'accept',
  }
}

/** Whether an If-None-Match header matches a strong ETag (weak comparison, as RFC 9110 asks). */
export const matchesEtag = (ifNoneMatch: string, etag: string) =>
  ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)

/**
 * Reads a Range header against a body of `size` bytes: the inclusive byte span asked for,
 * 'unsatisfiable' (a 416), or undefined to serve the whole body — several ranges or a malformed
 * header are ignored, as RFC 9110 allows.
 */
export function parseRange(
  range: string,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim())
  if (m === null || (m[1] === '' && m[2] === '')) return undefined
  let start: number
  let end: number
  if (m[1] === '') {
    start = Math.max(size - Number(m[2]), 0)
    end = size - 1
  } else {
    start = Number(m[1])
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  }
  if (start >= size || start > end || (m[1] === '' && Number(m[2]) === 0)) return 'unsatisfiable'
  return { start, end }
}

/**
 * Serves a verified blob with a strong ETag (its digest), conditional requests and byte ranges;
 * a blob streamed from disk is hashed as it goes and the response aborted on a mismatch.
 */
export function serveBlob(c: Context, blob: Representation): Response {
  const headers = blobHeaders(blob)
  const etag = headers.etag!
  const digest = headers['repr-digest']!
  const ifNoneMatch = c.req.header('if-none-match')
  if (ifNoneMatch !== undefined && matchesEtag(ifNoneMatch, etag)) {
    return c.body(null, 304, headers)
  }
  const size = blob.bytes?.length ?? statSync(blob.path).size
  const range = c.req.header('range')
  const ifRange = c.req.header('if-range')
  const span =
    range !== undefined && (ifRange === undefined || ifRange === etag) ? parseRange(range, size) : undefined
  if (span === 'unsatisfiable') {
    return c.body(null, 416, { ...headers, 'content-range': `bytes */${size}` })
  }
  if (span !== undefined) {
    const { start, end } = span
    const body =
      blob.bytes !== undefined
        ? blob.bytes.subarray(start, end + 1)
        : verifiedStream(blob.path, blob.sha256, span)
    return c.body(body, 206, {
      ...headers,
      'content-range': `bytes ${start}-${end}/${size}`,
      'content-length': String(end - start + 1),
    })
  }
  const body = blob.bytes ?? verifiedStream(blob.path, blob.sha256)
  return c.body(body, 200, { ...headers, 'content-digest': digest, 'content-length': String(size) })
}

/**
 * A route's validated JSON body. The validator skips bodies not sent as application/json and
 * leaves them undefined; such a request is the client's mistake (400), not a crash.
 */
export function requiredJson<T>(body: T | undefined): T {
  if (body === undefined || body === null)
    throw new GoldgenError('USAGE', 'the body must be a JSON object sent with Content-Type: application/json')
  return body
}
