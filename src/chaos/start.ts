/**
 * `startChaos`: the fault proxy and its control API started together, as `goldgen chaos` runs
 * them; closing it closes both. If the control address cannot be bound the proxy is closed
 * again, so a failed start leaves nothing listening.
 */
import type { HostPort } from './address.ts'
import { type ControlServer, startControl } from './control.ts'
import { type FaultProxy, startProxy } from './proxy.ts'

export interface Chaos {
  proxy: FaultProxy
  control: ControlServer
  close(): Promise<void>
}

/**
 * Starts a proxy from `listen` to `upstream` and its control API on `control`.
 *
 * @example
 * ```ts
 * const chaos = await startChaos({
 *   listen: { host: '127.0.0.1', port: 15432 },
 *   upstream: { host: '127.0.0.1', port: 5432 },
 *   control: { host: '127.0.0.1', port: 8474 },
 * })
 * await chaos.close()
 * ```
 */
export async function startChaos(options: {
  listen: HostPort
  upstream: HostPort
  control: HostPort
}): Promise<Chaos> {
  const proxy = await startProxy(options.listen, options.upstream)
  let control: ControlServer
  try {
    control = await startControl(proxy, options.control)
  } catch (e) {
    await proxy.close()
    throw e
  }
  return {
    proxy,
    control,
    async close() {
      await control.close()
      await proxy.close()
    },
  }
}
