/**
 * `goldgen contract` against a real scikit-learn model served behind each protocol (OIP, KServe
 * v1, MLflow, plain JSON) by test/contract/serve.py, and behind faulty servers that must each
 * fail the right stage and only that one. Expected outputs come from scikit-learn; what each
 * protocol can carry is worked out here from the fixture's CSV, not by the runner.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { oip } from '../src/contract/protocols/oip.ts'
import { type ContractOptions, type ContractReport, runContract } from '../src/index.ts'
import { createApp } from '../src/server/app.ts'
import { expectContract } from '../src/vitest.ts'
import { FIXTURE, type Harness, MODEL, startHarness } from './contract/harness.ts'
import { cli, ROOT, runGoldgen, tempDir } from './helpers.ts'

const dir = tempDir()
let h: Harness
beforeAll(async () => {
  h = await startHarness(dir)
}, 120_000)
afterAll(() => h?.stop())

const fast = { duration: 0.5, concurrency: 4, modelName: 'churn' } as const
const run = (protocol: ContractOptions['protocol'], variant: string, extra: Partial<ContractOptions> = {}) =>
  runContract({
    model: MODEL,
    endpoint: h.endpoint(protocol!, variant),
    protocol,
    registry: h.registry,
    ...fast,
    ...extra,
  })

/** Stage (and fixture) → status. */
const statuses = (r: ContractReport) =>
  Object.fromEntries(
    r.stages.map((s) => [s.fixture === undefined ? s.stage : `${s.stage} ${s.fixture}`, s.status]),
  )
const allPass = {
  health: 'pass',
  metadata: 'pass',
  [`replay ${FIXTURE}`]: 'pass',
  [`errors ${FIXTURE}`]: 'pass',
  smoke: 'pass',
  load: 'pass',
}
const onlyFails = (stage: string) => ({ ...allPass, [stage]: 'fail' })
const replayOf = (r: ContractReport) => r.stages.find((s) => s.stage === 'replay')!

/** Rows each protocol cannot carry, from the CSV: OIP has no null and no NaN/±Inf, strict JSON no NaN/±Inf. */
const unsendable = (protocol: string) =>
  h.fixtureRows
    .map((r, i) => ({ r, i }))
    .filter(({ r }) =>
      protocol === 'mlflow' ? false : !Number.isFinite(r.score) || (protocol === 'oip' && r.income === null),
    )
    .map(({ i }) => i)

describe('honest servers pass every stage', () => {
  for (const protocol of ['oip', 'kserve-v1', 'mlflow', 'json'] as const) {
    it(`${protocol}: every stage passes; rows the protocol cannot carry are reported, not altered`, async () => {
      const report = await run(protocol, 'ok')
      expect(statuses(report)).toEqual(allPass)
      expect(report.passed).toBe(true)
      const replay = replayOf(report)
      const expected = unsendable(protocol)
      expect(replay.rows!.notSendable.map((n) => n.row)).toEqual(expected)
      expect(replay.rows!.compared).toBe(h.fixtureRows.length - expected.length)
      expect(replay.rows!.failing).toBe(0)
      const load = report.stages.find((s) => s.stage === 'load')!
      expect(load.figures!.requests).toBeGreaterThan(0)
      expect(load.figures!.errors).toBe(0)
    })
  }
  it("the OIP test server's metadata and answers follow the published spec", async () => {
    const require = createRequire(import.meta.url)
    const Ajv = require('ajv').default as typeof import('ajv').default
    const spec = parse(
      readFileSync(join(ROOT, 'test/fixtures/open-inference-protocol/open_inference_rest.yaml'), 'utf8'),
    )
    const ajv = new Ajv({ strict: false, allErrors: true })
    ajv.addSchema({ $id: 'spec', components: spec.components })
    const valid = (name: string, body: unknown) => ajv.validate(`spec#/components/schemas/${name}`, body)
    const base = h.endpoint('oip', 'ok')
    expect(valid('metadata_model_response', await (await fetch(`${base}/v2/models/churn`)).json())).toBe(true)
    const inputs = ['age', 'income', 'score', 'plan'].map((c) => ({
      name: c,
      columns: [c],
      datatype: c === 'plan' ? 'BYTES' : c === 'age' ? 'INT64' : 'FP64',
      rank: 1 as const,
    }))
    const rows = h.fixtureRows.filter((r) => r.income !== null && Number.isFinite(r.score)).slice(0, 5)
    const body = oip.encode(rows, inputs, 'churn')
    expect(valid('inference_request', JSON.parse(body))).toBe(true)
    const res = await fetch(`${base}/v2/models/churn/infer`, { method: 'POST', body })
    const answer = await res.json()
    expect(valid('inference_response', answer), JSON.stringify(answer)).toBe(true)
    const bad = await fetch(`${base}/v2/models/churn/infer`, { method: 'POST', body: '{"inputs": []}' })
    expect(bad.status).toBe(400)
    expect(valid('inference_error_response', await bad.json())).toBe(true)
  })
  it('null, NaN and ±Infinity travel as each protocol can carry them (MLflow carries them all)', () => {
    expect(h.fixtureRows.some((r) => r.income === null)).toBe(true)
    expect(h.fixtureRows.some((r) => Number.isNaN(r.score))).toBe(true)
    expect(h.fixtureRows.some((r) => r.score === Number.POSITIVE_INFINITY)).toBe(true)
    expect(unsendable('oip').length).toBeGreaterThan(unsendable('kserve-v1').length)
  })
  it('packs columns into one [batch, k] input and maps output names with --inputs/--outputs', async () => {
    const report = await run('oip', 'packed', {
      inputs: 'x=age,income,score;plan=plan',
      outputs: 'probability=churn_prob,label=churn',
    })
    expect(statuses(report)).toEqual(allPass)
    // Without the mapping the packed server's contract does not hold.
    const unmapped = await run('oip', 'packed', { stages: 'metadata' })
    expect(unmapped.stages[0]!.status).toBe('fail')
    expect(unmapped.stages[0]!.reason).toContain('missing input "x"')
  })
})

