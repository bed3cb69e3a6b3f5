/**
 * Routes under /v1/datasets that list: the datasets in the registry, one dataset with its
 * versions and aliases, and a dataset's versions oldest first.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { type Env, type RouteDeps, versionJson } from '../context.ts'
import { name, problemResponses, Version } from '../openapi.ts'

export function datasetRoutes({ registry, base }: RouteDeps) {
  const app = new OpenAPIHono<Env>()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
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
      path: '/{name}',
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
      const versions = (await registry.versions(dataset)).map((v) => versionJson(base, v))
      return c.json({ name: dataset, versions, aliases }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{name}/versions',
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
      return c.json(
        (await registry.versions(dataset)).map((v) => versionJson(base, v)),
        200,
      )
    },
  )

  return app
}
