/**
 * The middleware in front of every /v1 route: bearer-token authentication (tokens are checked
 * against their stored hashes; reads may be anonymous unless the app requires a token, writes
 * need write or admin scope) and the request-body limit of writes (413 beyond it).
 */
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Registry } from '../../registry/service.ts'
import type { Actor, AppOptions, Env } from './context.ts'
import { problem } from './http.ts'

/** Authenticates the bearer token, if any, and sets the request's actor. */
export function authenticate(registry: Registry, options: AppOptions): MiddlewareHandler<Env> {
  return async (c, next) => {
    const header = c.req.header('authorization')
    let actor: Actor | undefined
    if (header !== undefined) {
      const secret = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
      actor = secret === undefined ? undefined : await registry.authenticate(secret)
      if (actor === undefined) {
        c.header('www-authenticate', 'Bearer')
        return problem(
          c,
          401,
          'UNAUTHORIZED',
          'the bearer token is not valid; create one with goldgen token create',
        )
      }
    }
    const write = !['GET', 'HEAD'].includes(c.req.method)
    if (actor === undefined && (write || options.readTokenRequired === true)) {
      c.header('www-authenticate', 'Bearer')
      return problem(
        c,
        401,
        'UNAUTHORIZED',
        `${write ? 'writes' : 'reads'} need Authorization: Bearer <token>`,
      )
    }
    if (write && actor!.scope === 'read')
      return problem(
        c,
        403,
        'FORBIDDEN',
        `the token ${JSON.stringify(actor!.name)} has scope read; writes need write or admin`,
      )
    c.set('actor', actor)
    return next()
  }
}

/** Limits the body of writes (default 256 MiB); reads pass untouched. */
export function limitWrites(options: AppOptions): MiddlewareHandler<Env> {
  const limit = bodyLimit({
    maxSize: options.bodyLimit ?? 256 * 1024 * 1024,
    onError: (c) =>
      problem(
        c,
        413,
        'PAYLOAD_TOO_LARGE',
        `the request body is larger than the ${options.bodyLimit ?? 256 * 1024 * 1024} bytes this server accepts`,
      ),
  })
  return async (c, next) => (['GET', 'HEAD'].includes(c.req.method) ? next() : limit(c, next))
}
