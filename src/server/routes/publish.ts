/**
 * The write routes under /v1/datasets (each needs a write or admin token, checked in `auth.ts`):
 * publish a version — a goldgen schema to generate, or a data file — and move an alias. Every
 * write is recorded in the audit log with the token's name.
 */
import { rmSync } from 'node:fs'
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Registry } from '../../../registry/service.ts'
import { GoldgenError } from '../../core/errors.ts'
import { audit, type Env, type RouteDeps, versionJson } from '../context.ts'
import { requiredJson } from '../http.ts'
import { name, problemResponses, security, Version } from '../openapi.ts'
import { bodyToFile, uploadsDir } from '../uploads.ts'

export function publishRoutes({ registry, base }: RouteDeps) {
  const app = new OpenAPIHono<Env>()
  const uploads = uploadsDir(registry)

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{name}/versions',
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
        const { validateDef } = await import('../../../schemas/parse.ts')
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
          result = await registry.publishFile(file, { dataset, source: 'the request body' })
        } finally {
          rmSync(file, { force: true })
        }
      }
      await audit(registry, c, 'publish', result.ref, {
        created: result.created,
        sha256: result.version.sha256,
      })
      const json = versionJson(base, result.version)
      c.header('location', json.links.self)
      return c.json(json, result.created ? 201 : 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/{name}/aliases/{alias}',
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
      const { version } = requiredJson(c.req.valid('json'))
      const move = await registry.alias(`${p.name}@${version}`, p.alias)
      await audit(registry, c, 'alias', `${p.name}@${p.alias}`, { from: move.from, to: move.to })
      return c.json({ name: move.name, from: move.from, to: move.to }, 200)
    },
  )

  return app
}
