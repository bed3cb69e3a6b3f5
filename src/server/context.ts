/**
 * What every route module shares: the app's options, the hono environment (the authenticated
 * actor), the dependencies a route module is built from (`RouteDeps`), the JSON and
 * redirects that name a dataset version, and the audit record of a write.
 */
import type { Context } from 'hono'
import type { Registry } from '../../registry/service.ts'
import type { FormatName } from '../formats/index.ts'
import type { RepresentationCache } from './cache.ts'
import type { Representation } from './http.ts'

export interface AppOptions {
  /** Base path the links are built on (default ''). */
  base?: string
  /** Require a token (any scope) for reads too. Writes always need a write or admin token. */
  readTokenRequired?: boolean
  /** Largest request body accepted, in bytes (default 256 MiB); larger bodies get 413. */
  bodyLimit?: number
  /** Memory for verified copies of small representations (default 64 MiB; each at most 1 MiB). */
  memoryCacheBytes?: number
  /** A representation cache to share with the node:http fast path (default: the app's own). */
  cache?: RepresentationCache | undefined
}

/** Who sent a request, from its bearer token (undefined: anonymous). */
export type Actor = { name: string; scope: 'read' | 'write' | 'admin' }
export type Env = { Variables: { actor: Actor | undefined } }

/** What a route module is built from. */
export interface RouteDeps {
  registry: Registry
  /** Base path the links are built on. */
  base: string
  /** A numbered version's data (or one of its tables) in a format, from the shared cache. */
  representation: (ref: string, format: FormatName, table?: string) => Promise<Representation>
}

/** A version as the API shows it, with links to itself and its data. */
export function versionJson(base: string, v: Awaited<ReturnType<Registry['resolve']>>) {
  const self = `${base}/v1/datasets/${v.dataset}/versions/${v.version}`
  return {
    dataset: v.dataset,
    version: v.version,
    sha256: v.sha256,
    format: v.format,
    rows: v.rows,
    createdAt: v.createdAt,
    links:
      v.format === 'tables'
        ? { self, data: `${self}/data`, tables: `${self}/tables` }
        : { self, data: `${self}/data` },
  }
}

/** Non-numbered refs answer with a redirect to the numbered URL, which is immutable. */
export async function redirectIfMovable(
  deps: RouteDeps,
  c: Context,
  dataset: string,
  r: string,
  suffix: string,
): Promise<Response | undefined> {
  if (/^[1-9][0-9]*$/.test(r)) return undefined
  const v = await deps.registry.resolve(`${dataset}@${r}`)
  const query = new URL(c.req.url).search
  return c.body(null, 307, {
    location: `${deps.base}/v1/datasets/${dataset}/versions/${v.version}${suffix}${query}`,
    'cache-control': 'no-cache',
  })
}

/** Records a write in the audit log, under the name of the token that made it. */
export function audit(registry: Registry, c: Context<Env>, action: string, target: string, detail?: unknown) {
  return registry.audit({ actor: c.get('actor')?.name ?? 'anonymous', action, target, detail })
}
