/**
 * The TCP fault proxy of `goldgen chaos`: it listens on one address and joins every accepted
 * connection to a new connection to the upstream, through two valves (valve.ts) that apply the
 * current faults. Faults are replaced as a whole by `setFaults` and apply to live connections
 * too: latency, bandwidth and timeout at the next byte, reset at the next chunk a client sends,
 * down at once (the listener is closed, so connects are refused with ECONNREFUSED, and live
 * connections are destroyed; clearing it listens again on the same address).
 */
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net'
import { type HostPort, listenError } from './address.ts'
import type { Faults } from './faults.ts'
import { openValve, type Valve } from './valve.ts'

export interface FaultProxy {
  /** The address it listens on (the port chosen when 0 was asked for). */
  address: HostPort
  upstream: HostPort
  faults(): Faults
  /** Replaces the faults; rejects (with an IO GoldgenError) only when listening again fails. */
  setFaults(faults: Faults): Promise<void>
  /** Connections open now. */
  connections(): number
  /** Whether connects are being accepted (false while `down` is on). */
  listening(): boolean
  close(): Promise<void>
}

interface Connection {
  client: Socket
  upstream: Socket
  valves: Valve[]
}

function listenOn(server: Server, at: HostPort): Promise<HostPort> {
  return new Promise((resolve, reject) => {
    const fail = (e: unknown) => reject(listenError('connections', at, e))
    server.once('error', fail)
    server.listen({ host: at.host, port: at.port, exclusive: true }, () => {
      server.off('error', fail)
      const a = server.address() as { address: string; port: number }
      resolve({ host: a.address, port: a.port })
    })
  })
}

/**
 * Starts a proxy from `listen` to `upstream` with no fault on.
 *
 * @example
 * ```ts
 * const proxy = await startProxy({ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: 5432 })
 * await proxy.setFaults({ latency: { ms: 200, jitter_ms: 0 } })
 * ```
 */
export async function startProxy(listen: HostPort, upstream: HostPort): Promise<FaultProxy> {
  let faults: Faults = {}
  let server: Server | undefined
  let closed = false
  const live = new Set<Connection>()
  const current = () => faults

  const drop = (c: Connection, reset: boolean) => {
    if (!live.delete(c)) return
    for (const v of c.valves) v.stop()
    if (reset && !c.client.destroyed) c.client.resetAndDestroy()
    else c.client.destroy()
    c.upstream.destroy()
  }
  const resets = () => faults.reset !== undefined && Math.random() < faults.reset.probability

  function accept(client: Socket): void {
    if (closed || faults.down !== undefined) {
      client.destroy()
      return
    }
    if (resets()) {
      client.resetAndDestroy()
      return
    }
    const up = netConnect({ host: upstream.host, port: upstream.port, allowHalfOpen: true })
    const c: Connection = { client, upstream: up, valves: [] }
    live.add(c)
    c.valves.push(
      openValve(client, up, current, false, () => {
        if (!resets()) return true
        drop(c, true)
        return false
      }),
      openValve(up, client, current, true),
    )
    // An error or close on either side ends both; a refused upstream closes the client.
    for (const s of [client, up]) {
      s.on('error', () => drop(c, false))
      s.on('close', () => drop(c, false))
    }
    client.resume()
  }

  function newServer(): Server {
    // Half-open: a client that ends its side still gets what the upstream sends back.
    const s = createServer({ pauseOnConnect: true, allowHalfOpen: true }, accept)
    s.on('error', () => undefined)
    return s
  }

  server = newServer()
  const address = await listenOn(server, listen)

  async function closeListener(): Promise<void> {
    const s = server
    server = undefined
    if (s !== undefined) await new Promise<void>((done) => s.close(() => done()))
  }

  /** Makes the listener and live connections agree with the faults. */
  async function reconcile(): Promise<void> {
    if (faults.down !== undefined) {
      const closing = closeListener()
      for (const c of [...live]) drop(c, false)
      await closing
      return
    }
    if (server === undefined && !closed) {
      const s = newServer()
      await listenOn(s, address)
      server = s
    }
    for (const c of live) for (const v of c.valves) v.pump()
  }

  let queue: Promise<void> = Promise.resolve()
  return {
    address,
    upstream,
    faults: () => faults,
    setFaults(next) {
      const run = queue.then(() => {
        faults = next
        return reconcile()
      })
      queue = run.catch(() => undefined)
      return run
    },
    connections: () => live.size,
    listening: () => server !== undefined,
    async close() {
      closed = true
      for (const c of [...live]) drop(c, false)
      await closeListener()
    },
  }
}
