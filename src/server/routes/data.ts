/**
 * The one data handler every data route shares (`…/versions/{ref}/data` and
 * `…/versions/{ref}/tables/{table}/data`): content negotiation, redirects of movable refs, and
 * the stored representation served with its ETag, conditional requests and ranges. A
 * multi-table version's `…/data` is a 409 problem that names its tables and the tables route.
 */
import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { GoldgenError } from '../../core/errors.ts'
import { type Env, type RouteDeps, redirectIfMovable } from '../context.ts'
import { mediaTypes, negotiate, problem, serveBlob } from '../http.ts'
import { Problem, problemResponses } from '../openapi.ts'

/** The 409 problem of a multi-table version's `…/data`. */
export const TablesProblem = Problem.extend({
  tables: z.array(z.string()),
  links: z.object({ tables: z.string() }),
}).openapi('TablesProblem')

/** Answers a multi-table version's `…/data` with a 409 problem naming its tables; rethrows anything else. */
async function multiTableProblem(deps: RouteDeps, c: Context<Env>, ref: string, e: Error): Promise<Response> {
  if (!(e instanceof GoldgenError) || e.code !== 'CONFLICT') throw e
  const v = await deps.registry.resolve(ref)
  if (v.format !== 'tables') throw e
  const tables = (await deps.registry.tables(ref)).tables.map((t) => t.name)
  return problem(c, 409, 'CONFLICT', e.message, {
    tables,
    links: { tables: `${deps.base}/v1/datasets/${v.dataset}/versions/${v.version}/tables` },
  })
}

/** What a data route answers (`…/data` and `…/tables/{table}/data`). */
export const dataResponses = {
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
}

/**
 * The one data handler: the format from ?format= or Accept, movable refs redirected, then the
 * stored representation with its ETag, conditional requests and ranges. `table` names one table
 * of a multi-table version; without it, a multi-table version is a 409 problem naming its tables.
 */
export async function serveData(
  deps: RouteDeps,
  c: Context<Env>,
  dataset: string,
  r: string,
  query: string | undefined,
  table?: string,
): Promise<Response> {
  const format = negotiate(query, c.req.header('accept'))
  if (format === undefined) {
    return problem(
      c,
      406,
      'NOT_ACCEPTABLE',
      `goldgen serves ${Object.keys(mediaTypes).join(', ')}; the Accept header asked for none of them`,
    )
  }
  const suffix = table === undefined ? '/data' : `/tables/${encodeURIComponent(table)}/data`
  const moved = await redirectIfMovable(deps, c, dataset, r, suffix)
  if (moved !== undefined) return moved
  const ref = `${dataset}@${r}`
  const blob = await deps.representation(ref, format, table).catch((e: unknown) => e as Error)
  if (blob instanceof Error) return multiTableProblem(deps, c, ref, blob)
  return serveBlob(c, blob)
}
