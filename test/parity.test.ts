/**
 * `goldgen parity` with real feature pipelines: a Python training pipeline
 * (test/fixtures/parity/train_features.py) and a Node serving pipeline (serve_features.mjs, as a
 * stdin/stdout command and behind a node:http server started here) that differ on one edge case
 * only: a missing age (bucket -1 in training, Number(null) = 0 in serving). Which rows must
 * differ is worked out here from the fixture itself (read back as JSONL), not by the runner.
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runParity } from '../src/parity/run.ts'
import type { ParityReport } from '../src/parity/types.ts'
// @ts-expect-error: a plain .mjs pipeline without type declarations
import { features } from './fixtures/parity/serve_features.mjs'
import { ROOT, runGoldgen, tempDir } from './helpers.ts'

const FIX = join(ROOT, 'test/fixtures/parity')
const PY = '/usr/bin/python3'
const TRAIN = `${PY} ${join(FIX, 'train_features.py')}`
const SERVE = `${process.execPath} ${join(FIX, 'serve_features.mjs')}`
const dir = tempDir()
const registry = join(dir, 'registry')
const DATASET = 'parity-customers@1'

type Row = Record<string, unknown>
let fixtureRows: Row[] = []
let server: Server
let base = ''
/** Per path: how the test server answers a POSTed array of rows. */
const routes: Record<string, (rows: Row[]) => Row[]> = {
  '/features': (rows) => rows.map((r) => features(r)),
}

beforeAll(async () => {
  const published = await runGoldgen([
    'publish',
    join(FIX, 'customers.yaml'),
    '--dataset',
    'parity-customers',
    '--registry',
    registry,
  ])
  expect(published.code, published.stderr).toBe(0)
  const fetched = await runGoldgen([
    'fetch',
    DATASET,
    '-o',
    join(dir, 'fixture.jsonl'),
    '--registry',
    registry,
  ])
  expect(fetched.code, fetched.stderr).toBe(0)
  fixtureRows = readFileSync(join(dir, 'fixture.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Row)
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const route = routes[new URL(req.url ?? '/', 'http://x').pathname]
      if (req.method !== 'POST' || route === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such route"}')
        return
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(route(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Row[])))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`the test's feature server cannot listen: ${e.message}`)))
    server.listen(0, '127.0.0.1', resolve)
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}, 60_000)
afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

const parity = (args: string[]) => runGoldgen(['parity', DATASET, ...args, '--registry', registry])
const jsonReport = async (args: string[]) => {
  const r = await parity([...args, '--json'])
  return { ...r, report: JSON.parse(r.stdout) as ParityReport }
}
/** The fixture rows whose age is missing: the rows the two pipelines must disagree on. */
const missingAge = () => fixtureRows.flatMap((r, i) => (r.age === null ? [i] : []))

