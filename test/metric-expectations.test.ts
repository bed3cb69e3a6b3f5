/**
 * Metric expectations end to end through the CLI: two model versions (real outputs files made by
 * a real model process, test/metrics/model.mjs) whose mae drops on one slice only, so
 * `--baseline … --max-drop …` fails there and nowhere else; metric expectations without an
 * outputs file checked with --run; the --json shape; parse errors, a baseline without expected
 * outputs and a conflicting second expectation.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROOT, runGoldgen, tempDir } from './helpers.ts'

const MODEL = join(ROOT, 'test/metrics/model.mjs')
const dir = tempDir()
const run = (...args: string[]) => runGoldgen([...args, '--registry', join(dir, 'reg')], { cwd: dir })
const out = (name: string) => join(dir, name)
const METRICS = ['--metric', 'mae(y, pred) <= 2', '--metric', 'roc_auc(label, prob) >= 0.7']
const SLICES = ['--slice', 'segment', '--slice', 'age:bins=[0,18,30,50,90]']

interface Check {
  metric: string
  slice: string
  value: number | null
  status: string
  passed: boolean
  rows: number
  excluded: number
  bound: number
  op: string
  baseline?: { model: string; value: number | null; drop: number | null; maxDrop: number; passed: boolean }
}

beforeAll(async () => {
  expect((await run('publish', join(ROOT, 'test/metrics/slices.yaml'), '--dataset', 'slices')).code).toBe(0)
  expect((await run('fetch', 'slices@1', '-o', out('in.csv'))).code).toBe(0)
  for (const v of ['v1', 'v2']) execFileSync(process.execPath, [MODEL, out('in.csv'), out(`${v}.csv`), v])
  for (const m of ['m@1', 'm@2', 'm@3', 'm@4']) expect((await run('model', 'add', m)).code).toBe(0)
}, 60_000)

describe('metric expectations', () => {
  it('a baseline fails only on the slice where the metric dropped', async () => {
    const first = await run('expect', 'm@1', 'slices@1', out('v1.csv'), ...METRICS, '--slice', 'segment')
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toContain('m@1 expects 2 metrics on slices@1, per slice of segment')
    const second = await run(
      'expect',
      'm@2',
      'slices@1',
      out('v2.csv'),
      ...METRICS,
      ...SLICES,
      '--baseline',
      'm@1',
      '--max-drop',
      '0.3',
    )
    expect(second.code, second.stderr).toBe(0)
    const text = await run('check', 'm@2', '--outputs', out('v2.csv'))
    expect(text.code).toBe(1)
    expect(text.stdout).toContain('PASS m@2 on slices@1: 600 rows compared, 0 failing')
    expect(text.stdout).toMatch(/FAIL m@2 metrics on slices@1: 16 values, 1 failing \(baseline m@1\)/)
    expect(text.stdout).toMatch(
      /mae\(y, pred\) on segment=enterprise: [\d.]+ is [\d.]+ above m@1's [\d.]+ \(max drop 0\.3\)/,
    )

    const json = await run('check', 'm@2', '--outputs', out('v2.csv'), '--json')
    expect(json.code).toBe(1)
    const report = JSON.parse(json.stdout)
    expect(report.passed).toBe(false)
    const [m] = report.metrics as { dataset: string; passed: boolean; checks: Check[]; problems: string[] }[]
    expect(m!.dataset).toBe('slices@1')
    expect(m!.problems).toEqual([])
    // Every value is reported: 2 metrics × (overall + 3 segments + 5 age bins, one of them empty).
    const slices = [
      'overall',
      'segment=business',
      'segment=consumer',
      'segment=enterprise',
      'age=[0,18)',
      'age=[18,30)',
      'age=[30,50)',
      'age=[50,90)',
    ]
    expect(m!.checks.map((c) => c.slice)).toEqual([...slices, ...slices])
    expect(m!.checks.filter((c) => !c.passed).map((c) => [c.metric, c.slice])).toEqual([
      ['mae(y, pred) <= 2', 'segment=enterprise'],
    ])
    const enterprise = m!.checks.find((c) => c.slice === 'segment=enterprise' && c.metric.startsWith('mae'))!
    expect(enterprise.baseline!.model).toBe('m@1')
    expect(enterprise.baseline!.drop).toBeCloseTo(enterprise.value! - enterprise.baseline!.value!, 12)
    expect(enterprise.baseline!.drop!).toBeGreaterThan(1)
    const empty = m!.checks.find((c) => c.slice === 'age=[0,18)')!
    expect([empty.status, empty.value, empty.rows, empty.passed]).toEqual(['empty', null, 0, true])
    for (const c of m!.checks.filter((x) => x.metric.startsWith('roc_auc') && x.rows > 0))
      expect([c.status, c.baseline!.drop]).toEqual(['pass', 0])
    // m@1's own outputs meet m@1's metric expectations.
    expect((await run('check', 'm@1', '--outputs', out('v1.csv'))).code).toBe(0)
  })

  it('checks metric expectations without expected outputs, the outputs made by --run', async () => {
    const add = await run(
      'expect',
      'm@3',
      'slices@1',
      '--metric',
      'mae(y, pred) <= 0.5',
      '--slice',
      'segment',
    )
    expect(add.code, add.stderr).toBe(0)
    expect(add.stdout).toBe('m@3 expects 1 metric on slices@1, per slice of segment\n')
    const again = await run(
      'expect',
      'm@3',
      'slices@1',
      '--metric',
      'mae(y, pred) <= 0.5',
      '--slice',
      'segment',
    )
    expect(again.stdout).toContain('(already attached)')
    const cmd = (v: string) =>
      `${JSON.stringify(process.execPath)} ${JSON.stringify(MODEL)} {input} {output} ${v}`
    const good = await run('check', 'm@3', '--run', cmd('v1'), '--input-format', 'csv')
    expect(good.code, good.stdout + good.stderr).toBe(0)
    const bad = await run('check', 'm@3', '--run', cmd('v2'), '--input-format', 'csv', '--json')
    expect(bad.code).toBe(1)
    const report = JSON.parse(bad.stdout)
    expect(report.results).toEqual([])
    expect(report.metrics[0].checks.filter((c: Check) => !c.passed).map((c: Check) => c.slice)).toEqual([
      'segment=enterprise',
    ])
    const text = await run('check', 'm@3', '--run', cmd('v2'), '--input-format', 'csv')
    expect(text.stdout).toMatch(/mae\(y, pred\) <= 0\.5 fails on segment=enterprise: 1\.\d+ is not <= 0\.5/)
  })

  it('refuses bad options with exit code 2, naming the option and what is wrong', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--metric', 'auc(label, prob) >= 0.8'],
        /--metric "auc\(label, prob\) >= 0\.8": at position 1: unknown metric "auc"/,
      ],
      [['--metric', 'mae(y pred) <= 1'], /--metric "mae\(y pred\) <= 1": at position 7: expected ","/],
      [
        ['--metric', 'mae(y, pred) <= 1', '--slice', 'age:bins=[30,18]'],
        /--slice "age:bins=\[30,18\]": at position 14: bin edges must increase/,
      ],
      [
        ['--metric', 'mae(y, pred) <= 1', '--baseline', 'm@1'],
        /--baseline MODEL@VERSION and --max-drop X go together/,
      ],
      [
        ['--metric', 'mae(y, pred) <= 1', '--baseline', 'm@1', '--max-drop', '-1'],
        /--max-drop "-1": expected a number ≥ 0/,
      ],
      [['--slice', 'segment'], /--slice needs at least one --metric/],
      [[], /give an outputs file, or at least one --metric/],
      [
        ['--metric', 'mae(y, pred) <= 1', '--baseline', 'm@3', '--max-drop', '0.1'],
        /the baseline m@3 has no expected outputs for slices@1; attach them with goldgen expect m@3 slices@1 OUTPUTS/,
      ],
      [
        ['--metric', 'mae(y, nope) <= 1', '--baseline', 'm@1', '--max-drop', '0.1'],
        /do not fit the expected outputs of m@1: mae\(y, nope\) <= 1: the prediction column "nope" is not in the outputs \(pred, prob\)/,
      ],
      [
        ['--metric', 'mae(y, pred) <= 9'],
        /other metric expectations are already stored for m@3 on slices@1 .*; they are immutable/,
      ],
    ]
    for (const [args, message] of cases) {
      // m@4 has no expectations yet; m@3 has metric expectations (the conflict).
      const conflict = message.source.includes('already stored')
      const r = await run('expect', conflict ? 'm@3' : 'm@4', 'slices@1', ...args)
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, expect.stringMatching(message)])
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
    const wrongFile = await run(
      'expect',
      'm@4',
      'slices@1',
      out('v2.csv'),
      '--metric',
      'f1(segment, prob) >= 0.5',
    )
    expect([wrongFile.code, wrongFile.stderr]).toEqual([
      2,
      expect.stringMatching(/"segment" must hold binary labels .* row 0 has "business"/),
    ])
    // Bad metrics leave nothing attached, not even the outputs file given with them.
    expect((await run('fixtures', 'm@4', '--json')).stdout.trim()).toBe('[]')
  })
})
