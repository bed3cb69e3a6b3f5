/**
 * The control API of `goldgen chaos` (node:http, JSON): `GET /faults` answers the faults on now,
 * `PUT /faults` replaces them with the fault object in the body (several keys put several on at
 * once; `{}` clears them), `DELETE /faults` clears them. Both writes answer the faults now on.
 * A body that is not JSON or not a fault object is a 400 problem (RFC 9457) naming the path;
 * a proxy that cannot listen again after `down` is a 503 problem.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { formatPath, GoldgenError, type Issue } from '../core/errors.ts'
import { type HostPort, listenError } from './address.ts'
import { parseFaults } from './faults.ts'
import type { FaultProxy } from './proxy.ts'

const BODY_LIMIT = 64 * 1024

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
  res.end(`${JSON.stringify(body)}\n`)
}

function problem(res: ServerResponse, status: number, code: string, detail: string, issues?: Issue[]): void {
  const body = {
    type: `https://goldgen.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: code.replaceAll('_', ' ').toLowerCase(),
    status,
    detail,
    code,
    ...(issues === undefined
      ? {}
      : { errors: issues.map((i) => ({ path: formatPath(i.path), message: i.message })) }),
  }
  send(res, status, body, 'application/problem+json')
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    let size = 0
    req.on('data', (d: Buffer) => {
      size += d.length
      if (size > BODY_LIMIT) {
        resolve(undefined)
        req.destroy()
      } else parts.push(d)
    })
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')))
    req.on('error', reject)
  })
}

async function put(proxy: FaultProxy, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = await readBody(req)
  if (text === undefined)
    return problem(res, 413, 'USAGE', `the fault object must be under ${BODY_LIMIT} bytes`)
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return problem(
      res,
      400,
      'PARSE',
      'the body is not JSON: expected a fault object such as {"latency": {"ms": 200}}',
    )
  }
  const parsed = parseFaults(raw)
  if (parsed.issues !== undefined) {
    const first = parsed.issues[0]!
    return problem(
      res,
      400,
      'USAGE',
      `invalid fault object: ${formatPath(first.path)}: ${first.message}`,
      parsed.issues,
    )
  }
  await proxy.setFaults(parsed.faults)
  send(res, 200, proxy.faults())
}

async function handle(proxy: FaultProxy, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]
  if (path !== '/faults' && path !== '/faults/')
    return problem(res, 404, 'NOT_FOUND', `no route ${path}: the control API has GET, PUT and DELETE /faults`)
  if (req.method === 'GET' || req.method === 'HEAD') return send(res, 200, proxy.faults())
  if (req.method === 'PUT') return put(proxy, req, res)
  if (req.method === 'DELETE') {
    await proxy.setFaults({})
    return send(res, 200, proxy.faults())
  }
  res.setHeader('allow', 'GET, PUT, DELETE')
  problem(res, 405, 'USAGE', `${req.method} /faults is not supported: use GET, PUT or DELETE`)
}

export interface ControlServer {
  /** The base URL, e.g. http://127.0.0.1:8474. */
  url: string
  address: HostPort
  close(): Promise<void>
}

/** Serves the control API of `proxy` on `at`. */
export function startControl(proxy: FaultProxy, at: HostPort): Promise<ControlServer> {
  const server: Server = createServer((req, res) => {
    handle(proxy, req, res).catch((e: unknown) => {
      const message = e instanceof GoldgenError ? e.message : 'the fault could not be applied'
      if (!res.headersSent) problem(res, 503, 'IO', message)
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 1000
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(listenError('the control API', at, e)))
    server.listen({ host: at.host, port: at.port, exclusive: true }, () => {
      const a = server.address() as { address: string; port: number }
      const address = { host: a.address, port: a.port }
      const host = a.address.includes(':') ? `[${a.address}]` : a.address
      resolve({
        url: `http://${host}:${a.port}`,
        address,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}
