/**
 * The HTTP API (read side): a hono app over the registry. `createApp` never listens; only
 * `listen.ts` binds a port, and tests call `app.request()`. Routes are declared once with
 * @hono/zod-openapi, so `/openapi.json` is generated from them. Errors are RFC 9457
 * `application/problem+json` with a stable `type`, never a stack trace.
 */
import { createHash } from 'node:crypto'
import { createReadStream, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Registry } from '../../registry/service.ts'
import { GoldgenError, type GoldgenErrorCode } from '../core/errors.ts'
import { VERSION } from '../core/version.ts'
import { type FormatName, formats } from '../formats/index.ts'

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
const mediaTypes: Record<string, FormatName> = {
  'application/vnd.apache.arrow.stream': 'arrow',
  'application/vnd.apache.arrow.file': 'arrow-file',
  'text/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/json': 'json',
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

const IMMUTABLE = 'public, max-age=31536000, immutable'

/** Serves a verified blob with a strong ETag (its digest), conditional requests and byte ranges. */
function serveBlob(c: Context, blob: Representation): Response {
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
  if (range !== undefined && (ifRange === undefined || ifRange === etag)) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim())
    // Several ranges, or a malformed header, are ignored (RFC 9110 allows serving the whole).
    if (m !== null && (m[1] !== '' || m[2] !== '')) {
      let start: number
      let end: number
      if (m[1] === '') {
        start = Math.max(size - Number(m[2]), 0)
        end = size - 1
      } else {
        start = Number(m[1])
        end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
      }
      if (start >= size || start > end || (m[1] === '' && Number(m[2]) === 0)) {
        return c.body(null, 416, { ...headers, 'content-range': `bytes */${size}` })
      }
      const body =
        blob.bytes !== undefined
          ? blob.bytes.subarray(start, end + 1)
          : (Readable.toWeb(createReadStream(blob.path, { start, end })) as ReadableStream)
      return c.body(body, 206, {
        ...headers,
        'content-range': `bytes ${start}-${end}/${size}`,
        'content-length': String(end - start + 1),
      })
    }
  }
  const body = blob.bytes ?? (Readable.toWeb(createReadStream(blob.path)) as ReadableStream)
  return c.body(body, 200, { ...headers, 'content-digest': digest, 'content-length': String(size) })
}

const Problem = z
  .object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string(), code: z.string() })
  .openapi('Problem')
const problemResponses = {
  400: { description: 'Malformed request', content: { 'application/problem+json': { schema: Problem } } },
  404: { description: 'Not found', content: { 'application/problem+json': { schema: Problem } } },
}
const Version = z
  .object({
    dataset: z.string(),
    version: z.number(),
    sha256: z.string(),
    format: z.string(),
    rows: z.number(),
    createdAt: z.string(),
    links: z.object({ self: z.string(), data: z.string() }),
  })
  .openapi('Version')
const name = z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'churn' })
/** Path parameters naming one fixture: a model version and a dataset version. */
const fixtureParams = z.object({
  name,
  version: z.string().openapi({ param: { name: 'version', in: 'path' } }),
  dataset: z.string().openapi({ param: { name: 'dataset', in: 'path' } }),
  number: z
    .string()
    .regex(/^[1-9][0-9]*$/)
    .openapi({ param: { name: 'number', in: 'path' } }),
})
const ref = z.string().openapi({
  param: { name: 'ref', in: 'path' },
  description: 'a version number, an alias, latest, or sha256:PREFIX',
  example: '3',
})

export interface AppOptions {
  /** Base path the links are built on (default ''). */
  base?: string
  /** Require a token (any scope) for reads too. Writes always need a write or admin token. */
  readTokenRequired?: boolean
  /** Largest request body accepted, in bytes (default 256 MiB); larger bodies get 413. */
  bodyLimit?: number
  /** Memory for verified copies of small representations (default 64 MiB; each at most 1 MiB). */
  memoryCacheBytes?: number
  /** A representation cache to share with the node:http fast path (default: the app's own). */
  cache?: RepresentationCache | undefined
}

const SMALL = 1 << 20

type Actor = { name: string; scope: 'read' | 'write' | 'admin' }
type Env = { Variables: { actor: Actor | undefined } }

const dataTypes: Record<string, string> = {
  'application/vnd.apache.arrow.stream': '.arrow',
  'application/vnd.apache.arrow.file': '.feather',
  'text/csv': '.csv',
  'application/x-ndjson': '.jsonl',
  'application/jsonl': '.jsonl',
}

