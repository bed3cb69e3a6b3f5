/**
 * The contract load generator's ceiling: goldgen's generator (src/contract/load.ts) and autocannon
 * drive the same trivial endpoint (bench/contract-server.ts, its own process) with the same body,
 * connections and duration, in the same run. The endpoint answers in microseconds, so the
 * requests per second each reaches is what the generator itself can send: the most a load
 * stage can measure. Results go to stdout and bench/latest/contract-results.json.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { generateLoad } from '../src/contract/load.ts'
import { writeResults } from './results.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const BODY = JSON.stringify({ instances: [{ age: 41, income: 52000.5, score: 0.42, plan: 'pro' }] })

function start(): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./contract-server.js', import.meta.url))
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d) => resolve({ url: String(d).trim(), child }))
    child.once('exit', (code) => reject(new Error(`the trivial endpoint exited with ${code}`)))
  })
}

async function goldgenLoad(url: string, connections: number, seconds: number) {
  const { figures } = await generateLoad({
    origin: url,
    requests: [{ path: '/predict', body: BODY }],
    concurrency: connections,
    seconds,
    timeout: 5000,
  })
  return { requestsPerSecond: figures.rps, p99ms: figures.p99, errors: figures.errors }
}

async function autocannonLoad(url: string, connections: number, seconds: number) {
  const r = await autocannon({
    url: `${url}/predict`,
    method: 'POST',
    body: BODY,
    headers: { 'content-type': 'application/json' },
    connections,
    duration: seconds,
  })
  return { requestsPerSecond: r.requests.average, p99ms: r.latency.p99, errors: r.errors + r.non2xx }
}

async function main() {
  const { url, child } = await start()
  const results: Record<string, Awaited<ReturnType<typeof goldgenLoad>>> = {}
  try {
    await goldgenLoad(url, 8, 1) // warm-up
    for (const connections of [1, 8, 32]) {
      results[`goldgen ${connections}`] = await goldgenLoad(url, connections, SECONDS)
      results[`autocannon ${connections}`] = await autocannonLoad(url, connections, SECONDS)
    }
  } finally {
    child.kill('SIGTERM')
  }
  const f = (n: number) => Math.round(n).toLocaleString('en-US')
  console.error(`goldgen contract load bench: trivial endpoint on loopback, ${SECONDS} s per case`)
  console.log(
    '| connections | goldgen load stage, requests/s | autocannon, requests/s | goldgen vs autocannon |',
  )
  console.log('|---:|---:|---:|---:|')
  for (const connections of [1, 8, 32]) {
    const ours = results[`goldgen ${connections}`]!
    const theirs = results[`autocannon ${connections}`]!
    console.log(
      `| ${connections} | ${f(ours.requestsPerSecond)} | ${f(theirs.requestsPerSecond)} | ${(ours.requestsPerSecond / theirs.requestsPerSecond).toFixed(2)}× |`,
    )
  }
  writeResults('contract-results.json', `${JSON.stringify(results, null, 2)}\n`)
}

await main()