describe('two real pipelines that differ on a missing age', () => {
  it('placeholders (Python) vs stdin/stdout (Node): only age_bucket differs, on exactly the missing-age rows', async () => {
    const { code, report, stderr } = await jsonReport(['--a', `${TRAIN} {input} {output}.csv`, '--b', SERVE])
    expect(code, stderr).toBe(1)
    expect(report.passed).toBe(false)
    expect(report.a.mode).toBe('placeholders')
    expect(report.b.mode).toBe('stdio')
    const expected = missingAge()
    expect(expected.length).toBeGreaterThan(0)
    expect(report.fixtureRows).toBe(fixtureRows.length)
    expect(report.rowsCompared).toBe(fixtureRows.length)
    expect(report.differingColumns).toEqual(['age_bucket'])
    expect(report.rowsDiffering).toBe(expected.length)
    expect(report.columns.find((c) => c.column === 'age_bucket')!.differing).toBe(expected.length)
    expect(report.firstDiffering.map((d) => d.row)).toEqual(expected.slice(0, 10))
    for (const d of report.firstDiffering) {
      expect(d.tags).toContain('age:missing')
      expect(d.columns).toEqual([{ column: 'age_bucket', a: -1, b: 0, deviation: 1 }])
    }
    expect(report.onlyInA).toEqual([])
    expect(report.onlyInB).toEqual([])
  })

  it('the text report names the differing column and the first rows with their tags', async () => {
    const { code, stdout } = await parity(['--a', `${TRAIN} {input} {output}`, '--b', SERVE])
    expect(code).toBe(1)
    expect(stdout).toContain(
      `FAIL age_bucket (exact): ${missingAge().length} of ${fixtureRows.length} rows differ`,
    )
    expect(stdout).toContain(`row ${missingAge()[0]}: age_bucket: a -1, b 0  [age:missing]`)
    expect(stdout).toMatch(/PASS log_income \(exact\): equal/)
    expect(stdout).toMatch(/^failed: 1 of 4 columns differ \(age_bucket\)/m)
  })

  it('a pipeline compared with itself passes (stdio vs placeholders), exit 0', async () => {
    const { code, report, stderr } = await jsonReport(['--a', TRAIN, '--b', `${TRAIN} {input} {output}`])
    expect(code, stderr).toBe(0)
    expect(report.passed).toBe(true)
    expect(report.rowsDiffering).toBe(0)
    expect(report.columns.map((c) => c.column)).toEqual(['customer_id', 'age_bucket', 'log_income', 'is_pro'])
  })

  it('--input-format jsonl and features written as JSONL ({output}.jsonl): the same skew is found', async () => {
    const { code, report } = await jsonReport([
      '--a',
      `${TRAIN} {input} {output}.jsonl`,
      '--b',
      SERVE,
      '--input-format',
      'jsonl',
    ])
    expect(code).toBe(1)
    expect(report.inputFormat).toBe('jsonl')
    expect(report.differingColumns).toEqual(['age_bucket'])
    expect(report.rowsDiffering).toBe(missingAge().length)
  })
})

describe('every input format, features read by their extension', () => {
  for (const format of ['arrow', 'parquet', 'jsonl'] as const) {
    it(`the fixture passed through as ${format} ({output}.${format}) equals it passed through as CSV on stdio`, async () => {
      const { code, report, stderr } = await jsonReport([
        '--a',
        `cp {input} {output}.${format}`,
        '--b',
        'cat',
        '--input-format',
        format,
      ])
      expect(code, stderr).toBe(0)
      expect(report.columns.map((c) => c.column)).toEqual(Object.keys(fixtureRows[0]!))
      expect(report.rowsCompared).toBe(fixtureRows.length)
    })
  }
})

describe('a URL pipeline', () => {
  it('the served features equal the Node command and differ from training on the missing ages', async () => {
    const same = await jsonReport(['--a', `${base}/features`, '--b', SERVE])
    expect(same.code, same.stderr).toBe(0)
    expect(same.report.a.mode).toBe('url')
    const skew = await jsonReport(['--a', TRAIN, '--b', `${base}/features`])
    expect(skew.code).toBe(1)
    expect(skew.report.differingColumns).toEqual(['age_bucket'])
    expect(skew.report.rowsDiffering).toBe(missingAge().length)
  })

  it('an HTTP error, a non-array answer and an unreachable URL fail with exit 1 and the reason', async () => {
    routes['/object'] = () => ({ rows: [] }) as unknown as Row[]
    const missing = await parity(['--a', `${base}/nothing`, '--b', SERVE])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`pipeline a (${base}/nothing) answered HTTP 404`)
    const object = await parity(['--a', SERVE, '--b', `${base}/object`])
    expect(object.code).toBe(1)
    expect(object.stderr).toContain('answered JSON that is not an array')
    const spare = createServer()
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve))
    const port = (spare.address() as AddressInfo).port
    await new Promise((resolve) => spare.close(resolve))
    const closed = await parity(['--a', SERVE, '--b', `http://127.0.0.1:${port}/features`])
    expect(closed.code).toBe(1)
    expect(closed.stderr).toContain('cannot be reached: ECONNREFUSED')
  })
})

