/**
 * Where benchmarks write their results: bench/latest/ (untracked), so running a benchmark never
 * rewrites a tracked file. The figures the README cites are copied from there into the tracked
 * bench/*-results.json by hand, with the README, when they are refreshed.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Writes `text` to bench/latest/`name` and returns the path. */
export function writeResults(name: string, text: string): string {
  const dir = fileURLToPath(new URL('../../bench/latest/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  const file = `${dir}${name}`
  writeFileSync(file, text)
  return file
}
