/**
 * The Python client and pytest plugin (clients/python) against a live goldgen server: the
 * package is installed into a fresh virtual environment (as the README says), its pytest suite
 * runs against this server, and the README's "From Python" test file is run as written, then
 * after a model change, with --goldgen-update, and again. Needs Debian's python3 with pytest,
 * pandas, venv and setuptools (.ci/run installs them); without them this test fails, saying so.
 */
import { execFile, spawnSync } from 'node:child_process'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { createClient } from '../src/client/index.ts'
import { parseMetric, parseSlice } from '../src/metrics/expression.ts'
import { listen } from '../src/server/listen.ts'
import { cli, EXAMPLES, goldgen, ROOT, schema, tempDir } from './helpers.ts'

const NEEDS = 'import pytest, pandas, venv, setuptools, pip'
const python = ['/usr/bin/python3', 'python3'].find(
  (p) => spawnSync(p, ['-c', NEEDS], { stdio: 'ignore' }).status === 0,
)

/** The README's Python test file: the python block of the "From Python" section. */
function readmeTestFile(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('### From Python'))
  const block = /```python\n(# test_churn\.py\n[\s\S]*?)```/.exec(section)
  if (block === null)
    throw new Error('README.md: the "From Python" section has no ```python block starting "# test_churn.py"')
  return block[1]!
}

