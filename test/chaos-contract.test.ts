/**
 * `goldgen contract … --chaos plan.yaml` end to end, all in real processes on loopback: a
 * scoring model (test/fixtures/chaos/model.mjs) reads its weights on every request from
 * `goldgen serve` through `goldgen chaos`. The graceful variant bounds that read and answers a
 * clean 503, so it passes every window and recovers; the fragile one hangs on a stalled store
 * and answers 500 with a stack trace when the store is gone, so the run fails naming those
 * windows (JUnit and --json carry the windows and their figures).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContractReport } from '../src/index.ts'
import { type ChaosHarness, MODEL, startChaosHarness } from './fixtures/chaos/harness.ts'
import { runGoldgen, tempDir } from './helpers.ts'
import { freePort } from './servers/port.ts'

const dir = tempDir()
let h: ChaosHarness
beforeAll(async () => {
  h = await startChaosHarness(dir)
}, 120_000)
afterAll(() => h?.stop())

const WINDOWS = [
  '{ name: slow-store, after: 300ms, for: 600ms, fault: { latency: { ms: 100, jitter_ms: 20 } } }',
  '{ name: flaky-store, after: 1100ms, for: 500ms, fault: { reset: { probability: 1 } } }',
  '{ name: stalled-store, after: 1800ms, for: 1600ms, fault: { timeout: {} } }',
  '{ name: store-down, after: 3600ms, for: 600ms, fault: { down: {} } }',
]
const contract = (variant: 'graceful' | 'fragile', plan: string, ...extra: string[]) =>
  runGoldgen([
    'contract',
    MODEL,
    '--endpoint',
    h.endpoint(variant),
    '--protocol',
    'json',
    '--registry',
    h.registryDir,
    '--chaos',
    plan,
    '--batch',
    '10',
    '--concurrency',
    '2',
    '--timeout',
    '1200',
    ...extra,
  ])
const byWindow = (r: ContractReport) => Object.fromEntries(r.stages.map((s) => [s.window ?? s.stage, s]))

describe('contract --chaos against a model reading a real dependency through the proxy', () => {
  it('a model that degrades gracefully passes every window and recovers', async () => {
    const r = await contract('graceful', h.plan('graceful', WINDOWS), '--json')
    const report = JSON.parse(r.stdout) as ContractReport
    const w = byWindow(report)
    // The baseline is there when a request was sent and answered before the first window.
    expect(Object.keys(w).filter((k) => k !== 'baseline')).toEqual([
      'health',
      'slow-store',
      'flaky-store',
      'stalled-store',
      'store-down',
      'recovery',
    ])
    expect(
      report.stages.map((s) => `${s.window ?? s.stage} ${s.status}`).filter((s) => !s.endsWith('pass')),
    ).toEqual([])
    expect(r.code).toBe(0)
    // The store answered, slowly: correct predictions that took at least the latency.
    expect(w['slow-store']!.chaos).toMatchObject({ fault: { latency: { ms: 100, jitter_ms: 20 } }, bad: 0 })
    expect(w['slow-store']!.chaos!.correct).toBeGreaterThan(0)
    expect(w['slow-store']!.chaos!.p50).toBeGreaterThanOrEqual(80)
    // Reset, stalled and down: the model said so with a clean 503 and an error body.
    for (const name of ['flaky-store', 'stalled-store', 'store-down']) {
      const f = w[name]!.chaos!
      expect(f.unavailable, name).toBeGreaterThan(0)
      expect(f.bad, name).toBe(0)
      expect(f.statuses['503'], name).toBe(f.unavailable)
    }
    // Stalled: the model gave up on its store after its own 500 ms, before --timeout.
    expect(w['stalled-store']!.chaos!.p50).toBeGreaterThanOrEqual(490)
    const recovery = w.recovery!.chaos!
    expect(recovery.recovered_ms).not.toBeNull()
    expect(recovery.recovered_ms!).toBeLessThanOrEqual(3000)
    expect(w.recovery!.reason).toMatch(/^recovery after window store-down: answered correctly \d+ ms after/)
  }, 60_000)

  it('a model that hangs or answers 500 with a stack trace fails, naming the windows', async () => {
    const junit = join(dir, 'fragile.xml')
    const r = await contract('fragile', h.plan('fragile', WINDOWS), '--junit', junit)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/PASS chaos: window slow-store \(latency 100±20 ms, /)
    expect(r.stdout).toMatch(
      /FAIL chaos: window flaky-store \(reset 1, [^)]*\): \d+ of \d+ answers were neither valid predictions nor a clean 503\/504: chaos-features@1 rows \d+–\d+: answered 500 with a JavaScript stack trace/,
    )
    expect(r.stdout).toMatch(
      /FAIL chaos: window stalled-store \(timeout, [^)]*\): .*no answer: timed out after 1200 ms \(a hang past --timeout 1200 ms\)/,
    )
    expect(r.stdout).toMatch(
      /FAIL chaos: window store-down \(down, [^)]*\): .*answered 500 with a JavaScript stack trace/,
    )
    const xml = readFileSync(junit, 'utf8')
    for (const name of ['slow-store', 'flaky-store', 'stalled-store', 'store-down', 'recovery'])
      expect(xml).toContain(`name="chaos ${name}"`)
    expect(xml).toMatch(/name="chaos stalled-store" time="[\d.]+">\s*<failure message="window stalled-store/)
    expect(xml).toMatch(/name="chaos slow-store" time="[\d.]+">\s*<system-out>/)
  }, 60_000)

  it('--stages run before the chaos stage; an unreachable control API fails it with the reason; a bad plan is exit 2 naming the line', async () => {
    const plan = join(dir, 'nowhere.yaml')
    const port = await freePort()
    writeFileSync(
      plan,
      `control: http://127.0.0.1:${port}\nwindows:\n  - { name: w, after: 0s, for: 100ms, fault: { down: {} } }\n`,
    )
    const r = await contract('graceful', plan, '--stages', 'health,replay')
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('PASS replay chaos-features@1: 40 rows match the expected outputs')
    expect(r.stdout).toContain(
      `FAIL chaos: ${plan}: cannot reach the fault proxy: the chaos control API DELETE http://127.0.0.1:${port}/faults failed: connection refused`,
    )
    writeFileSync(
      plan,
      `control: ${h.control}\nwindows:\n  - { name: w, after: 0s, for: 0s, fault: { down: {} } }\n`,
    )
    const bad = await contract('graceful', plan)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(`${plan}: invalid chaos plan (1 problem)`)
    expect(bad.stderr).toMatch(/windows\[0\]\.for \(line 3, column \d+\): expected a duration > 0/)
  }, 30_000)
})
