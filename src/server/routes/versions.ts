/**
 * Routes under /v1/datasets that serve one version: its manifest, and its data in the format
 * ?format= or Accept chooses, with ETag, Range and conditional requests (the handler in
 * data.ts, which the table routes share). Movable refs (aliases, latest, digest prefixes)
 * redirect to the numbered URL, which never changes.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { type Env, type RouteDeps, redirectIfMovable, versionJson } from '../context.ts'
import { IMMUTABLE } from '../http.ts'
import { name, problemResponses, ref, Version } from '../openapi.ts'
import { croissantResponse, LD_JSON, wantsJsonLd } from './croissant.ts'
import { dataResponses, serveData, TablesProblem } from './data.ts'

export function versionRoutes(deps: RouteDeps) {
  const { registry, base } = deps
  const app = new OpenAPIHono<Env>()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{name}/versions/{ref}',
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
            [LD_JSON]: { schema: z.record(z.string(), z.unknown()) },
          },
        },
        307: { description: 'Redirect to the numbered version' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param')
      if (wantsJsonLd(c.req.header('accept'))) return croissantResponse(deps, c, p.name, p.ref, '') as never
      const moved = await redirectIfMovable(deps, c, p.name, p.ref, '')
      if (moved !== undefined) return moved
      const shown = await registry.show(`${p.name}@${p.ref}`)
      c.header('cache-control', IMMUTABLE)
      c.header('vary', 'accept')
      return c.json(
        {
          ...versionJson(base, shown.version),
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
      path: '/{name}/versions/{ref}/data',
      summary:
        'The data, in the format chosen by ?format= or Accept; ETag, Range and conditional requests supported',
      request: {
        params: z.object({ name, ref }),
        query: z.object({
          format: z.enum(['arrow', 'arrow-file', 'csv', 'jsonl', 'json', 'parquet']).optional(),
        }),
      },
      responses: {
        ...dataResponses,
        409: {
          description: 'A multi-table version: read one table (the problem lists them)',
          content: { 'application/problem+json': { schema: TablesProblem } },
        },
      },
    }),
    async (c) => {
      const p = c.req.valid('param')
      return serveData(deps, c, p.name, p.ref, c.req.valid('query').format)
    },
  )

  return app
}
