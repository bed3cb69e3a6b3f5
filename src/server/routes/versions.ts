/**
 * Routes under /v1/datasets that serve one version: its manifest, and its data in the format
 * ?format= or Accept chooses, with ETag, Range and conditional requests. Movable refs (aliases,
 * latest, digest prefixes) redirect to the numbered URL, which never changes.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { type Env, type RouteDeps, redirectIfMovable, versionJson } from '../context.ts'
import { IMMUTABLE, mediaTypes, negotiate, problem, serveBlob } from '../http.ts'
import { name, Problem, problemResponses, ref, Version } from '../openapi.ts'
import { croissantResponse, LD_JSON, wantsJsonLd } from './croissant.ts'

export function versionRoutes(deps: RouteDeps) {
  const { registry, base, representation } = deps
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
      const moved = await redirectIfMovable(deps, c, p.name, p.ref, '/data')
      if (moved !== undefined) return moved
      return serveBlob(c, await representation(`${p.name}@${p.ref}`, format))
    },
  )

  return app
}
