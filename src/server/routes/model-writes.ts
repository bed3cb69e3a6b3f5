/**
 * The write routes under /v1/models (each needs a write or admin token, checked in `auth.ts`):
 * register a model version, and attach its expected outputs on a dataset version with their
 * tolerances. Every write is recorded in the audit log with the token's name.
 */
import { rmSync } from 'node:fs'
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { audit, type Env, type RouteDeps } from '../context.ts'
import { requiredJson } from '../http.ts'
import { fixtureParams, name, problemResponses, security } from '../openapi.ts'
import { bodyToFile, uploadsDir } from '../uploads.ts'

export function modelWriteRoutes({ registry }: RouteDeps) {
  const app = new OpenAPIHono<Env>()
  const uploads = uploadsDir(registry)

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{name}/versions',
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
      const body = requiredJson(c.req.valid('json'))
      const { record, created } = await registry.addModel(`${model}@${body.version}`, body.metadata ?? {})
      await audit(registry, c, 'model.add', `${model}@${body.version}`, { created })
      return c.json({ model: record.model, version: record.version }, created ? 201 : 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/{name}/versions/{version}/fixtures/{dataset}/{number}',
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
      const { parseTolerances } = await import('../../compare/rows.ts')
      const tolerances = parseTolerances(c.req.queries('tolerance') ?? [])
      const file = await bodyToFile(c, uploads)
      try {
        // ?update=true: other outputs than the current ones are a new record (the old one is kept).
        const update = ['true', '1'].includes(c.req.query('update') ?? '')
        const e = await registry.expect(
          `${p.name}@${p.version}`,
          `${p.dataset}@${p.number}`,
          file,
          tolerances,
          { update },
        )
        await audit(registry, c, update ? 'expect.update' : 'expect', `${p.name}@${p.version} ${e.dataset}`, {
          created: e.created,
          tolerances,
          ...(update ? { id: e.id, replaced: e.replaced } : {}),
        })
        const { model, version, dataset, id, replaced, sha256, rows } = e
        return c.json({ model, version, dataset, id, replaced, sha256, rows }, e.created ? 201 : 200)
      } finally {
        rmSync(file, { force: true })
      }
    },
  )

  return app
}
