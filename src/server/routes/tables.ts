/**
 * Routes under /v1/datasets for multi-table versions: the list of a version's tables (name,
 * rows, digest, links, and the referential-integrity report) and one table's data, served by the
 * same handler as `…/data` (data.ts: ETag, 304, Range, negotiation, format conversion). Movable
 * refs redirect to the numbered URL, which never changes.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { type Env, type RouteDeps, redirectIfMovable } from '../context.ts'
import { IMMUTABLE } from '../http.ts'
import { name, problemResponses, ref } from '../openapi.ts'
import { dataResponses, serveData } from './data.ts'

const table = z.string().openapi({ param: { name: 'table', in: 'path' }, example: 'orders' })

const TableEntry = z
  .object({
    name: z.string(),
    rows: z.number(),
    sha256: z.string(),
    digest: z.string().openapi({ description: 'sha256:HEX, the ETag of the stored format' }),
    bytes: z.number(),
    format: z.string(),
    mediaType: z.string(),
    links: z.object({ data: z.string() }),
  })
  .openapi('Table')

const TableList = z
  .object({
    dataset: z.string(),
    version: z.number(),
    tables: z.array(TableEntry),
    integrity: z.unknown(),
    links: z.object({ self: z.string(), version: z.string() }),
  })
  .openapi('TableList')

export function tableRoutes(deps: RouteDeps) {
  const { registry, base } = deps
  const app = new OpenAPIHono<Env>()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{name}/versions/{ref}/tables',
      summary: "A multi-table version's tables: name, rows, digest, links, and the integrity report",
      request: { params: z.object({ name, ref }) },
      responses: {
        200: { description: 'The tables', content: { 'application/json': { schema: TableList } } },
        307: { description: 'Redirect to the numbered version' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param')
      const moved = await redirectIfMovable(deps, c, p.name, p.ref, '/tables')
      if (moved !== undefined) return moved
      const { version: v, tables, integrity } = await registry.tables(`${p.name}@${p.ref}`)
      const self = `${base}/v1/datasets/${v.dataset}/versions/${v.version}`
      c.header('cache-control', IMMUTABLE)
      return c.json(
        {
          dataset: v.dataset,
          version: v.version,
          tables: tables.map((t) => ({
            name: t.name,
            rows: t.rows,
            sha256: t.sha256,
            digest: `sha256:${t.sha256}`,
            bytes: t.bytes,
            format: t.format,
            mediaType: t.mediaType,
            links: { data: `${self}/tables/${encodeURIComponent(t.name)}/data` },
          })),
          integrity,
          links: { self: `${self}/tables`, version: self },
        },
        200,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{name}/versions/{ref}/tables/{table}/data',
      summary:
        "One table's data, as …/data serves a version's: ?format= or Accept, ETag, Range and conditional requests",
      request: {
        params: z.object({ name, ref, table }),
        query: z.object({
          format: z.enum(['arrow', 'arrow-file', 'csv', 'jsonl', 'json', 'parquet']).optional(),
        }),
      },
      responses: dataResponses,
    }),
    async (c) => {
      const p = c.req.valid('param')
      return serveData(deps, c, p.name, p.ref, c.req.valid('query').format, p.table)
    },
  )

  return app
}
