/**
 * The one place that binds a port. Requests go to the app through @hono/node-server, except
 * the hot path of fixture serving — an anonymous GET/HEAD of a numbered version's data the app
 * has served once — which node:http answers directly from the same verified cache
 * (`fastDataResponse` in `fast-path.ts`; large files streamed and checked by `file-body.ts`),
 * with the same status and headers the app would send. A port that cannot be bound is an IO
 * error naming the address (exit 1), not a crash.
 */
import { createServer } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import type { Registry } from '../../registry/service.ts'
import { GoldgenError } from '../core/errors.ts'
import { createApp } from './app.ts'
import { createRepresentationCache } from './cache.ts'
import type { AppOptions } from './context.ts'
import { fastDataResponse } from './fast-path.ts'
import { sendCheckedFile } from './file-body.ts'

export interface ListenOptions extends AppOptions {
  host: string
  port: number
}

export function listen(
  registry: Registry,
  options: ListenOptions,
): Promise<{ url: string; close: () => Promise<void> }> {
  const { host, port, ...appOptions } = options
  const cache = appOptions.cache ?? createRepresentationCache(registry, appOptions.memoryCacheBytes)
  const app = createApp(registry, { ...appOptions, cache })
  const viaApp = getRequestListener(app.fetch)
  const server = createServer((req, res) => {
    const fast = fastDataResponse(cache, appOptions, req.method ?? '', req.url ?? '', {
      accept: req.headers.accept,
      'if-none-match': req.headers['if-none-match'],
      range: req.headers.range,
      authorization: req.headers.authorization,
    })
    if (fast === undefined) {
      void viaApp(req, res)
      return
    }
    res.writeHead(fast.status, fast.headers)
    if (fast.file === undefined) res.end(fast.body)
    else sendCheckedFile(res, fast.file, { method: req.method ?? 'GET', url: req.url ?? '' })
  })
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(listenError(e, host, port)))
    server.listen(port, host, () => {
      const address = server.address() as { address: string; port: number }
      resolve({
        url: `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      })
    })
  })
}

/** Why a port could not be bound, in words naming the address (an IO error: exit 1). */
function listenError(e: unknown, host: string, port: number): GoldgenError {
  const code = (e as NodeJS.ErrnoException).code
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`
  const why =
    code === 'EADDRINUSE'
      ? 'the address is already in use (another server listens there; choose another --port)'
      : code === 'EACCES'
        ? 'permission denied (ports below 1024 need privileges; choose another --port)'
        : code === 'EADDRNOTAVAIL'
          ? 'the address is not available on this machine (check --host)'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'the host name does not resolve (check --host)'
            : (e as Error).message
  return new GoldgenError('IO', `cannot listen on ${address}: ${why}`, { cause: e })
}
