/**
 * HTTP for the contract runner: one undici keep-alive agent, every request bounded by the
 * run's timeout, failures (refused, timed out, connection dropped) returned as values with a
 * message for the report rather than thrown.
 */
import type { Dispatcher } from 'undici'
import { parseLenientJson } from './values.ts'

export interface Answer {
  status: number
  text: string
  /** The body parsed as JSON (NaN/±Infinity tokens allowed); undefined when it is not JSON. */
  json: unknown
  ms: number
}
export interface Failure {
  failure: string
  ms: number
}
export type Outcome = Answer | Failure

export const failed = (o: Outcome): o is Failure => 'failure' in o

export interface HttpClient {
  /** The full URL of a path under the endpoint. */
  url(path: string): string
  get(path: string): Promise<Outcome>
  post(path: string, body: string): Promise<Outcome>
  close(): Promise<void>
}

/** Words for a network error: what happened, not the library's stack. */
export function describeNetworkError(e: unknown, timeout: number): string {
  const err = e as { code?: string; message?: string; cause?: { code?: string } }
  const code = err.code ?? err.cause?.code
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running?)'
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_ABORTED')
    return `timed out after ${timeout} ms`
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE')
    return 'the server dropped the connection without an answer'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve'
  return err.message ?? String(e)
}

/** A client for the endpoint's origin; paths are appended to the endpoint's own path. */
export async function createHttpClient(endpoint: string, timeout: number): Promise<HttpClient> {
  const { Agent } = await import('undici')
  const base = new URL(endpoint)
  const prefix = base.pathname.replace(/\/$/, '')
  const agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout } })
  // The endpoint itself (path '') is used exactly as given, query included (the json protocol).
  const target = (path: string) => (path === '' ? `${base.pathname}${base.search}` : `${prefix}${path}`)
  const url = (path: string) => `${base.origin}${target(path)}`

  async function send(method: 'GET' | 'POST', path: string, body?: string): Promise<Outcome> {
    const start = performance.now()
    const options: Dispatcher.RequestOptions = {
      origin: base.origin,
      path: target(path),
      method,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body }),
    }
    try {
      const res = await agent.request(options)
      const text = await res.body.text()
      return { status: res.statusCode, text, json: parseLenientJson(text), ms: performance.now() - start }
    } catch (e) {
      return { failure: describeNetworkError(e, timeout), ms: performance.now() - start }
    }
  }

  return {
    url,
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
    close: () => agent.close(),
  }
}