describe('--key, --tolerance, columns on one side', () => {
  it('rows in another order differ by position and agree by --key', async () => {
    const reversed = `${SERVE} --reverse`
    const byPosition = await jsonReport(['--a', SERVE, '--b', reversed])
    expect(byPosition.code).toBe(1)
    expect(byPosition.report.differingColumns).toContain('customer_id')
    const byKey = await jsonReport(['--a', SERVE, '--b', reversed, '--key', 'customer_id'])
    expect(byKey.code, byKey.stderr).toBe(0)
    expect(byKey.report.key).toBe('customer_id')
    expect(byKey.report.rowsCompared).toBe(fixtureRows.length)
    const skew = await jsonReport(['--a', TRAIN, '--b', reversed, '--key', 'customer_id'])
    expect(skew.report.rowsDiffering).toBe(missingAge().length)
    const ids = missingAge().map((i) => fixtureRows[i]!.customer_id)
    expect(skew.report.firstDiffering.map((d) => d.key)).toEqual(ids.slice(0, 10))
    expect(skew.report.firstDiffering.map((d) => d.row)).toEqual(missingAge().slice(0, 10))
  })

  it('log_income rounded to 4 digits passes within atol:1e-4 and fails within atol:1e-7', async () => {
    const args = ['--a', `${TRAIN} --digits 4`, '--b', TRAIN]
    const loose = await jsonReport([...args, '--tolerance', 'log_income=atol:1e-4'])
    expect(loose.code, loose.stdout).toBe(0)
    expect(loose.report.columns.find((c) => c.column === 'log_income')!.worst).toBeGreaterThan(0)
    const tight = await jsonReport([...args, '--tolerance', 'log_income=atol:1e-7'])
    expect(tight.code).toBe(1)
    expect(tight.report.differingColumns).toEqual(['log_income'])
    expect(tight.report.columns.find((c) => c.column === 'log_income')!.tolerance).toBe('atol:1e-7')
  })

  it('a column only one side writes fails and is named', async () => {
    const { code, report, stdout } = await (async () => {
      const j = await jsonReport(['--a', SERVE, '--b', `${SERVE} --extra`])
      const t = await parity(['--a', SERVE, '--b', `${SERVE} --extra`])
      return { code: j.code, report: j.report, stdout: t.stdout }
    })()
    expect(code).toBe(1)
    expect(report.onlyInB).toEqual(['plan_length'])
    expect(report.rowsDiffering).toBe(0)
    expect(stdout).toContain('columns only in b: plan_length')
  })
})

describe('--json and --junit', () => {
  it('--json has the report keys and --junit writes a testcase per pipeline, one for the rows and one per column', async () => {
    const junit = join(dir, 'parity.xml')
    const { report } = await jsonReport(['--a', TRAIN, '--b', SERVE, '--junit', junit])
    expect(Object.keys(report).sort()).toEqual(
      [
        'a',
        'b',
        'columns',
        'dataset',
        'differingColumns',
        'firstDiffering',
        'fixtureRows',
        'goldgen',
        'inputFormat',
        'key',
        'keysOnlyInA',
        'keysOnlyInB',
        'onlyInA',
        'onlyInB',
        'passed',
        'problems',
        'rowsCompared',
        'rowsDiffering',
        'seconds',
        'startedAt',
        'tolerances',
      ].sort(),
    )
    expect(report.dataset).toBe(DATASET)
    const xml = readFileSync(junit, 'utf8')
    expect(xml.match(/<testcase /g)).toHaveLength(3 + report.columns.length)
    expect(xml).toContain('tests="7" failures="1"')
    expect(xml).toMatch(/name="pipeline a"[^>]*>\s*<system-out>/)
    expect(xml).toMatch(
      /name="column age_bucket"[^>]*>\s*<failure message="\d+ of \d+ rows differ \(exact\)"/,
    )
    expect(xml).toContain('[age:missing]')
  })
})

