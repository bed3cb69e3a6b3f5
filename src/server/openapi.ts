/**
 * The OpenAPI pieces several route modules share: the Problem and Version schemas, the error
 * responses every route may give, the path parameters that name datasets, versions and
 * fixtures, and the bearer security requirement of writes.
 */
import { z } from '@hono/zod-openapi'

export const Problem = z
  .object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string(), code: z.string() })
  .openapi('Problem')

export const problemResponses = {
  400: { description: 'Malformed request', content: { 'application/problem+json': { schema: Problem } } },
  404: { description: 'Not found', content: { 'application/problem+json': { schema: Problem } } },
}

export const Version = z
  .object({
    dataset: z.string(),
    version: z.number(),
    sha256: z.string(),
    format: z.string(),
    rows: z.number(),
    createdAt: z.string(),
    links: z.object({
      self: z.string(),
      data: z.string(),
      /** Multi-table versions only. */
      tables: z.string().optional(),
    }),
  })
  .openapi('Version')

export const name = z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'churn' })

/** Path parameters naming one fixture: a model version and a dataset version. */
export const fixtureParams = z.object({
  name,
  version: z.string().openapi({ param: { name: 'version', in: 'path' } }),
  dataset: z.string().openapi({ param: { name: 'dataset', in: 'path' } }),
  number: z
    .string()
    .regex(/^[1-9][0-9]*$/)
    .openapi({ param: { name: 'number', in: 'path' } }),
})

export const ref = z.string().openapi({
  param: { name: 'ref', in: 'path' },
  description: 'a version number, an alias, latest, or sha256:PREFIX',
  example: '3',
})

/** Writes need a bearer token with write or admin scope. */
export const security = [{ bearer: [] as string[] }]
