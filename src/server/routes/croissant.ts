/**
 * Croissant 1.1 JSON-LD for every dataset version, at /v1/datasets/{name}/versions/{ref}/croissant
 * (and on the version's own URL when the client asks for `application/ld+json`). Movable refs
 * redirect to the numbered URL, like the other version routes.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { type Env, type RouteDeps, redirectIfMovable } from '../context.ts'
import { IMMUTABLE } from '../http.ts'
import { name, problemResponses, ref } from '../openapi.ts'

export const LD_JSON = 'application/ld+json'

/** Whether an Accept header asks for JSON-LD before plain JSON. */
export function wantsJsonLd(accept: string | undefined): boolean {
  if (accept === undefined) return false
  const types = accept.split(',').map((p) => p.split(';')[0]!.trim().toLowerCase())
  const ld = types.indexOf(LD_JSON)
  const json = types.indexOf('application/json')
  return ld >= 0 && (json < 0 || ld < json)
}

/** Answers with the Croissant document of a numbered version (or a redirect for a movable ref). */
export async function croissantResponse(
  deps: RouteDeps,
  c: Context,
  dataset: string,
  r: string,
  suffix: string,
) {
  const moved = await redirectIfMovable(deps, c, dataset, r, suffix)
  if (moved !== undefined) return moved
  const { croissantFor } = await import('../croissant/document.ts')
  const origin = `${new URL(c.req.url).origin}${deps.base}`
  const doc = await croissantFor(deps.registry, `${dataset}@${r}`, origin, deps.representation)
  return c.body(JSON.stringify(doc, null, 2), 200, {
    'content-type': LD_JSON,
    'cache-control': IMMUTABLE,
    vary: 'accept',
  })
}

export function croissantRoutes(deps: RouteDeps) {
  const app = new OpenAPIHono<Env>()
  app.openapi(
    createRoute({
      method: 'get',
      path: '/{name}/versions/{ref}/croissant',
      summary:
        'Croissant 1.1 JSON-LD metadata of a version: the dataset, its files with their digests, a record set with a field per column',
      request: { params: z.object({ name, ref }) },
      responses: {
        200: {
          description: 'Croissant JSON-LD',
          content: { [LD_JSON]: { schema: z.record(z.string(), z.unknown()) } },
        },
        307: { description: 'Redirect to the numbered version' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param')
      return croissantResponse(deps, c, p.name, p.ref, '/croissant') as never
    },
  )
  return app
}
