/**
 * Routes about the server itself: /healthz (liveness and the goldgen version), and
 * /openapi.json, generated from the route definitions of the whole app.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { VERSION } from '../../core/version.ts'
import type { Env } from '../context.ts'

export function healthRoutes() {
  const app = new OpenAPIHono<Env>()
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
  return app
}

/** Serves /openapi.json from `app`'s route definitions; call it after every route is mounted. */
export function serveOpenApi(app: OpenAPIHono<Env>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' })
  app.doc('/openapi.json', { openapi: '3.0.3', info: { title: 'goldgen fixture server', version: VERSION } })
}
