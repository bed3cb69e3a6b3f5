/**
 * HTTP benchmark (loopback only, bounded): a cached 64 KiB fixture (200) and a conditional
 * request (304) from `goldgen serve`'s app, against a bare node:http server serving the same bytes
 * in the same run. Each server runs in its own process; autocannon drives 50 connections for
 * BENCH_SECONDS (default 5) per case. Results go to stdout and bench/http-results.json.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { openRegistry } from '../registry/service.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = 50
const PATH = '/v1/datasets/bench/versions/1/data?format=csv'

function start(kind: string, dir: string): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./http-server.js', import.meta.url))
  const child = spawn(process.execPath, [script, kind, dir, PATH], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d) => resolve({ url: String(d).trim(), child }))
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)))
  })
}

async function measure(url: string, headers: Record<string, string>) {
  const result = await autocannon({
    url: `${url}${PATH}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers,
  })
  return {
    requestsPerSecond: result.requests.average,
    p99ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'goldgen-http-bench-'))
  try {
    // A 64 KiB fixture, published as a file.
    const file = join(dir, 'fixture.csv')
    let text = 'id,value,label\r\n'
    let i = 0
    for (; text.length < 65_536 - 64; i++) text += `${i},${(i * 0.37).toFixed(4)},row-${i}\r\n`
    const last = `${i},0,`
    text += `${last}${'x'.repeat(65_536 - text.length - last.length - 2)}\r\n`
    writeFileSync(file, text)
    const registry = await openRegistry({ dir: join(dir, 'reg') })
    await registry.publishFile(file, { dataset: 'bench' })
    const etag = `"${(await registry.representation('bench@1', 'csv')).sha256}"`
    registry.close()
    console.error(`goldgen HTTP bench: ${CONNECTIONS} connections, ${SECONDS} s per case, loopback`)
    const results: Record<string, Awaited<ReturnType<typeof measure>>> = {}
    for (const kind of ['bare', 'goldgen']) {
      const { url, child } = await start(kind, join(dir, 'reg'))
      try {
        await measure(url, {}) // warm-up
        results[`${kind} 200`] = await measure(url, {})
        results[`${kind} 304`] = await measure(url, { 'if-none-match': etag })
      } finally {
        child.kill('SIGTERM')
      }
    }
    const f = (n: number) => Math.round(n).toLocaleString('en-US')
    console.log(
      `| case (64 KiB fixture, ${CONNECTIONS} connections) | requests/s | p99 | vs bare node:http |`,
    )
    console.log('|---|---:|---:|---:|')
    for (const status of ['200', '304']) {
      const bare = results[`bare ${status}`]!
      const ours = results[`goldgen ${status}`]!
      console.log(`| bare node:http, ${status} | ${f(bare.requestsPerSecond)} | ${bare.p99ms} ms | 1.00× |`)
      console.log(
        `| goldgen serve, ${status} | ${f(ours.requestsPerSecond)} | ${ours.p99ms} ms | ${(ours.requestsPerSecond / bare.requestsPerSecond).toFixed(2)}× |`,
      )
    }
    writeFileSync(
      fileURLToPath(new URL('../../bench/http-results.json', import.meta.url)),
      `${JSON.stringify(results, null, 2)}\n`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
