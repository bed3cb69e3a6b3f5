/**
 * The load generator: C keep-alive connections (one undici pool) each sending the next request
 * as soon as the last one is answered, for S seconds; latencies go into a typed array and
 * become p50/p90/p95/p99/mean/max, throughput and error rate. Bodies are encoded before the
 * clock starts, so the loop does nothing but send and time (bench/contract.bench.ts measures
 * its ceiling against a trivial endpoint).
 */
import type { LoadFigures } from './sla.ts'

export interface LoadRequest {
  /** Path (with the endpoint's own path) and JSON body. */
  path: string
  body: string
}

export interface LoadOptions {
  origin: string
  /** Sent in turn, round-robin. */
  requests: LoadRequest[]
  concurrency: number
  seconds: number
  /** Milliseconds before a request counts as failed. */
  timeout: number
}

export interface LoadResult {
  figures: LoadFigures
  /** How many answers of each status, and how many failures of each kind. */
  statuses: Record<string, number>
  failures: Record<string, number>
}

/** The value at quantile q (nearest rank) of sorted values. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.ceil(q * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

const round = (x: number) => Math.round(x * 1000) / 1000

/** Figures of a load run from its latencies (ms), its request and error counts and its length. */
export function figuresOf(
  latencies: Float64Array,
  requests: number,
  errors: number,
  seconds: number,
): LoadFigures {
  const sorted = latencies.slice().sort()
  let sum = 0
  for (const x of sorted) sum += x
  return {
    p50: round(quantile(sorted, 0.5)),
    p90: round(quantile(sorted, 0.9)),
    p95: round(quantile(sorted, 0.95)),
    p99: round(quantile(sorted, 0.99)),
    mean: round(sorted.length === 0 ? 0 : sum / sorted.length),
    max: round(sorted.length === 0 ? 0 : sorted[sorted.length - 1]!),
    error_rate: requests === 0 ? 0 : errors / requests,
    rps: round((requests - errors) / seconds),
    requests,
    errors,
    seconds: round(seconds),
  }
}

/** Runs the load and returns its figures. */
export async function generateLoad(o: LoadOptions): Promise<LoadResult> {
  const { Pool } = await import('undici')
  const pool = new Pool(o.origin, { connections: o.concurrency, pipelining: 1, keepAliveTimeout: 10_000 })
  let latencies = new Float64Array(1 << 14)
  let count = 0
  let requests = 0
  let errors = 0
  let next = 0
  const statuses: Record<string, number> = {}
  const failures: Record<string, number> = {}
  const headers = { 'content-type': 'application/json' }
  // dispatch with a bare handler: no response stream object per request (the loop's hot path).
  const send = (r: LoadRequest) =>
    new Promise<number>((resolve, reject) => {
      let status = 0
      pool.dispatch(
        {
          path: r.path,
          method: 'POST',
          headers,
          body: r.body,
          headersTimeout: o.timeout,
          bodyTimeout: o.timeout,
        },
        {
          onConnect: () => {},
          onHeaders: (statusCode) => {
            status = statusCode
            return true
          },
          onData: () => true,
          onComplete: () => resolve(status),
          onError: reject,
        },
      )
    })
  const begin = performance.now()
  const end = begin + o.seconds * 1000
  async function worker() {
    while (performance.now() < end) {
      const r = o.requests[next++ % o.requests.length]!
      const t0 = performance.now()
      requests++
      try {
        const status = await send(r)
        const ms = performance.now() - t0
        if (count === latencies.length) {
          const grown = new Float64Array(latencies.length * 2)
          grown.set(latencies)
          latencies = grown
        }
        latencies[count++] = ms
        statuses[status] = (statuses[status] ?? 0) + 1
        if (status >= 400) errors++
      } catch (e) {
        errors++
        const code = (e as { code?: string }).code ?? 'error'
        failures[code] = (failures[code] ?? 0) + 1
      }
    }
  }
  await Promise.all(Array.from({ length: o.concurrency }, worker))
  const seconds = (performance.now() - begin) / 1000
  await pool.close()
  return { figures: figuresOf(latencies.subarray(0, count), requests, errors, seconds), statuses, failures }
}
