/**
 * The typed HTTP client for regression tests (`goldgen/client`).
 *
 * - Every download is checked: its SHA-256 must equal the server's strong ETag (the content
 *   digest), else an INTEGRITY error; nothing unverified is returned or cached.
 * - A content-addressed cache (`cacheDir/objects/<sha256>`) makes a second fetch of the same
 *   content free.
 * - A lock file pins each reference to the digest it resolved to the first time, so a test keeps
 *   the same bytes after an alias moves; `offline: true` never touches the network and fails
 *   clearly on a cache miss.
 *
 * @example
 * ```ts
 * import { createClient } from 'goldgen/client'
 * const client = createClient({ baseUrl: 'http://127.0.0.1:8787', cacheDir: '.goldgen-cache', lockFile: 'goldgen.lock' })
 * const rows = await client.dataset('churn@prod').rows()
 * const [fixture] = await client.fixtures('churn-model@1.2.0')
 * ```
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { GoldgenError } from '../core/errors.ts'
import { fromJson } from '../core/values.ts'
import type { DataRow } from '../formats/read.ts'

export type ClientFormat = 'arrow' | 'arrow-file' | 'csv' | 'jsonl' | 'json'

export interface ClientOptions {
  baseUrl: string
  /** A bearer token (for servers that require one for reads). */
  token?: string | undefined
  /** Where downloaded content is cached by digest (default: no cache). */
  cacheDir?: string | undefined
  /** A lock file pinning references to digests (default: none). */
  lockFile?: string | undefined
  /** Never touch the network: answer from the lock file and cache, or fail. */
  offline?: boolean | undefined
  /** The fetch implementation (default: the global fetch). */
  fetch?: typeof fetch | undefined
}

interface LockEntry {
  url: string
  sha256: string
  mediaType: string
}

interface LockFile {
  lockVersion: 1
  entries: Record<string, LockEntry>
}

export interface Fixture {
  dataset: string
  rows: number
  tolerances: Record<string, { kind: 'exact' | 'atol' | 'rtol'; value?: number }>
  /** The input rows. */
  data(): Promise<DataRow[]>
  /** The expected output rows. */
  expected(): Promise<DataRow[]>
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
/** Parses JSONL or CSV bytes into rows (values typed as goldgen writes them). */
async function parseRows(bytes: Uint8Array, mediaType: string): Promise<DataRow[]> {
  const text = Buffer.from(bytes).toString('utf8')
  if (mediaType.startsWith('text/csv')) {
    const { parse } = await import('csv-parse/sync')
    const { parseCell } = await import('../formats/read.ts')
    const records = parse(text, { columns: true, bom: true }) as Record<string, string>[]
    return records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, parseCell(v)])))
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) =>
      Object.fromEntries(
        Object.entries(JSON.parse(l) as Record<string, unknown>).map(([k, v]) => [k, fromJson(v)]),
      ),
    )
}

