/**
 * `npm run bench:backends`: publish and fetch rates of the registry on its two backends, SQLite +
 * files (a local folder) and PostgreSQL + S3 (PostgreSQL 15 and s3rver started here on loopback,
 * as the tests do). Per backend: sequential publishes of BENCH_VERSIONS (default 150) distinct
 * ~10 kB CSV files, concurrent publishes (8 in flight) of as many more, first fetches of each
 * version's data over HTTP (cold: the blob comes from its store, verified), and repeated fetches
 * (8 in flight, the server's representation cache warm). Results: stdout and
 * bench/latest/backends-results.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openRegistry } from '../registry/service.ts'
import { listen } from '../src/server/listen.ts'
import { startPostgres } from '../test/servers/postgres.ts'
import { startS3 } from '../test/servers/s3.ts'
import { writeResults } from './results.ts'

const N = Number(process.env.BENCH_VERSIONS ?? 150)
const WARM_REQUESTS = 2000

const csv = (n: number) => {
  let out = 'id,label,score\r\n'
  for (let i = 0; i < 300; i++) out += `${i},item ${n}-${i},${(i * 7 + n) % 1000}\r\n`
  return out
}

async function inFlight<T>(count: number, limit: number, f: (i: number) => Promise<T>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) await f(next++)
    }),
  )
}

async function measure(name: string, dir: string, blobsAt?: string) {
  const registry = await openRegistry({ dir, blobsAt })
  const scratch = mkdtempSync(join(tmpdir(), 'goldgen-bench-'))
  const file = (n: number) => {
    const f = join(scratch, `${n}.csv`)
    writeFileSync(f, csv(n))
    return f
  }
  let t = performance.now()
  for (let i = 0; i < N; i++) await registry.publishFile(file(i), { dataset: 'bench' })
  const sequential = N / ((performance.now() - t) / 1000)
  t = performance.now()
  await inFlight(N, 8, (i) => registry.publishFile(file(N + i), { dataset: 'bench' }))
  const concurrent = N / ((performance.now() - t) / 1000)
  const server = await listen(registry, { host: '127.0.0.1', port: 0 })
  const get = async (v: number) => {
    const r = await fetch(`${server.url}/v1/datasets/bench/versions/${v}/data`)
    if (r.status !== 200) throw new Error(`GET version ${v}: ${r.status}`)
    await r.arrayBuffer()
  }
  t = performance.now()
  for (let v = 1; v <= 2 * N; v++) await get(v)
  const cold = (2 * N) / ((performance.now() - t) / 1000)
  t = performance.now()
  await inFlight(WARM_REQUESTS, 8, (i) => get((i % (2 * N)) + 1))
  const warm = WARM_REQUESTS / ((performance.now() - t) / 1000)
  await server.close()
  registry.close()
  rmSync(scratch, { recursive: true, force: true })
  return { backend: name, sequential, concurrent, cold, warm }
}

const local = mkdtempSync(join(tmpdir(), 'goldgen-bench-local-'))
const pg = await startPostgres()
const s3 = await startS3()
Object.assign(process.env, s3.env)
try {
  const results = [
    await measure('SQLite + files', local),
    await measure('PostgreSQL + S3 (s3rver)', await pg.createDatabase('bench'), `s3://${s3.bucket}/bench`),
  ]
  const f = (x: number) => Math.round(x).toLocaleString('en-US')
  const lines = [
    `| backend (${N} versions of ~10 kB CSV) | publish/s sequential | publish/s, 8 in flight | first fetch/s (cold) | fetch/s, 8 in flight (warm) |`,
    '|---|---:|---:|---:|---:|',
    ...results.map(
      (r) => `| ${r.backend} | ${f(r.sequential)} | ${f(r.concurrent)} | ${f(r.cold)} | ${f(r.warm)} |`,
    ),
  ]
  console.log(lines.join('\n'))
  writeResults(
    'backends-results.json',
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, versions: N, results }, null, 2)}\n`,
  )
} finally {
  await s3.stop()
  pg.stop()
  rmSync(local, { recursive: true, force: true })
}
