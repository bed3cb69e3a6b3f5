/** The one place that binds a port: serves the app with @hono/node-server. */
import { serve } from '@hono/node-server'
import type { Registry } from '../../registry/service.ts'
import { type AppOptions, createApp } from './app.ts'

export interface ListenOptions extends AppOptions {
  host: string
  port: number
}

export function listen(
  registry: Registry,
  options: ListenOptions,
): Promise<{ url: string; close: () => Promise<void> }> {
  const { host: _host, port: _port, ...appOptions } = options
  const app = createApp(registry, appOptions)
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, (info) => {
      resolve({
        url: `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      })
    })
    server.on('error', reject)
  })
}