describe('failing pipelines and bad input', () => {
  it('a crashing pipeline: exit 1, its exit code and the end of its stderr, no stack trace of goldgen', async () => {
    const r = await parity(['--a', `${TRAIN} --fail-on-missing {input} {output}`, '--b', SERVE])
    expect(r.code).toBe(1)
    const first = fixtureRows[missingAge()[0]!]!.customer_id
    expect(r.stderr).toContain('pipeline a (')
    expect(r.stderr).toContain('failed with exit code 1')
    expect(r.stderr).toContain(`ValueError: customer ${first} has no age`)
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/)
    expect(r.stdout).toMatch(/^ {2}a: .* FAILED after .*failed with exit code 1/m)
  })

  it('a crashing pipeline still gives the --json report (its error, nothing compared) and the --junit file', async () => {
    const junit = join(dir, 'crash.xml')
    const { code, report } = await jsonReport([
      '--a',
      SERVE,
      '--b',
      `${TRAIN} --fail-on-missing`,
      '--junit',
      junit,
    ])
    expect(code).toBe(1)
    expect(report.passed).toBe(false)
    expect(report.a.error).toBeUndefined()
    expect(report.b.error).toContain('ValueError')
    expect(report.rowsCompared).toBe(0)
    const xml = readFileSync(junit, 'utf8')
    expect(xml).toContain('tests="2" failures="1"')
    expect(xml).toMatch(/name="pipeline b"[^>]*>\s*<failure message="pipeline b \(.*failed with exit code 1/)
  })

  it('a pipeline that runs past --timeout is stopped: exit 1', async () => {
    const r = await parity(['--a', 'sleep 30', '--b', SERVE, '--timeout', '300'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('did not finish within 300 ms (--timeout) and was stopped')
    // A process that leaves the group keeps stderr open: goldgen still gives up on it.
    const escaped = await parity(['--a', 'setsid sleep 8', '--b', SERVE, '--timeout', '300'])
    expect(escaped.code).toBe(1)
    expect(escaped.stderr).toContain('did not finish within 300 ms (--timeout) and was stopped')
  })

  it('a command that writes no {output}, or output goldgen cannot read: exit 1', async () => {
    const none = await parity(['--a', 'true {output}', '--b', SERVE])
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('wrote no features at {output}')
    const junk = await parity(['--a', `printf '{oops' > {output}.jsonl`, '--b', SERVE])
    expect(junk.code).toBe(1)
    expect(junk.stderr).toContain('cannot read')
  })

  it('bad input is exit 2 with what was expected', async () => {
    const unknown = await runGoldgen(['parity', 'nope@1', '--a', SERVE, '--b', SERVE, '--registry', registry])
    expect(unknown.code).toBe(2)
    const tol = await parity(['--a', SERVE, '--b', SERVE, '--tolerance', 'log_income=about'])
    expect(tol.code).toBe(2)
    expect(tol.stderr).toContain('expected COLUMN=exact, COLUMN=atol:X or COLUMN=rtol:X')
    const col = await parity(['--a', SERVE, '--b', SERVE, '--tolerance', 'incom=atol:1'])
    expect(col.code).toBe(2)
    expect(col.stderr).toContain('--tolerance names "incom"')
    const key = await parity(['--a', SERVE, '--b', SERVE, '--key', 'nope'])
    expect(key.code).toBe(2)
    expect(key.stderr).toContain('--key "nope" is not a column')
    const format = await parity(['--a', SERVE, '--b', SERVE, '--input-format', 'xml'])
    expect(format.code).toBe(2)
    const noB = await runGoldgen(['parity', DATASET, '--a', SERVE, '--registry', registry])
    expect(noB.code).toBe(2)
  })
})

describe('properties', () => {
  it('through real HTTP pipelines: a perturbed cell of a served feature is found at its row and column', async () => {
    const names = ['customer_id', 'age_bucket', 'log_income', 'is_pro'] as const
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.constantFrom(...names),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        async (r0, column, delta) => {
          const row = r0 % fixtureRows.length
          routes['/perturbed'] = (rows) =>
            rows.map((r, i) => {
              const f = features(r) as Row
              return i === row ? { ...f, [column]: (f[column] as number) + delta } : f
            })
          const report = await runParity({
            dataset: DATASET,
            a: `${base}/features`,
            b: `${base}/perturbed`,
            tolerances: { [column]: { kind: 'atol', value: delta / 2 } },
            registry,
          })
          expect(report.passed).toBe(false)
          expect(report.differingColumns).toEqual([column])
          expect(report.firstDiffering.map((d) => d.row)).toEqual([row])
        },
      ),
      { numRuns: 8 },
    )
  })
})