export function createClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const headers: Record<string, string> =
    options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }

  const readLock = (): LockFile => {
    if (options.lockFile === undefined || !existsSync(options.lockFile))
      return { lockVersion: 1, entries: {} }
    return JSON.parse(readFileSync(options.lockFile, 'utf8')) as LockFile
  }
  const writeAtomic = (path: string, data: Uint8Array | string) => {
    mkdirSync(dirname(path), { recursive: true })
    const tmp = `${path}.tmp-${process.pid}-${Date.now()}`
    writeFileSync(tmp, data)
    renameSync(tmp, path)
  }
  const pin = (key: string, entry: LockEntry) => {
    if (options.lockFile === undefined) return
    const lock = readLock()
    lock.entries[key] = entry
    const sorted = Object.fromEntries(Object.entries(lock.entries).sort(([a], [b]) => (a < b ? -1 : 1)))
    writeAtomic(options.lockFile, `${JSON.stringify({ lockVersion: 1, entries: sorted }, null, 2)}\n`)
  }
  const cachePath = (digest: string) =>
    options.cacheDir === undefined ? undefined : join(options.cacheDir, 'objects', digest)
  const fromCache = (digest: string): Uint8Array | undefined => {
    const path = cachePath(digest)
    if (path === undefined || !existsSync(path)) return undefined
    const bytes = readFileSync(path)
    // A cached file that no longer matches its name is ignored (and replaced on the next download).
    return sha256(bytes) === digest ? bytes : undefined
  }

  const request = async (path: string, accept?: string): Promise<Response> => {
    if (options.offline === true)
      throw new GoldgenError('NOT_FOUND', `offline: ${path} is not in the cache or lock file`)
    let response: Response
    try {
      response = await doFetch(`${base}${path}`, {
        headers: { ...headers, ...(accept === undefined ? {} : { accept }) },
      })
    } catch (e) {
      throw new GoldgenError('IO', `cannot reach the goldgen server at ${base}: ${(e as Error).message}`, {
        cause: e,
      })
    }
    if (!response.ok) {
      let detail = `${response.status} ${response.statusText}`
      try {
        const body = (await response.json()) as { detail?: string }
        if (body.detail) detail = body.detail
      } catch {
        // not a problem+json body
      }
      throw new GoldgenError(
        response.status === 404 ? 'NOT_FOUND' : response.status < 500 ? 'USAGE' : 'IO',
        `${path}: ${detail}`,
      )
    }
    return response
  }

  /** Downloads (or reads from cache) a URL's content, verified against its digest. */
  const download = async (
    key: string,
    path: string,
  ): Promise<{ bytes: Uint8Array; mediaType: string; sha256: string }> => {
    const locked = readLock().entries[key]
    if (locked !== undefined) {
      const cached = fromCache(locked.sha256)
      if (cached !== undefined) return { bytes: cached, mediaType: locked.mediaType, sha256: locked.sha256 }
      if (options.offline === true)
        throw new GoldgenError(
          'NOT_FOUND',
          `offline: ${key} is pinned to ${locked.sha256.slice(0, 12)}… but that content is not in the cache ${options.cacheDir ?? '(no cacheDir)'}`,
        )
      path = locked.url
    } else if (options.offline === true) {
      throw new GoldgenError(
        'NOT_FOUND',
        `offline: ${key} is not in the lock file ${options.lockFile ?? '(no lockFile)'}`,
      )
    }
    const response = await request(path)
    const etag = response.headers.get('etag')?.replace(/^"|"$/g, '')
    const bytes = new Uint8Array(await response.arrayBuffer())
    const digest = sha256(bytes)
    if (etag === undefined || etag !== digest) {
      throw new GoldgenError(
        'INTEGRITY',
        `the download of ${key} does not match its digest (got ${digest.slice(0, 12)}…, the server said ${etag?.slice(0, 12) ?? 'nothing'}); nothing was cached`,
      )
    }
    if (locked !== undefined && locked.sha256 !== digest) {
      throw new GoldgenError(
        'INTEGRITY',
        `${key} is pinned to ${locked.sha256.slice(0, 12)}… in ${options.lockFile} but the server now serves ${digest.slice(0, 12)}…`,
      )
    }
    const cache = cachePath(digest)
    if (cache !== undefined) writeAtomic(cache, bytes)
    const final = new URL(response.url || `${base}${path}`)
    const mediaType = response.headers.get('content-type') ?? 'application/octet-stream'
    pin(key, { url: final.pathname + final.search, sha256: digest, mediaType })
    return { bytes, mediaType, sha256: digest }
  }

  const dataPath = (ref: string, format: ClientFormat) => {
    const at = ref.indexOf('@')
    const name = at < 0 ? ref : ref.slice(0, at)
    const version = at < 0 ? 'latest' : ref.slice(at + 1)
    return `/v1/datasets/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/data?format=${format}`
  }

  const dataset = (ref: string) => ({
    /** The content in a format (Arrow stream by default), verified. */
    bytes: async (format: ClientFormat = 'arrow') =>
      (await download(`${ref}#${format}`, dataPath(ref, format))).bytes,
    /** An apache-arrow Table. */
    arrow: async () => {
      const { tableFromIPC } = await import('apache-arrow')
      return tableFromIPC((await download(`${ref}#arrow`, dataPath(ref, 'arrow'))).bytes)
    },
    /** Rows as plain objects (from JSONL). */
    rows: async () => {
      const got = await download(`${ref}#jsonl`, dataPath(ref, 'jsonl'))
      return parseRows(got.bytes, 'application/x-ndjson')
    },
    /** The digest this reference resolves to (in the given format). */
    digest: async (format: ClientFormat = 'arrow') =>
      (await download(`${ref}#${format}`, dataPath(ref, format))).sha256,
  })

  return {
    dataset,
    /** The datasets bound to a model version, with their expected outputs and tolerances. */
    async fixtures(modelRef: string): Promise<Fixture[]> {
      const at = modelRef.indexOf('@')
      if (at < 0)
        throw new GoldgenError(
          'USAGE',
          `malformed model reference ${JSON.stringify(modelRef)}: expected MODEL@VERSION`,
        )
      const key = `${modelRef}#fixtures`
      const path = `/v1/models/${encodeURIComponent(modelRef.slice(0, at))}/versions/${encodeURIComponent(modelRef.slice(at + 1))}/fixtures`
      let list: {
        dataset: string
        rows: number
        tolerances: Fixture['tolerances']
        links: { expected: string }
      }[]
      const locked = readLock().entries[key]
      const cached = locked === undefined ? undefined : fromCache(locked.sha256)
      if (cached !== undefined) list = JSON.parse(Buffer.from(cached).toString('utf8'))
      else {
        const body = new Uint8Array(await (await request(path)).arrayBuffer())
        const digest = sha256(body)
        const cache = cachePath(digest)
        if (cache !== undefined) writeAtomic(cache, body)
        pin(key, { url: path, sha256: digest, mediaType: 'application/json' })
        list = JSON.parse(Buffer.from(body).toString('utf8'))
      }
      return list.map((f) => ({
        dataset: f.dataset,
        rows: f.rows,
        tolerances: f.tolerances,
        data: () => dataset(f.dataset).rows(),
        expected: async () => {
          const got = await download(`${modelRef} ${f.dataset}#expected`, f.links.expected)
          return parseRows(got.bytes, got.mediaType)
        },
      }))
    },
  }
}

export type Client = ReturnType<typeof createClient>
