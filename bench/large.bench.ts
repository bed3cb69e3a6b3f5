/**
 * `npm run bench:large`: the README's 8 numeric/categorical columns at BENCH_LARGE_ROWS rows
 * (default 100,000,000) streamed to Parquet, Arrow and CSV by the built CLI, each in a process of
 * its own under /usr/bin/time, which reports the process's peak resident memory (all threads).
 * The goal: peak RSS under 512 MiB whatever the row count. Results go to bench/latest/large-results.json.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeResults } from './results.ts'
import { numericSchema } from './tables.ts'

const ROWS = Number(process.env.BENCH_LARGE_ROWS ?? 100_000_000)
const WORKERS = process.env.BENCH_WORKERS ?? '2'
const FORMATS = (process.env.BENCH_FORMATS ?? 'parquet,arrow,csv').split(',')
const LIMIT_MIB = 512

const bin = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'goldgen-large-'))
const schema = join(dir, 'numeric.yaml')
writeFileSync(schema, numericSchema)

const results: Record<string, unknown>[] = []
try {
  for (const format of FORMATS) {
    const out = join(dir, `numeric.${format === 'arrow' ? 'arrow' : format}`)
    const load = loadavg()[0]!
    const started = process.hrtime.bigint()
    const run = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        '%M',
        process.execPath,
        bin,
        'generate',
        schema,
        '--rows',
        String(ROWS),
        '--workers',
        WORKERS,
        '-o',
        out,
        '--no-manifest',
      ],
      { encoding: 'utf8' },
    )
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    if (run.status !== 0) throw new Error(`goldgen generate ${format} failed: ${run.stderr}`)
    const peakKiB = Number(run.stderr.trim().split('\n').at(-1))
    const result = {
      format,
      rows: ROWS,
      workers: Number(WORKERS),
      seconds,
      rowsPerSecond: ROWS / seconds,
      bytes: statSync(out).size,
      peakRssMiB: peakKiB / 1024,
      underLimit: peakKiB / 1024 < LIMIT_MIB,
      loadAverageBefore: load,
    }
    rmSync(out, { force: true })
    results.push(result)
    console.log(
      `${format}: ${ROWS.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s (${Math.round(result.rowsPerSecond).toLocaleString('en-US')} rows/s), peak RSS ${result.peakRssMiB.toFixed(0)} MiB, ${(result.bytes / 2 ** 20).toFixed(0)} MiB written, load average ${load.toFixed(1)}`,
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
writeResults(
  'large-results.json',
  `${JSON.stringify({ node: process.version, limitMiB: LIMIT_MIB, results }, null, 2)}\n`,
)
