/**
 * A client of the `goldgen chaos` control API, as a chaos plan drives it: read, replace and
 * clear the faults. A proxy that cannot be reached or refuses a fault is an IO GoldgenError
 * naming the URL and what it answered.
 */
import { GoldgenError } from '../core/errors.ts'
import type { Faults } from './faults.ts'

export interface ControlClient {
  url: string
  get(): Promise<Faults>
  put(faults: Faults): Promise<Faults>
  clear(): Promise<void>
}

function words(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (err.name === 'TimeoutError') return 'no answer within 5 s'
  if (err.cause?.code === 'ECONNREFUSED') return 'connection refused (is goldgen chaos running there?)'
  return err.cause?.message ?? err.message ?? String(e)
}

/** A client for the control API at `base` (e.g. http://127.0.0.1:8474). */
export function controlClient(base: string): ControlClient {
  const url = `${base.replace(/\/+$/, '')}/faults`
  async function call(method: 'GET' | 'PUT' | 'DELETE', body?: Faults): Promise<Faults> {
    let res: Response
    try {
      res = await fetch(url, {
        method,
        signal: AbortSignal.timeout(5000),
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      })
    } catch (e) {
      throw new GoldgenError('IO', `the chaos control API ${method} ${url} failed: ${words(e)}`, { cause: e })
    }
    const text = await res.text()
    if (res.status !== 200) {
      let detail = text.slice(0, 300)
      try {
        detail = String((JSON.parse(text) as { detail?: unknown }).detail ?? detail)
      } catch {
        // Not JSON: the text as it came.
      }
      throw new GoldgenError('IO', `the chaos control API ${method} ${url} answered ${res.status}: ${detail}`)
    }
    try {
      return JSON.parse(text) as Faults
    } catch {
      throw new GoldgenError(
        'IO',
        `the chaos control API ${method} ${url} answered something that is not JSON`,
      )
    }
  }
  return {
    url,
    get: () => call('GET'),
    put: (faults) => call('PUT', faults),
    clear: async () => {
      await call('DELETE')
    },
  }
}
