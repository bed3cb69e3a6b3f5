/**
 * Browser-UI benchmark: a registry of 1,000 dataset versions (one dataset with 950 versions, 50
 * datasets with one each), then each page type is requested through the app (in process, no
 * network) and timed. Lists are paginated, so a page's cost should not grow with the versions.
 * Results go to stdout and bench/latest/ui-results.json; it fails when a page's median exceeds
 * UI_BENCH_MAX_MS (default 250 ms).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openRegistry } from '../registry/service.ts'
import { createApp } from '../src/server/app.ts'
import { writeResults } from './results.ts'

const RUNS = Number(process.env.UI_BENCH_RUNS ?? 15)
const MAX_MS = Number(process.env.UI_BENCH_MAX_MS ?? 250)

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'goldgen-ui-bench-'))
  try {
    const registry = await openRegistry({ dir: join(dir, 'reg') })
    const file = join(dir, 'v.csv')
    const started = performance.now()
    for (let i = 0; i < 950; i++) {
      writeFileSync(file, `id,value,label\n${i},${i * 0.5},l${i % 7}\n${i + 1},${i},l${(i + 3) % 7}\n`)
      await registry.publishFile(file, { dataset: 'big' })
      if (i % 100 === 0) await registry.alias(`big@${i + 1}`, i % 200 === 0 ? 'stable' : 'candidate')
    }
    for (let d = 0; d < 50; d++) {
      writeFileSync(file, `id,value\n${d},${d}\n`)
      await registry.publishFile(file, { dataset: `small-${String(d).padStart(2, '0')}` })
    }
    console.error(
      `goldgen UI bench: 1000 versions published in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
    const app = createApp(registry)
    const pages = {
      datasets: '/',
      search: '/?q=small-4',
      'dataset (950 versions), page 1': '/datasets/big',
      'dataset (950 versions), page 19': '/datasets/big?page=19',
      'data card': '/datasets/big/versions/500',
      diff: '/datasets/big/diff?a=499&b=500',
    }
    const results: Record<string, { medianMs: number; p90Ms: number; bytes: number }> = {}
    let failed = false
    for (const [name, path] of Object.entries(pages)) {
      const times: number[] = []
      let bytes = 0
      for (let r = 0; r < RUNS + 2; r++) {
        const t = performance.now()
        const res = await app.request(path)
        const body = await res.text()
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body.slice(0, 200)}`)
        if (r >= 2) times.push(performance.now() - t) // two warm-up requests
        bytes = body.length
      }
      times.sort((a, b) => a - b)
      const medianMs = Number(times[Math.floor(times.length / 2)]!.toFixed(2))
      const p90Ms = Number(times[Math.floor(times.length * 0.9)]!.toFixed(2))
      results[name] = { medianMs, p90Ms, bytes }
      const over = medianMs > MAX_MS
      failed ||= over
      console.log(
        `${name.padEnd(34)} median ${medianMs} ms  p90 ${p90Ms} ms  ${bytes} bytes${over ? '  OVER' : ''}`,
      )
    }
    registry.close()
    writeResults(
      'ui-results.json',
      `${JSON.stringify({ versions: 1000, runs: RUNS, maxMs: MAX_MS, results }, null, 2)}\n`,
    )
    if (failed) {
      console.error(`goldgen UI bench: a page's median is over ${MAX_MS} ms`)
      process.exitCode = 1
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