describe('each faulty server fails the right stage, and only it', () => {
  it('drifted output names fail metadata (OIP from its metadata, KServe v1 from a probe)', async () => {
    const oip = await run('oip', 'drift')
    expect(statuses(oip)).toEqual(onlyFails('metadata'))
    expect(oip.stages[1]!.reason).toContain('undeclared output "churn_prob"')
    expect(oip.stages[1]!.reason).toContain('churn_probability')
    const v1 = await run('kserve-v1', 'drift')
    expect(statuses(v1)).toEqual(onlyFails('metadata'))
  })
  it('predictions beyond tolerance fail replay, listing the rows and columns', async () => {
    // The fault moves churn_prob by 0.05 where age >= 60; the smoke row (row 0) is younger.
    expect(h.fixtureRows[0]!.age).toBeLessThan(60)
    const report = await run('oip', 'offset')
    expect(statuses(report)).toEqual(onlyFails(`replay ${FIXTURE}`))
    const skipped = new Set(unsendable('oip'))
    const moved = h.fixtureRows.flatMap((r, i) => (r.age >= 60 && !skipped.has(i) ? [i] : []))
    const replay = replayOf(report)
    expect(replay.rows!.failing).toBe(moved.length)
    expect(replay.details[0]).toMatch(new RegExp(`^row ${moved[0]}: churn_prob: expected `))
    // MLflow carries the rows with missing values and edge cases too: failing ones are listed with their tags.
    const mlflow = replayOf(await run('mlflow', 'offset', { stages: 'replay' }))
    const old = h.fixtureRows.flatMap((r, i) => (r.age >= 60 ? [i] : []))
    expect(mlflow.rows!.failing).toBe(old.length)
    const listed = old.slice(0, 10).map((i) => {
      const r = h.fixtureRows[i]!
      const kind = Number.isNaN(r.score)
        ? 'nan'
        : r.score === Infinity
          ? 'inf'
          : r.score === -Infinity
            ? '-inf'
            : undefined
      const tags = [
        ...(kind === undefined ? [] : [`score:${kind}`]),
        ...(r.income === null ? ['income:missing'] : []),
      ]
      return `row ${i}${tags.length > 0 ? ` [${tags.join(', ')}]` : ''}: churn_prob: expected `
    })
    expect(listed.some((l) => l.includes('['))).toBe(true)
    for (const [k, prefix] of listed.entries())
      expect(mlflow.details[k]!.startsWith(prefix), mlflow.details[k]).toBe(true)
  })
  it('a 500 with a stack trace on bad input fails errors', async () => {
    for (const protocol of ['oip', 'mlflow'] as const) {
      const report = await run(protocol, 'crash')
      expect(statuses(report)).toEqual(onlyFails(`errors ${FIXTURE}`))
      const errors = report.stages.find((s) => s.stage === 'errors')!
      expect([errors.reason, ...errors.details].join('\n')).toContain('a Python traceback')
    }
  })
  it('a slow server fails load against its SLA', async () => {
    // The fault sleeps 60 ms per inference, so its median latency is at least that.
    const report = await run('oip', 'slow', { sla: 'p50<=30ms' })
    expect(statuses(report)).toEqual(onlyFails('load'))
    const load = report.stages.find((s) => s.stage === 'load')!
    expect(load.sla).toEqual([{ bound: 'p50<=30ms', actual: load.figures!.p50, ok: false }])
    expect(load.figures!.p50).toBeGreaterThanOrEqual(60)
  })
  it('a server that drops connections under concurrent load fails load on its error rate', async () => {
    const report = await run('oip', 'drop', { duration: 1 })
    expect(statuses(report)).toEqual(onlyFails('load'))
    const load = report.stages.find((s) => s.stage === 'load')!
    expect(load.figures!.error_rate).toBeGreaterThan(0.001)
    expect(load.reason).toContain('error_rate<=0.001')
  })
})

