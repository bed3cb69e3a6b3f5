/** API tokens (only their SHA-256 is stored) and the audit log of who changed what. */
import { createHash, randomBytes } from 'node:crypto'
import { GoldgenError } from '../src/core/errors.ts'
import type { RegistryContext } from './context.ts'
import type { TokenScope } from './stores.ts'

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex')

/** The registry's token and audit methods. */
export function tokenMethods({ store }: RegistryContext) {
  return {
    /** Creates an API token; the returned secret is shown once and only its SHA-256 is stored. */
    async createToken(scope: TokenScope, name: string) {
      if (!['read', 'write', 'admin'].includes(scope))
        throw new GoldgenError(
          'USAGE',
          `unknown scope ${JSON.stringify(scope)}; expected read, write or admin`,
        )
      const secret = `gg_${randomBytes(32).toString('base64url')}`
      await store.addToken({ name, scope, hash: hashOf(secret) })
      return { name, scope, token: secret }
    },
    /** The token's name and scope, or undefined for an unknown token. */
    async authenticate(secret: string) {
      return store.findToken(hashOf(secret))
    },
    audit: (entry: { actor: string; action: string; target: string; detail?: unknown }) => store.audit(entry),
    auditLog: () => store.auditLog(),
  }
}