describe('the Python client and pytest plugin', () => {
  const dir = tempDir()
  const venv = join(dir, 'venv')
  let registry: Registry
  let server: Awaited<ReturnType<typeof listen>>
  let token: string

  beforeAll(async () => {
    if (python === undefined)
      throw new Error(
        `no python3 here can "${NEEDS}": install Debian's packages (apt-get install python3-pytest python3-pandas python3-venv python3-setuptools)`,
      )
    registry = await openRegistry({ dir: join(dir, 'reg') })
    const s = schema({
      goldgen: 1,
      columns: {
        id: { type: 'id' },
        x: { type: 'float', min: 0, max: 1, edge_cases: { mode: 'all', include: ['nan'] } },
      },
    })
    await registry.publishSchema(s, { dataset: 'd', rows: 30 })
    await registry.publishSchema(s, { dataset: 'd', rows: 31 })
    await registry.alias('d@1', 'prod')
    const doubled = join(dir, 'doubled.csv')
    writeFileSync(doubled, `y\r\n${Array.from({ length: 30 }, (_, i) => (i + 1) * 2).join('\r\n')}\r\n`)
    for (const model of ['m@1.0.0', 'm@2.0.0']) {
      await registry.addModel(model)
      await registry.expect(model, 'd@1', doubled, { y: { kind: 'atol', value: 0.01 } })
    }
    const metrics = { metrics: [parseMetric('mae(id, y) <= 40')], slices: [parseSlice('x:bins=[0,0.5,1]')] }
    await (await registry.planMetrics('m@1.0.0', 'd@1', metrics)).commit()
    // The README's churn workflow, as its shell commands make it.
    await registry.publishSchema(goldgen.loadSchema(join(EXAMPLES, 'churn.yaml')), {
      dataset: 'churn',
      rows: 500,
    })
    await registry.alias('churn@1', 'prod')
    // A multi-table version (tests/test_tables.py).
    await registry.publishSchema(goldgen.loadSchema(join(EXAMPLES, 'shop.yaml')), {
      dataset: 'shop',
      rows: 100,
    })
    await registry.addModel('churn-model@1.2.0', { owner: 'ml-team' })
    const churn = join(dir, 'expected.jsonl')
    await registry.fetch('churn@prod', join(dir, 'churn-input.jsonl'))
    const input = readFileSync(join(dir, 'churn-input.jsonl'), 'utf8').trim().split('\n')
    writeFileSync(
      churn,
      `${input
        .map((l) => JSON.parse(l) as { age: number | null; active: boolean })
        .map((r) => JSON.stringify({ churn_prob: (r.age ?? 50) / 100, label: r.active ? 1 : 0 }))
        .join('\n')}\n`,
    )
    await registry.expect('churn-model@1.2.0', 'churn@prod', churn, {
      churn_prob: { kind: 'atol', value: 1e-6 },
    })
    token = (await registry.createToken('write', 'python-tests')).token
    server = await listen(registry, { host: '127.0.0.1', port: 0 })
    // A lock file and cache from the TypeScript client, which the Python client must read.
    const ts = createClient({
      baseUrl: server.url,
      lockFile: join(dir, 'ts.lock'),
      cacheDir: join(dir, 'ts-cache'),
    })
    await ts.dataset('d@prod').rows()
    for (const f of await ts.fixtures('m@1.0.0')) await f.expected()
    // A fresh virtual environment with the package installed, as a user makes it (offline:
    // Debian's setuptools builds it, so no package index is needed; Debian's pip, seen through
    // --system-site-packages, installs it). Built from a copy, so the checkout stays clean.
    const source = join(dir, 'clients-python')
    cpSync(join(ROOT, 'clients/python'), source, {
      recursive: true,
      filter: (path) => !/(__pycache__|\.egg-info|[/\\]build)$/.test(path),
    })
    for (const args of [
      [python, '-m', 'venv', '--without-pip', '--system-site-packages', venv],
      [join(venv, 'bin/python'), '-m', 'pip', 'install', '-q', '--no-build-isolation', '--no-index', source],
    ]) {
      const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8', timeout: 120_000 })
      if (r.status !== 0)
        throw new Error(`${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`)
    }
  }, 180_000)
  afterAll(async () => {
    await server?.close()
    registry?.close()
  })

  // Asynchronous: the server answering pytest runs in this same process.
  const pytest = (args: string[], cwd: string, env: Record<string, string> = {}) =>
    new Promise<{ status: number | null; output: string }>((resolve) => {
      execFile(
        join(venv, 'bin/python'),
        ['-m', 'pytest', '-p', 'no:cacheprovider', ...args],
        {
          cwd,
          timeout: 120_000,
          env: {
            ...process.env,
            PYTHONDONTWRITEBYTECODE: '1',
            GOLDGEN_URL: server.url,
            GOLDGEN_TOKEN: '',
            ...env,
          },
        },
        (error, stdout, stderr) =>
          resolve({
            status: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
            output: stdout + stderr,
          }),
      )
    })

  it('passes its pytest suite (client, comparison cases, plugin) against the server', async () => {
    const r = await pytest(['-q', join(ROOT, 'clients/python/tests')], dir, {
      GOLDGEN_TEST_TOKEN: token,
      GOLDGEN_TEST_TS_LOCK: join(dir, 'ts.lock'),
      GOLDGEN_TEST_TS_CACHE: join(dir, 'ts-cache'),
    })
    expect(r.output).toMatch(/\d+ passed/)
    expect(r.output).not.toMatch(/failed|error|skipped/i)
    expect(r.status, r.output).toBe(0)
    // The update test recorded a new expectation for m@2.0.0 and kept the old one.
    expect((await registry.expectationHistory('m@2.0.0')).length).toBe(2)
  }, 120_000)

  it("runs the README's test file, fails after a model change, records with --goldgen-update", async () => {
    const file = readmeTestFile()
    writeFileSync(join(dir, 'test_churn.py'), file)
    const first = await pytest(['test_churn.py'], dir)
    expect(first.output).toMatch(/1 passed/)
    expect(first.status, first.output).toBe(0)

    // The model changes on purpose: its predictions move beyond the tolerance.
    expect(file).toContain('/ 100')
    writeFileSync(join(dir, 'test_churn.py'), file.replace('/ 100', '/ 90'))
    const failing = await pytest(['test_churn.py'], dir)
    expect(failing.status).toBe(1)
    expect(failing.output).toMatch(/churn-model@1\.2\.0 on churn@1: 500 of 500 rows differ beyond tolerance/)
    expect(failing.output).toMatch(/churn_prob: expected [0-9.]+, got [0-9.]+ \(tolerance atol:1e-06, off by/)

    const noToken = await pytest(['test_churn.py', '--goldgen-update'], dir)
    expect(noToken.status).toBe(1)
    expect(noToken.output).toContain('needs a write token: set GOLDGEN_TOKEN')

    const update = await pytest(['test_churn.py', '--goldgen-update'], dir, { GOLDGEN_TOKEN: token })
    expect(update.status, update.output).toBe(0)
    expect(update.output).toMatch(
      /goldgen: recorded new expected outputs for churn-model@1\.2\.0 on churn@1: record #\d+, 500 rows, sha256 [0-9a-f]{12}…, replacing record #\d+/,
    )
    const again = await pytest(['test_churn.py'], dir)
    expect(again.status, again.output).toBe(0)

    const listed = cli(['expectations', 'churn-model@1.2.0', '--registry', join(dir, 'reg')])
    expect(listed.stderr).toBe('')
    const lines = listed.stdout.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(
      /^#\d+ {2}churn@1 {2}500 rows {2}jsonl sha256 [0-9a-f]{12}… {2}churn_prob=atol:0\.000001 .* superseded$/,
    )
    expect(lines[1]).toMatch(
      /^#\d+ {2}churn@1 {2}500 rows {2}jsonl sha256 [0-9a-f]{12}… {2}churn_prob=atol:0\.000001 .* current$/,
    )
    const json = cli(['expectations', 'churn-model@1.2.0', '--registry', join(dir, 'reg'), '--json'])
    const records = JSON.parse(json.stdout) as { id: number; current: boolean; sha256: string }[]
    expect(records.map((r) => r.current)).toEqual([false, true])
    expect(records[0]!.id).toBeLessThan(records[1]!.id)
    expect(records[0]!.sha256).not.toBe(records[1]!.sha256)
  }, 120_000)
})
