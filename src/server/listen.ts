/**
 * The one place that binds a port. Requests go to the app through @hono/node-server, except
 * the hot path of fixture serving — an anonymous GET/HEAD of a numbered version's data already
 * held in memory — which node:http answers directly from the same verified cache
 * (`fastDataResponse` in `fast-path.ts`), with the same status and headers the app would send.
 */
import { createServer } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import type { Registry } from '../../registry/service.ts'
import { createApp } from './app.ts'
import { createRepresentationCache } from './cache.ts'
import type { AppOptions } from './context.ts'
import { fastDataResponse } from './fast-path.ts'

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
    res.end(fast.body)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      const address = server.address() as { address: string; port: number }
      resolve({
        url: `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      })
    })
  })
}
