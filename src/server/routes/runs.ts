/**
 * The contract runs of a model version (`goldgen contract --record`), oldest first:
 * GET /v1/models/{name}/versions/{version}/runs.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Env, RouteDeps } from '../context.ts'
import { name, problemResponses } from '../openapi.ts'

const Run = z
  .object({
    id: z.number(),
    model: z.string(),
    version: z.string(),
    at: z.string(),
    endpoint: z.string(),
    protocol: z.string(),
    passed: z.boolean(),
    goldgen: z.string(),
    datasets: z.array(z.string()),
    stages: z.array(
      z.object({
        stage: z.string(),
        fixture: z.string().optional(),
        status: z.enum(['pass', 'fail', 'skip']),
        reason: z.string(),
        seconds: z.number(),
      }),
    ),
    figures: z.record(z.string(), z.number()).nullable(),
  })
  .openapi('ContractRun')

export function runRoutes({ registry }: RouteDeps) {
  const app = new OpenAPIHono<Env>()
  app.openapi(
    createRoute({
      method: 'get',
      path: '/{name}/versions/{version}/runs',
      summary: 'The contract runs recorded for a model version (goldgen contract --record), oldest first',
      request: {
        params: z.object({
          name,
          version: z.string().openapi({ param: { name: 'version', in: 'path' }, example: '1.2.0' }),
        }),
      },
      responses: {
        200: { description: 'Runs', content: { 'application/json': { schema: z.array(Run) } } },
        ...problemResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param')
      const runs = await registry.runs(`${p.name}@${p.version}`)
      return c.json(runs.map(({ report: _report, ...r }) => r) as z.infer<typeof Run>[], 200)
    },
  )
  return app
}
