/**
 * What the registry commands share: the --registry and --blobs options (registry/open-url.ts), opening the registry for one command
 * and closing it after, and KEY=VALUE pairs.
 */
import type { Command } from 'commander'
import { GoldgenError } from '../core/errors.ts'

export type Registry = Awaited<ReturnType<typeof import('../../registry/service.ts').openRegistry>>

export async function withRegistry<T>(
  opts: { registry?: string; blobs?: string },
  f: (r: Registry) => Promise<T>,
): Promise<T> {
  const { openRegistry } = await import('../../registry/service.ts')
  const registry = await openRegistry({ dir: opts.registry, blobsAt: opts.blobs })
  try {
    return await f(registry)
  } finally {
    registry.close()
  }
}

export const REGISTRY_HELP =
  'registry folder or postgres://user@host:port/db (default: $GOLDGEN_REGISTRY, else ./.goldgen)'
export const BLOBS_HELP =
  "blob store: s3://bucket/prefix or a folder (default: $GOLDGEN_BLOBS, else the registry folder's objects/)"

export const registryOption = (c: Command) =>
  c.option('--registry <dir|url>', REGISTRY_HELP).option('--blobs <url|dir>', BLOBS_HELP)

export function keyValues(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of pairs) {
    const at = p.indexOf('=')
    if (at <= 0) throw new GoldgenError('USAGE', `malformed --meta ${JSON.stringify(p)}: expected KEY=VALUE`)
    out[p.slice(0, at)] = p.slice(at + 1)
  }
  return out
}
