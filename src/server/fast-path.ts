/**
 * The hot path of fixture serving, for the node:http binding in `listen.ts`: an anonymous GET or
 * HEAD of a numbered version's data whose representation the app has already put in the shared
 * cache is answered from precomputed headers, without routing or validation — for every size:
 * small representations from their verified bytes in memory, larger ones from their file, whose
 * stat fingerprint is checked before each answer (a 304 included) and whose chunks are checked as
 * they are streamed (`file-body.ts`). A file that no longer looks as verified goes to the app,
 * which verifies it again or refuses it. The answer is the one the app gives (test/server.test.ts
 * and test/fast-path-files.test.ts compare them).
 */
import type { RepresentationCache } from './cache.ts'
import type { AppOptions } from './context.ts'
import { type FileCheck, stillChecked } from './file-body.ts'
import { blobHeaders, matchesEtag, negotiate } from './http.ts'

const FAST_DATA = /^\/v1\/datasets\/([^/?]+)\/versions\/([1-9][0-9]*)\/data(?:\?format=([a-z-]+))?$/

/**
 * Answers a request from the cache, or returns undefined to send it to the app: anything but an
 * anonymous GET/HEAD without Range of a numbered version's data, the first request for each
 * representation (which fills the cache through the app), and a file that changed since.
 */
export function fastDataResponse(
  cache: RepresentationCache,
  options: AppOptions,
  method: string,
  url: string,
  headers: {
    accept?: string | undefined
    'if-none-match'?: string | undefined
    range?: string | undefined
    authorization?: string | undefined
  },
): FastResponse | undefined {
  if ((method !== 'GET' && method !== 'HEAD') || options.readTokenRequired === true) return undefined
  if (headers.authorization !== undefined || headers.range !== undefined) return undefined
  // Responses are fixed per (URL, Accept) once the representation is cached: look them up.
  const key = `${url}\n${headers.accept ?? ''}`
  let entries = fastEntries.get(cache)
  if (entries === undefined) {
    entries = new Map()
    fastEntries.set(cache, entries)
  }
  let entry = entries.get(key)
  if (entry === undefined) {
    entry = fastEntry(cache, options, url, headers.accept)
    if (entry === undefined) return undefined
    if (entries.size >= 10_000) entries.clear()
    entries.set(key, entry)
  }
  const file = entry.file
  if (file !== undefined && !stillChecked(file)) {
    // Changed on disk since it was verified: the app verifies it again (or refuses it).
    entries.delete(key)
    return undefined
  }
  const ifNoneMatch = headers['if-none-match']
  if (ifNoneMatch !== undefined && (ifNoneMatch === entry.etag || matchesEtag(ifNoneMatch, entry.etag))) {
    return { status: 304, headers: entry.notModified, body: undefined }
  }
  if (method === 'HEAD') return { status: 200, headers: entry.ok, body: undefined }
  return file === undefined
    ? { status: 200, headers: entry.ok, body: entry.bytes }
    : { status: 200, headers: entry.ok, body: undefined, file }
}

/** A fast answer: its status and headers, and its body as bytes or as a checked file to stream. */
export interface FastResponse {
  status: 200 | 304
  headers: Record<string, string>
  body: Uint8Array | undefined
  /** For a 200 GET of a representation not held in memory: the file to stream with its check. */
  file?: FileCheck
}

/** The precomputed answers for one (URL, Accept): a 304's headers, a 200's headers and body. */
interface FastEntry {
  etag: string
  notModified: Record<string, string>
  ok: Record<string, string>
  bytes: Uint8Array | undefined
  file: FileCheck | undefined
}
const fastEntries = new WeakMap<RepresentationCache, Map<string, FastEntry>>()

function fastEntry(
  cache: RepresentationCache,
  options: AppOptions,
  url: string,
  accept: string | undefined,
): FastEntry | undefined {
  const base = options.base ?? ''
  if (!url.startsWith(base)) return undefined
  const m = FAST_DATA.exec(url.slice(base.length))
  if (m === null) return undefined
  let name: string
  try {
    name = decodeURIComponent(m[1]!)
  } catch {
    return undefined
  }
  const format = negotiate(m[3], accept)
  if (format === undefined) return undefined
  const blob = cache.peek(`${name}@${m[2]}`, format)
  if (blob === undefined || (blob.bytes === undefined && blob.check === undefined)) return undefined
  const notModified = blobHeaders(blob)
  const ok = {
    ...notModified,
    'content-digest': notModified['repr-digest']!,
    'content-length': String(blob.bytes?.length ?? blob.check!.size),
  }
  return {
    etag: notModified.etag!,
    notModified,
    ok,
    bytes: blob.bytes,
    file: blob.bytes ? undefined : blob.check,
  }
}
