/**
 * The HTTP API: a hono app over the registry. `createApp` builds it from route modules
 * (`routes/`) mounted with `app.route(...)`, and never listens; only `listen.ts` binds a port,
 * and tests call `app.request()`. Routes are declared with @hono/zod-openapi, so `/openapi.json`
 * is generated from them. Errors are RFC 9457 `application/problem+json` with a stable `type`,
 * never a stack trace.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import { HTTPException } from 'hono/http-exception'
import type { Registry } from '../../registry/service.ts'
import { GoldgenError } from '../core/errors.ts'
import { authenticate, limitWrites } from './auth.ts'
import { createRepresentationCache } from './cache.ts'
import type { AppOptions, Env, RouteDeps } from './context.ts'
import { httpStatus, problem } from './http.ts'
import { logServerError } from './log.ts'
import { croissantRoutes } from './routes/croissant.ts'
import { datasetRoutes } from './routes/datasets.ts'
import { healthRoutes, serveOpenApi } from './routes/meta.ts'
import { modelMetricRoutes } from './routes/model-metrics.ts'
import { modelWriteRoutes } from './routes/model-writes.ts'
import { modelRoutes } from './routes/models.ts'
import { publishRoutes } from './routes/publish.ts'
import { runRoutes } from './routes/runs.ts'
import { tableRoutes } from './routes/tables.ts'
import { versionRoutes } from './routes/versions.ts'
import { uiRoutes } from './ui/index.ts'

/** Builds the app; it never listens. */
export function createApp(registry: Registry, options: AppOptions = {}) {
  const cache = options.cache ?? createRepresentationCache(registry, options.memoryCacheBytes)
  const deps: RouteDeps = { registry, base: options.base ?? '', representation: cache.get }
  const app = new OpenAPIHono<Env>({
    // Mounted route modules inherit this hook: invalid parameters or bodies are a 400 problem.
    defaultHook: (result, c) => {
      if (!result.success)
        return problem(
          c,
          400,
          'INVALID_REQUEST',
          result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        )
      return undefined
    },
  })

  app.onError((err, c) => {
    if (err instanceof HTTPException && err.status < 500) {
      // hono's validators: a malformed JSON body (400), a body that is not JSON (415) — both are
      // a request goldgen cannot read, a 400 problem saying what to send.
      const status = err.status === 415 ? 400 : err.status
      const detail =
        err.status === 415 ? 'the body must be JSON sent with Content-Type: application/json' : err.message
      return problem(c, status, 'INVALID_REQUEST', detail)
    }
    const status = err instanceof GoldgenError ? httpStatus[err.code] : 500
    if (status >= 500) logServerError(err, { method: c.req.method, url: c.req.url })
    if (err instanceof GoldgenError) {
      return problem(c, status, err.code, err.message, err.issues.length > 0 ? { issues: err.issues } : {})
    }
    return problem(
      c,
      500,
      'INTERNAL',
      'goldgen could not answer this request; the server log has the details',
    )
  })
  app.notFound((c) =>
    problem(c, 404, 'NOT_FOUND', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`),
  )

  // Order matters: middleware applies to the routes mounted after it, and /openapi.json lists
  // the paths in the order they are mounted.
  app.route('/', healthRoutes())
  app.use('/v1/*', authenticate(registry, options))
  app.use('/v1/*', limitWrites(options))
  app.route('/v1/datasets', datasetRoutes(deps))
  app.route('/v1/datasets', versionRoutes(deps))
  app.route('/v1/datasets', tableRoutes(deps))
  app.route('/v1/models', modelRoutes(deps))
  app.route('/v1/models', runRoutes(deps))
  app.route('/v1/datasets', publishRoutes(deps))
  app.route('/v1/models', modelWriteRoutes(deps))
  app.route('/v1/models', modelMetricRoutes(deps))
  app.route('/v1/datasets', croissantRoutes(deps))
  app.route('/', uiRoutes(deps, options))
  serveOpenApi(app)
  return app
}