/** Saves a request body (a data file) to a temporary file named for its media type. */
async function bodyToFile(c: Context, dir: string): Promise<string> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const extension = dataTypes[type]
  if (extension === undefined)
    throw new GoldgenError(
      'USAGE',
      `unsupported Content-Type ${JSON.stringify(type)}; send ${Object.keys(dataTypes).join(', ')}`,
    )
  mkdirSync(dir, { recursive: true })
  const file = join(
    dir,
    `upload-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}${extension}`,
  )
  writeFileSync(file, Buffer.from(await c.req.arrayBuffer()))
  return file
}

type Representation = {
  path: string
  sha256: string
  mediaType: string
  bytes?: Uint8Array<ArrayBuffer> | undefined
}

/**
 * Representations of numbered versions (digest, media type, path), resolved once: numbered
 * versions never change. Small ones are also kept in memory as the verified bytes read from the
 * store (default budget 64 MiB, each at most 1 MiB).
 */
export interface RepresentationCache {
  get(ref: string, format: FormatName): Promise<Representation>
  /** What `get` has already resolved for `ref`+`format`, without touching the registry. */
  peek(ref: string, format: FormatName): Representation | undefined
}

export function createRepresentationCache(
  registry: Registry,
  memoryBytes = 64 * 1024 * 1024,
): RepresentationCache {
  const resolved = new Map<string, Representation>()
  let memoryLeft = memoryBytes
  return {
    peek: (ref, format) => resolved.get(`${ref}#${format}`),
    async get(ref, format) {
      const key = `${ref}#${format}`
      let found = resolved.get(key)
      if (found === undefined) {
        const r = await registry.representation(ref, format)
        found = { path: r.path, sha256: r.sha256, mediaType: r.mediaType }
        const size = statSync(r.path).size
        if (size <= SMALL && size <= memoryLeft) {
          const bytes = new Uint8Array(readFileSync(r.path))
          if (createHash('sha256').update(bytes).digest('hex') === r.sha256) {
            found.bytes = bytes
            memoryLeft -= size
          }
        }
        resolved.set(key, found)
      }
      return found
    },
  }
}

/** The headers of a stored representation, the same on every path that serves it. */
function blobHeaders(blob: Representation): Record<string, string> {
  return {
    etag: `"${blob.sha256}"`,
    'cache-control': IMMUTABLE,
    'accept-ranges': 'bytes',
    'repr-digest': `sha-256=:${Buffer.from(blob.sha256, 'hex').toString('base64')}:`,
    'content-type': blob.mediaType,
    vary: 'accept',
  }
}

const matchesEtag = (ifNoneMatch: string, etag: string) =>
  ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)

const FAST_DATA = /^\/v1\/datasets\/([^/?]+)\/versions\/([1-9][0-9]*)\/data(?:\?format=([a-z-]+))?$/