describe('the CLI, the record of runs and the helpers', () => {
  const reg = () => ['--registry', h.registryDir]
  it('exits 0 when all pass, writes JUnit XML and prints the report as JSON', () => {
    const junit = join(dir, 'contract.xml')
    const r = cli([
      'contract',
      MODEL,
      '--endpoint',
      h.endpoint('json', 'ok'),
      '--protocol',
      'json',
      '--model-name',
      'churn',
      '--duration',
      '0.5',
      '--json',
      '--junit',
      junit,
      ...reg(),
    ])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const report = JSON.parse(r.stdout) as ContractReport
    expect(report.passed).toBe(true)
    const xml = readFileSync(junit, 'utf8')
    expect(xml.match(/<testcase /g)).toHaveLength(report.stages.length)
    expect(xml).toContain(`name="replay ${FIXTURE}"`)
    expect(xml).toContain('failures="0"')
  })
  it('exits 1 with the failing stage, and records runs listed by goldgen runs and the HTTP API', async () => {
    const r = await runGoldgen([
      'contract',
      MODEL,
      '--endpoint',
      h.endpoint('oip', 'drift'),
      '--model-name',
      'churn',
      '--stages',
      'health,metadata',
      '--record',
      ...reg(),
    ])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^FAIL metadata: undeclared output "churn_prob"/m)
    expect(r.stdout).toMatch(/recorded as run \d+/)
    const listed = await runGoldgen(['runs', MODEL, '--json', ...reg()])
    expect(listed.code).toBe(0)
    const runs = JSON.parse(listed.stdout) as { passed: boolean; datasets: string[]; endpoint: string }[]
    expect(runs.at(-1)).toMatchObject({
      passed: false,
      datasets: [FIXTURE],
      endpoint: h.endpoint('oip', 'drift'),
    })
    const res = await createApp(h.registry).request(`/v1/models/churn-model/versions/1.0.0/runs`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { stages: { stage: string; status: string }[] }[]
    expect(body.at(-1)!.stages).toEqual([
      expect.objectContaining({ stage: 'health', status: 'pass' }),
      expect.objectContaining({ stage: 'metadata', status: 'fail' }),
    ])
    expect((await createApp(h.registry).request('/v1/models/churn-model/versions/9.9.9/runs')).status).toBe(
      404,
    )
  })
  it('judges load by the SLA stored with goldgen model add --sla', async () => {
    const added = await runGoldgen(['model', 'add', 'churn-model@1.0.0', '--sla', 'p50 <= 0.03s', ...reg()])
    expect(added.stdout).toContain('SLA p50<=30ms')
    const r = await runGoldgen([
      'contract',
      MODEL,
      '--endpoint',
      h.endpoint('oip', 'slow'),
      '--model-name',
      'churn',
      '--stages',
      'load',
      '--duration',
      '0.5',
      ...reg(),
    ])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^FAIL load: SLA p50<=30ms not met/m)
    const bad = await runGoldgen(['model', 'add', 'churn-model@1.0.0', '--sla', 'p99<=fast', ...reg()])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('malformed SLA bound "p99<=fast"')
    // Put the default back for the tests after this one.
    expect(
      (await runGoldgen(['model', 'add', 'churn-model@1.0.0', '--sla', 'error_rate<=0.001', ...reg()])).code,
    ).toBe(0)
  })
  it('exits 1 with a clear message for an unreachable endpoint, 2 for bad input', async () => {
    const down = await runGoldgen([
      'contract',
      MODEL,
      '--endpoint',
      'http://127.0.0.1:9/v',
      '--stages',
      'health,replay',
      ...reg(),
    ])
    expect(down.code).toBe(1)
    expect(down.stdout).toContain('connection refused')
    expect(down.stdout).toMatch(/^SKIP replay: not run: the endpoint is not ready/m)
    const unknown = await runGoldgen([
      'contract',
      'churn-model@7.0.0',
      '--endpoint',
      h.endpoint('oip', 'ok'),
      ...reg(),
    ])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no model version churn-model@7.0.0')
    expect((await runGoldgen(['model', 'add', 'bare@1', ...reg()])).code).toBe(0)
    const empty = await runGoldgen(['contract', 'bare@1', '--endpoint', h.endpoint('oip', 'ok'), ...reg()])
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('bare@1 has no fixtures')
    const stage = await runGoldgen([
      'contract',
      MODEL,
      '--endpoint',
      h.endpoint('oip', 'ok'),
      '--stages',
      'health,speed',
      ...reg(),
    ])
    expect(stage.code).toBe(2)
    expect(stage.stderr).toContain('unknown stage "speed"')
    for (const r of [unknown, empty, stage]) expect(r.stderr).not.toMatch(/\n\s+at /)
  })
  it('expectContract (goldgen/vitest) resolves for an honest server and throws the report for a faulty one', async () => {
    const options = {
      model: MODEL,
      endpoint: h.endpoint('oip', 'ok'),
      registry: h.registry,
      modelName: 'churn',
      stages: 'health,smoke',
    }
    expect((await expectContract(options)).passed).toBe(true)
    await expect(
      expectContract({ ...options, endpoint: h.endpoint('oip', 'drift'), stages: 'metadata' }),
    ).rejects.toThrow(/FAIL metadata: undeclared output "churn_prob"/)
  })
})
