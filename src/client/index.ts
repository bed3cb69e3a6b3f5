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
 * const orders = await client.dataset('shop@1').table('orders').rows() // a multi-table version
 * const [fixture] = await client.fixtures('churn-model@1.2.0')
 * ```
 */
import { GoldgenError } from '../core/errors.ts'
import { type DataRow, readRows } from '../formats/read.ts'
import { createDownloader } from './download.ts'
import { type RecordedExpectation, recordExpectation } from './record.ts'
import { localStore, sha256 } from './store.ts'

export type { RecordedExpectation } from './record.ts'

/** A model version's metric expectations on one dataset version (`goldgen expect --metric`). */
export interface MetricExpectations {
  /** `dataset@version`. */
  dataset: string
  metrics: {
    text: string
    name: string
    truth: string
    prediction: string
    op: '>=' | '<=' | '>' | '<'
    bound: number
  }[]
  slices: { text: string; column: string; bins?: number[] }[]
  baseline: { model: string; maxDrop: number } | null
}

export type ClientFormat = 'arrow' | 'arrow-file' | 'csv' | 'jsonl' | 'json' | 'parquet'

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

/** One table of a multi-table version, as `…/tables` lists it. */
export interface TableInfo {
  name: string
  rows: number
  sha256: string
  /** `sha256:HEX`. */
  digest: string
  bytes: number
  format: string
  mediaType: string
  links: { data: string }
}

export interface Fixture {
  /** The model version, `MODEL@VERSION`. */
  model: string
  dataset: string
  rows: number
  tolerances: Record<string, { kind: 'exact' | 'atol' | 'rtol'; value?: number }>
  /** The input rows. */
  data(): Promise<DataRow[]>
  /** The expected output rows. */
  expected(): Promise<DataRow[]>
  /**
   * Records `rows` as this fixture's new expected outputs (same tolerances): a new registry
   * record; the old one is kept (`goldgen expectations MODEL@VERSION`). Needs a write token
   * (`token`, else $GOLDGEN_TOKEN). This model version's lock entries are pinned again on the next read.
   */
  record(rows: DataRow[]): Promise<RecordedExpectation>
}

/** Parses downloaded JSONL or CSV bytes into rows, with the reader goldgen uses for files. */
function parseRows(bytes: Uint8Array, mediaType: string, what: string): Promise<DataRow[]> {
  return readRows(bytes, mediaType.startsWith('text/csv') ? 'csv' : 'jsonl', what)
}

export function createClient(options: ClientOptions) {
  const store = localStore(options)
  const { readLock, pin, fromCache, cachePath, writeAtomic } = store

  const { request, download } = createDownloader(options, store)

  const versionPath = (ref: string) => {
    const at = ref.indexOf('@')
    const name = at < 0 ? ref : ref.slice(0, at)
    const version = at < 0 ? 'latest' : ref.slice(at + 1)
    return `/v1/datasets/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`
  }
  const dataPath = (ref: string, format: ClientFormat) => `${versionPath(ref)}/data?format=${format}`

  /** A JSON listing, pinned in the lock file and cached by digest like data. */
  const listing = async <T>(key: string, path: string): Promise<T> => {
    const locked = readLock().entries[key]
    const cached = locked === undefined ? undefined : fromCache(locked.sha256)
    if (cached !== undefined) return JSON.parse(Buffer.from(cached).toString('utf8')) as T
    const body = new Uint8Array(await (await request(path)).arrayBuffer())
    const digest = sha256(body)
    const cache = cachePath(digest)
    if (cache !== undefined) writeAtomic(cache, body)
    pin(key, { url: path, sha256: digest, mediaType: 'application/json' })
    return JSON.parse(Buffer.from(body).toString('utf8')) as T
  }

  /** Reads of one content URL (a version's data or one table's), each verified. */
  const reads = (key: string, path: (format: ClientFormat) => string, what: string) => ({
    /** The content in a format (Arrow stream by default), verified. */
    bytes: async (format: ClientFormat = 'arrow') => (await download(`${key}#${format}`, path(format))).bytes,
    /** An apache-arrow Table. */
    arrow: async () => {
      const { tableFromIPC } = await import('apache-arrow')
      return tableFromIPC((await download(`${key}#arrow`, path('arrow'))).bytes)
    },
    /** Rows as plain objects (from JSONL). */
    rows: async () => {
      const got = await download(`${key}#jsonl`, path('jsonl'))
      return parseRows(got.bytes, 'application/x-ndjson', what)
    },
    /** The digest this reference resolves to (in the given format). */
    digest: async (format: ClientFormat = 'arrow') =>
      (await download(`${key}#${format}`, path(format))).sha256,
  })

  const dataset = (ref: string) => ({
    ...reads(ref, (format) => dataPath(ref, format), ref),
    /** One table of a multi-table version: bytes(), arrow(), rows(), digest(), as a version offers. */
    table: (name: string) =>
      reads(
        `${ref}/${name}`,
        (format) => `${versionPath(ref)}/tables/${encodeURIComponent(name)}/data?format=${format}`,
        `${ref} table ${name}`,
      ),
    /** A multi-table version's tables: name, rows, digest and links of each. */
    tables: async (): Promise<TableInfo[]> =>
      (await listing<{ tables: TableInfo[] }>(`${ref}#tables`, `${versionPath(ref)}/tables`)).tables,
  })

  return {
    dataset,
    /** A model version's metric expectations, per dataset version (read anew each call). */
    async metricExpectations(modelRef: string): Promise<MetricExpectations[]> {
      const at = modelRef.indexOf('@')
      if (at < 0)
        throw new GoldgenError(
          'USAGE',
          `malformed model reference ${JSON.stringify(modelRef)}: expected MODEL@VERSION`,
        )
      const path = `/v1/models/${encodeURIComponent(modelRef.slice(0, at))}/versions/${encodeURIComponent(modelRef.slice(at + 1))}/metrics`
      return (await (await request(path)).json()) as MetricExpectations[]
    },
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
      const list = await listing<
        { dataset: string; rows: number; tolerances: Fixture['tolerances']; links: { expected: string } }[]
      >(key, path)
      return list.map((f) => ({
        model: modelRef,
        dataset: f.dataset,
        rows: f.rows,
        tolerances: f.tolerances,
        data: () => dataset(f.dataset).rows(),
        expected: async () => {
          const got = await download(`${modelRef} ${f.dataset}#expected`, f.links.expected)
          return parseRows(got.bytes, got.mediaType, `${f.dataset} (expected outputs of ${modelRef})`)
        },
        record: async (rows: DataRow[]) => {
          const fixture = { model: modelRef, dataset: f.dataset, tolerances: f.tolerances }
          const recorded = await recordExpectation(
            options,
            { ...fixture, expectedLink: f.links.expected },
            rows,
          )
          pin(key, undefined)
          pin(`${modelRef} ${f.dataset}#expected`, undefined)
          return recorded
        },
      }))
    },
  }
}

export type Client = ReturnType<typeof createClient>