/**
 * The hot path of fixture serving, for the node:http binding: an anonymous GET or HEAD of a
 * numbered version's data whose representation is already in memory gets its 200 or 304
 * without routing or validation. Everything else (and the first request for each
 * representation, which fills the cache through the app) returns undefined and goes to the app.
 * The response is the one the app gives (test/server.test.ts compares them).
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
): { status: 200 | 304; headers: Record<string, string>; body: Uint8Array | undefined } | undefined {
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
  const ifNoneMatch = headers['if-none-match']
  if (ifNoneMatch !== undefined && (ifNoneMatch === entry.etag || matchesEtag(ifNoneMatch, entry.etag))) {
    return { status: 304, headers: entry.notModified, body: undefined }
  }
  return { status: 200, headers: entry.ok, body: method === 'HEAD' ? undefined : entry.bytes }
}

interface FastEntry {
  etag: string
  notModified: Record<string, string>
  ok: Record<string, string>
  bytes: Uint8Array
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
  if (blob?.bytes === undefined) return undefined
  const notModified = blobHeaders(blob)
  const ok = {
    ...notModified,
    'content-digest': notModified['repr-digest']!,
    'content-length': String(blob.bytes.length),
  }
  return { etag: notModified.etag!, notModified, ok, bytes: blob.bytes }
}

/** Builds the app; it never listens. */
export function createApp(registry: Registry, options: AppOptions = {}) {
  const base = options.base ?? ''
  const cache = options.cache ?? createRepresentationCache(registry, options.memoryCacheBytes)
  const representation = cache.get
  const app = new OpenAPIHono<Env>({
    defaultHook: (result, c) => {
      if (!result.success)
        return problem(
          c,
          400,
          'INVALID_REQUEST',
          result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        )
      return undefined
    },
  })
  const versionJson = (v: Awaited<ReturnType<Registry['resolve']>>) => {
    const self = `${base}/v1/datasets/${v.dataset}/versions/${v.version}`
    return {
      dataset: v.dataset,
      version: v.version,
      sha256: v.sha256,
      format: v.format,
      rows: v.rows,
      createdAt: v.createdAt,
      links: { self, data: `${self}/data` },
    }
  }
  /** Non-numbered refs answer with a redirect to the numbered URL, which is immutable. */
  const redirectIfMovable = async (c: Context, dataset: string, r: string, suffix: string) => {
    if (/^[1-9][0-9]*$/.test(r)) return undefined
    const v = await registry.resolve(`${dataset}@${r}`)
    const query = new URL(c.req.url).search
    return c.body(null, 307, {
      location: `${base}/v1/datasets/${dataset}/versions/${v.version}${suffix}${query}`,
      'cache-control': 'no-cache',
    })
  }

  app.onError((err, c) => {
    if (err instanceof GoldgenError) {
      return problem(
        c,
        httpStatus[err.code],
        err.code,
        err.message,
        err.issues.length > 0 ? { issues: err.issues } : {},
      )
    }
    return problem(
      c,
      500,
      'INTERNAL',
      'goldgen could not answer this request; the server log has the details',
    )
  })
  app.notFound((c) =>
    problem(c, 404, 'NOT_FOUND', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      summary: 'Liveness',
      responses: {
        200: {
          description: 'The server is up',
          content: {
            'application/json': { schema: z.object({ status: z.literal('ok'), version: z.string() }) },
          },
        },
      },
    }),
    (c) => c.json({ status: 'ok' as const, version: VERSION }, 200),
  )

  // Authentication: bearer tokens, checked against their stored hashes.
  app.use('/v1/*', async (c, next) => {
    const header = c.req.header('authorization')
    let actor: Actor | undefined
    if (header !== undefined) {
      const secret = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
      actor = secret === undefined ? undefined : await registry.authenticate(secret)
      if (actor === undefined) {
        c.header('www-authenticate', 'Bearer')
        return problem(
          c,
          401,
          'UNAUTHORIZED',
          'the bearer token is not valid; create one with goldgen token create',
        )
      }
    }
    const write = !['GET', 'HEAD'].includes(c.req.method)
    if (actor === undefined && (write || options.readTokenRequired === true)) {
      c.header('www-authenticate', 'Bearer')
      return problem(
        c,
        401,
        'UNAUTHORIZED',
        `${write ? 'writes' : 'reads'} need Authorization: Bearer <token>`,
      )
    }
    if (write && actor!.scope === 'read')
      return problem(
        c,
        403,
        'FORBIDDEN',
        `the token ${JSON.stringify(actor!.name)} has scope read; writes need write or admin`,
      )
    c.set('actor', actor)
    return next()
  })
  const limit = bodyLimit({
    maxSize: options.bodyLimit ?? 256 * 1024 * 1024,
    onError: (c) =>
      problem(
        c,
        413,
        'PAYLOAD_TOO_LARGE',
        `the request body is larger than the ${options.bodyLimit ?? 256 * 1024 * 1024} bytes this server accepts`,
      ),
  })
  app.use('/v1/*', async (c, next) => (['GET', 'HEAD'].includes(c.req.method) ? next() : limit(c, next)))
  const audit = (c: Context<Env>, action: string, target: string, detail?: unknown) =>
    registry.audit({ actor: c.get('actor')?.name ?? 'anonymous', action, target, detail })
  const uploads = join(registry.dir, 'objects', 'tmp')
  const security = [{ bearer: [] as string[] }]

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/datasets',
      summary: 'Datasets in the registry',
      responses: {
        200: {
          description: 'Datasets',
          content: {
            'application/json': {
              schema: z.array(
                z.object({ name: z.string(), versions: z.number(), latest: z.number().nullable() }),
              ),
            },
          },
        },
      },
    }),
    async (c) =>
      c.json(
        (await registry.list()).map((d) => ({ ...d, links: { self: `${base}/v1/datasets/${d.name}` } })),
        200,
      ),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/datasets/{name}',
      summary: 'A dataset: its versions and aliases',
      request: { params: z.object({ name }) },
      responses: {
        200: {
          description: 'The dataset',
          content: {
            'application/json': {
              schema: z.object({
                name: z.string(),
                versions: z.array(Version),
                aliases: z.record(z.string(), z.number()),
              }),
            },
          },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { name: dataset } = c.req.valid('param')
      // aliases() answers 404 for an unknown dataset, before any other work.
      const aliases = await registry.aliases(dataset)
      const versions = (await registry.versions(dataset)).map(versionJson)
      return c.json({ name: dataset, versions, aliases }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/datasets/{name}/versions',
      summary: "A dataset's versions, oldest first",
      request: { params: z.object({ name }) },
      responses: {
        200: { description: 'Versions', content: { 'application/json': { schema: z.array(Version) } } },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { name: dataset } = c.req.valid('param')
      await registry.resolve(dataset)
      return c.json((await registry.versions(dataset)).map(versionJson), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/datasets/{name}/versions/{ref}',
      summary: 'A version and its manifest (movable refs redirect to the numbered URL)',
      request: { params: z.object({ name, ref }) },
      responses: {
        200: {
          description: 'The version',
          content: {
            'application/json': {
              schema: Version.extend({
                manifest: z.record(z.string(), z.unknown()),
                aliases: z.record(z.string(), z.number()),
              }),
            },
          },
        },
        307: { description: 'Redirect to the numbered version' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param')
      const moved = await redirectIfMovable(c, p.name, p.ref, '')
      if (moved !== undefined) return moved
      const shown = await registry.show(`${p.name}@${p.ref}`)
      c.header('cache-control', IMMUTABLE)
      return c.json(
        {
          ...versionJson(shown.version),
          manifest: shown.manifest as unknown as Record<string, unknown>,
          aliases: shown.aliases,
        },
        200,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/datasets/{name}/versions/{ref}/data',
      summary:
        'The data, in the format chosen by ?format= or Accept; ETag, Range and conditional requests supported',
      request: {
        params: z.object({ name, ref }),
        query: z.object({ format: z.enum(['arrow', 'arrow-file', 'csv', 'jsonl', 'json']).optional() }),
      },
      responses: {
        200: {
          description: 'The data',
          content: Object.fromEntries(
            Object.keys(mediaTypes).map((m) => [m, { schema: z.string().openapi({ format: 'binary' }) }]),
          ),
        },
        206: { description: 'A byte range of the data' },
        304: { description: 'Not modified' },
        307: { description: 'Redirect to the numbered version' },
        406: {
          description: 'No acceptable format',
          content: { 'application/problem+json': { schema: Problem } },
        },
        416: { description: 'Range not satisfiable' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param')
      const format = negotiate(c.req.valid('query').format, c.req.header('accept'))
      if (format === undefined) {
        return problem(
          c,
          406,
          'NOT_ACCEPTABLE',
          `goldgen serves ${Object.keys(mediaTypes).join(', ')}; the Accept header asked for none of them`,
        )
      }
      const moved = await redirectIfMovable(c, p.name, p.ref, '/data')
      if (moved !== undefined) return moved
      return serveBlob(c, await representation(`${p.name}@${p.ref}`, format))
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/models/{name}/versions/{version}/fixtures',
      summary:
        'The datasets bound to a model version, with links to their data and expected outputs, and the tolerances',
      request: {
        params: z.object({
          name,
          version: z.string().openapi({ param: { name: 'version', in: 'path' }, example: '1.2.0' }),
        }),
      },
      responses: {
        200: {
          description: 'Fixtures',
          content: {
            'application/json': {
              schema: z.array(
                z.object({
                  dataset: z.string(),
                  rows: z.number(),
                  tolerances: z.record(z.string(), z.unknown()),
                  links: z.object({ data: z.string(), expected: z.string() }),
                }),
              ),
            },
          },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param')
      const list = await registry.fixtures(`${p.name}@${p.version}`)
      return c.json(
        list.map((e) => ({
          dataset: `${e.dataset.dataset}@${e.dataset.version}`,
          rows: e.rows,
          tolerances: e.tolerances,
          links: {
            data: `${base}/v1/datasets/${e.dataset.dataset}/versions/${e.dataset.version}/data`,
            expected: `${base}/v1/models/${p.name}/versions/${p.version}/fixtures/${e.dataset.dataset}/${e.dataset.version}/expected`,
          },
        })),
        200,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/models/{name}/versions/{version}/fixtures/{dataset}/{number}/expected',
      summary: 'The expected outputs of a model version on a dataset version (as stored)',
      request: {
        params: fixtureParams,
      },
      responses: {
        200: {
          description: 'Expected outputs',
          content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param')
      const found = (await registry.fixtures(`${p.name}@${p.version}`)).find(
        (e) => e.dataset.dataset === p.dataset && e.dataset.version === Number(p.number),
      )
      if (found === undefined)
        return problem(
          c,
          404,
          'NOT_FOUND',
          `${p.name}@${p.version} has no expected outputs for ${p.dataset}@${p.number}`,
        )
      return serveBlob(c, {
        ...(await registry.expectedBlob(found)),
        mediaType: formats[found.format as FormatName].mediaType,
      })
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/datasets/{name}/versions',
      summary:
        'Publish a version: a goldgen schema (JSON; ?seed= and ?rows=) to generate, or a data file (Arrow, CSV, JSONL)',
      security,
      request: {
        params: z.object({ name }),
        query: z.object({
          seed: z.coerce.number().int().min(0).optional(),
          rows: z.coerce.number().int().min(0).optional(),
        }),
      },
      responses: {
        201: { description: 'Published', content: { 'application/json': { schema: Version } } },
        200: {
          description: 'Identical content: the existing version',
          content: { 'application/json': { schema: Version } },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { name: dataset } = c.req.valid('param')
      const query = c.req.valid('query')
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim()
      let result: Awaited<ReturnType<Registry['publishFile']>>
      if (type === 'application/json') {
        const { validateDef } = await import('../../schemas/parse.ts')
        let body: unknown
        try {
          body = await c.req.json()
        } catch {
          throw new GoldgenError('USAGE', 'the body is not valid JSON')
        }
        result = await registry.publishSchema(
          { def: validateDef(body, 'request body') },
          { dataset, seed: query.seed, rows: query.rows },
        )
      } else {
        const file = await bodyToFile(c, uploads)
        try {
          result = await registry.publishFile(file, { dataset })
        } finally {
          rmSync(file, { force: true })
        }
      }
      await audit(c, 'publish', result.ref, { created: result.created, sha256: result.version.sha256 })
      const json = versionJson(result.version)
      c.header('location', json.links.self)
      return c.json(json, result.created ? 201 : 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/datasets/{name}/aliases/{alias}',
      summary: 'Move (or create) an alias; the move is kept in the history',
      security,
      request: {
        params: z.object({
          name,
          alias: z.string().openapi({ param: { name: 'alias', in: 'path' }, example: 'prod' }),
        }),
        body: {
          content: {
            'application/json': {
              schema: z.object({ version: z.union([z.number().int().min(1), z.string()]) }),
            },
          },
          required: true,
        },
      },
      responses: {
        200: {
          description: 'Moved',
          content: {
            'application/json': {
              schema: z.object({ name: z.string(), from: z.number().nullable(), to: z.number() }),
            },
          },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param')
      const { version } = c.req.valid('json')
      const move = await registry.alias(`${p.name}@${version}`, p.alias)
      await audit(c, 'alias', `${p.name}@${p.alias}`, { from: move.from, to: move.to })
      return c.json({ name: move.name, from: move.from, to: move.to }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/models/{name}/versions',
      summary: 'Register a model version',
      security,
      request: {
        params: z.object({ name }),
        body: {
          content: {
            'application/json': {
              schema: z.object({
                version: z.string(),
                metadata: z.record(z.string(), z.string()).optional(),
              }),
            },
          },
          required: true,
        },
      },
      responses: {
        201: {
          description: 'Registered',
          content: { 'application/json': { schema: z.object({ model: z.string(), version: z.string() }) } },
        },
        200: { description: 'Already registered' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { name: model } = c.req.valid('param')
      const body = c.req.valid('json')
      const { record, created } = await registry.addModel(`${model}@${body.version}`, body.metadata ?? {})
      await audit(c, 'model.add', `${model}@${body.version}`, { created })
      return c.json({ model: record.model, version: record.version }, created ? 201 : 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/models/{name}/versions/{version}/fixtures/{dataset}/{number}',
      summary: 'Attach expected outputs (the body: Arrow, CSV or JSONL; ?tolerance=COL=atol:X, repeatable)',
      security,
      request: {
        params: fixtureParams,
      },
      responses: {
        201: { description: 'Attached' },
        200: { description: 'Already attached' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param')
      const { parseTolerances } = await import('../compare/rows.ts')
      const tolerances = parseTolerances(c.req.queries('tolerance') ?? [])
      const file = await bodyToFile(c, uploads)
      try {
        const e = await registry.expect(
          `${p.name}@${p.version}`,
          `${p.dataset}@${p.number}`,
          file,
          tolerances,
        )
        await audit(c, 'expect', `${p.name}@${p.version} ${e.dataset}`, { created: e.created, tolerances })
        return c.json({ model: e.model, version: e.version, dataset: e.dataset }, e.created ? 201 : 200)
      } finally {
        rmSync(file, { force: true })
      }
    },
  )

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' })
  app.doc('/openapi.json', { openapi: '3.0.3', info: { title: 'goldgen fixture server', version: VERSION } })
  return app
}
