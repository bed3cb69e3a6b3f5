/**
 * What the registry commands share: the --registry option, opening the registry for one command
 * and closing it after, and KEY=VALUE pairs.
 */
import type { Command } from 'commander'
import { GoldgenError } from '../core/errors.ts'

export type Registry = Awaited<ReturnType<typeof import('../../registry/service.ts').openRegistry>>

export async function withRegistry<T>(
  opts: { registry?: string },
  f: (r: Registry) => Promise<T>,
): Promise<T> {
  const { openRegistry } = await import('../../registry/service.ts')
  const registry = await openRegistry({ dir: opts.registry })
  try {
    return await f(registry)
  } finally {
    registry.close()
  }
}

export const registryOption = (c: Command) =>
  c.option('--registry <dir>', 'registry folder (default: $GOLDGEN_REGISTRY, else ./.goldgen)')

export function keyValues(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of pairs) {
    const at = p.indexOf('=')
    if (at <= 0) throw new GoldgenError('USAGE', `malformed --meta ${JSON.stringify(p)}: expected KEY=VALUE`)
    out[p.slice(0, at)] = p.slice(at + 1)
  }
  return out
}
