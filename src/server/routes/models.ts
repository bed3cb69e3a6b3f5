/**
 * Routes under /v1/models that read: the fixtures of a model version (the datasets bound to it,
 * with links to their data and expected outputs, and the tolerances), and one expected-outputs
 * file as stored.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { type FormatName, formats } from '../../formats/index.ts'
import type { Env, RouteDeps } from '../context.ts'
import { problem, serveBlob } from '../http.ts'
import { fixtureParams, name, problemResponses } from '../openapi.ts'

export function modelRoutes({ registry, base }: RouteDeps) {
  const app = new OpenAPIHono<Env>()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{name}/versions/{version}/fixtures',
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
      path: '/{name}/versions/{version}/fixtures/{dataset}/{number}/expected',
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

  return app
}
