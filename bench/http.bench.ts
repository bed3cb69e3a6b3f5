/**
 * HTTP benchmark (loopback only, bounded): goldgen serve's fast path against a bare node:http
 * server serving the same bytes, in the same run, for a 64 KiB fixture (held in memory by both)
 * and a ~3 MB version (streamed from its file by both: goldgen checks its stat fingerprint and
 * every chunk, the baseline checks nothing), each as 200 and as a conditional request (304).
 * Each server runs in its own process; autocannon drives 50 connections for BENCH_SECONDS
 * (default 4) per measurement, alternating bare and goldgen for BENCH_ROUNDS rounds (default 3),
 * so that the load of a shared machine falls on both; the median of each is reported.
 * Results go to stdout and bench/latest/http-results.json.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { openRegistry } from '../registry/service.ts'
import { writeResults } from './results.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CONNECTIONS = 50
const CASES = {
  small: { path: '/v1/datasets/bench/versions/1/data?format=csv', label: '64 KiB fixture' },
  large: { path: '/v1/datasets/large/versions/1/data?format=csv', label: '~3 MB version' },
} as const

function start(kind: string, dir: string): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./http-server.js', import.meta.url))
  const child = spawn(process.execPath, [script, kind, dir], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d) => resolve({ url: String(d).trim(), child }))
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)))
  })
}

/** CPU seconds (user + system) a process has used so far, from /proc (undefined elsewhere). */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return undefined
  }
}

async function measure(url: string, headers: Record<string, string>, pid?: number) {
  const before = cpuSeconds(pid)
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers })
  const after = cpuSeconds(pid)
  return {
    requestsPerSecond: result.requests.average,
    bytesPerSecond: result.throughput.average,
    p99ms: result.latency.p99,
    // The server's CPU time per response: what the load of a shared machine disturbs least.
    cpuMicrosPerResponse:
      before === undefined || after === undefined || result.requests.total === 0
        ? null
        : ((after - before) * 1e6) / result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

/** A CSV of about `bytes` bytes, rows of an id, a number and a label. */
function csv(bytes: number): string {
  const lines = ['id,value,label']
  let size = lines[0]!.length + 2
  for (let i = 0; size < bytes; i++) {
    const line = `${i},${(i * 0.37).toFixed(4)},row-${i}`
    lines.push(line)
    size += line.length + 2
  }
  return `${lines.join('\r\n')}\r\n`
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** The cases to run (BENCH_CASES=small,large; default both). */
const cases = (Object.entries(CASES) as [keyof typeof CASES, (typeof CASES)[keyof typeof CASES]][]).filter(
  ([size]) => (process.env.BENCH_CASES ?? 'small,large').split(',').includes(size),
)

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'goldgen-http-bench-'))
  try {
    writeFileSync(join(dir, 'fixture.csv'), csv(65_536))
    writeFileSync(join(dir, 'large.csv'), csv(3_000_000))
    const registry = await openRegistry({ dir: join(dir, 'reg') })
    await registry.publishFile(join(dir, 'fixture.csv'), { dataset: 'bench' })
    await registry.publishFile(join(dir, 'large.csv'), { dataset: 'large' })
    const etags = {
      small: `"${(await registry.representation('bench@1', 'csv')).sha256}"`,
      large: `"${(await registry.representation('large@1', 'csv')).sha256}"`,
    }
    registry.close()
    console.error(
      `goldgen HTTP bench: ${CONNECTIONS} connections, ${SECONDS} s per measurement, ${ROUNDS} rounds, loopback`,
    )
    const servers = {
      bare: await start('bare', join(dir, 'reg')),
      goldgen: await start('goldgen', join(dir, 'reg')),
    }
    const runs: Record<string, Awaited<ReturnType<typeof measure>>[]> = {}
    try {
      for (const [size, c] of cases) {
        // Warm-up: the first request of each representation fills goldgen's cache through the app.
        for (const s of Object.values(servers)) await measure(`${s.url}${c.path}`, {})
        for (let round = 0; round < ROUNDS; round++) {
          for (const status of ['200', '304'] as const) {
            const headers: Record<string, string> = status === '304' ? { 'if-none-match': etags[size] } : {}
            for (const [kind, s] of Object.entries(servers)) {
              const key = `${size} ${kind} ${status}`
              const result = await measure(`${s.url}${c.path}`, headers, s.child.pid)
              runs[key] = [...(runs[key] ?? []), result]
            }
          }
        }
      }
    } finally {
      for (const s of Object.values(servers)) s.child.kill('SIGTERM')
    }
    const f = (n: number) => Math.round(n).toLocaleString('en-US')
    const results: Record<string, unknown> = {}
    console.log(
      `| case (${CONNECTIONS} connections, median of ${ROUNDS}) | requests/s | p99 | vs bare node:http | server CPU per response | vs bare (CPU) |`,
    )
    console.log('|---|---:|---:|---:|---:|---:|')
    const cpu = (list: Awaited<ReturnType<typeof measure>>[]) =>
      median(list.map((r) => r.cpuMicrosPerResponse ?? Number.NaN))
    const us = (n: number) => (Number.isNaN(n) ? 'n/a' : `${n.toFixed(n < 100 ? 1 : 0)} µs`)
    for (const [size, c] of cases) {
      for (const status of ['200', '304']) {
        const bare = runs[`${size} bare ${status}`]!
        const ours = runs[`${size} goldgen ${status}`]!
        const b = median(bare.map((r) => r.requestsPerSecond))
        const o = median(ours.map((r) => r.requestsPerSecond))
        const ratio = o / b
        // As a speed: bare's CPU per response over goldgen's (above 1: goldgen spends less).
        const cpuRatio = cpu(bare) / cpu(ours)
        results[`${size} ${status}`] = {
          bare,
          goldgen: ours,
          bareMedian: b,
          goldgenMedian: o,
          ratio,
          cpuRatio,
        }
        const p99 = (list: typeof bare) => median(list.map((r) => r.p99ms))
        console.log(
          `| ${c.label}, ${status}: bare node:http | ${f(b)} | ${p99(bare)} ms | 1.00× | ${us(cpu(bare))} | 1.00× |`,
        )
        console.log(
          `| ${c.label}, ${status}: goldgen serve | ${f(o)} | ${p99(ours)} ms | ${ratio.toFixed(2)}× | ${us(cpu(ours))} | ${cpuRatio.toFixed(2)}× |`,
        )
        const failed = ours.reduce((s, r) => s + r.errors + (status === '200' ? r.non2xx : 0), 0)
        if (failed > 0) console.error(`goldgen ${size} ${status}: ${failed} failed responses`)
      }
    }
    writeResults('http-results.json', `${JSON.stringify(results, null, 2)}\n`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
