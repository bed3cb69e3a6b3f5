/** The fixture registry against real SQLite files and blob folders in temporary directories. */
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tableFromIPC } from 'apache-arrow'
import { beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { GoldgenError } from '../src/index.ts'
import { EXAMPLES, goldgen, ROOT, runGoldgen, schema, tempDir } from './helpers.ts'

const small = (seed = 1) =>
  schema({
    goldgen: 1,
    seed,
    columns: {
      id: { type: 'id' },
      x: { type: 'float', min: 0, max: 1, edge_cases: { mode: 'all', include: ['nan'] } },
      c: { type: 'category', values: ['a', 'b'] },
    },
  })

async function fails(p: Promise<unknown>, code: string, message: RegExp) {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error, 'expected an error').toBeInstanceOf(GoldgenError)
  expect((error as GoldgenError).code).toBe(code)
  expect((error as GoldgenError).message).toMatch(message)
}

describe('publishing and references', () => {
  let registry: Registry
  const dir = tempDir()
  beforeAll(async () => {
    registry = await openRegistry({ dir: join(dir, 'reg') })
    return () => registry.close()
  })

  it('numbers versions 1, 2, 3 … and never changes what a ref points at', async () => {
    const a = await registry.publishSchema(small(1), { dataset: 'd', rows: 50 })
    const b = await registry.publishSchema(small(2), { dataset: 'd', rows: 50 })
    expect([a.ref, b.ref, a.created, b.created]).toEqual(['d@1', 'd@2', true, true])
    const before = await registry.resolve('d@1')
    await registry.publishSchema(small(3), { dataset: 'd', rows: 60 })
    expect(await registry.resolve('d@1')).toEqual(before)
    expect((await registry.resolve('d')).version).toBe(3)
  })

  it('refuses a second version with an existing number at the database level too', async () => {
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(join(dir, 'reg', 'registry.db'))
    const v1 = db.prepare('select * from dataset_versions where version = 1').get() as Record<string, unknown>
    expect(() =>
      db
        .prepare(
          'insert into dataset_versions (dataset_id, version, sha256, format, rows, manifest_sha256) values (?, 1, ?, ?, ?, ?)',
        )
        .run(v1.dataset_id, v1.manifest_sha256, v1.format, v1.rows, v1.manifest_sha256),
    ).toThrow(/UNIQUE constraint failed: dataset_versions.dataset_id, dataset_versions.version/)
    db.close()
  })

  it('returns the existing version for byte-identical content', async () => {
    const again = await registry.publishSchema(small(1), { dataset: 'd', rows: 50 })
    expect([again.ref, again.created]).toEqual(['d@1', false])
    expect((await registry.versions('d')).map((v) => v.version)).toEqual([1, 2, 3])
  })

  it('resolves every ref form', async () => {
    const v2 = await registry.resolve('d@2')
    await registry.alias('d@2', 'prod')
    expect((await registry.resolve('d@prod')).id).toBe(v2.id)
    expect((await registry.resolve(`d@sha256:${v2.sha256.slice(0, 10)}`)).id).toBe(v2.id)
    expect((await registry.resolve('d@latest')).version).toBe(3)
    expect((await registry.resolve('d')).version).toBe(3)
  })

  it('keeps every alias move in an append-only history', async () => {
    await registry.alias('d@3', 'prod')
    await registry.alias('d@1', 'prod')
    await registry.alias('d@1', 'staging')
    const history = await registry.history('d')
    expect(history.map((m) => [m.name, m.from, m.to])).toEqual([
      ['prod', null, 2],
      ['prod', 2, 3],
      ['prod', 3, 1],
      ['staging', null, 1],
    ])
    expect((await registry.resolve('d@prod')).version).toBe(1)
  })

  it('rejects unknown and malformed refs and bad names clearly, writing nothing', async () => {
    await fails(registry.resolve('nope'), 'NOT_FOUND', /no dataset named "nope"/)
    await fails(registry.resolve('d@9'), 'NOT_FOUND', /d has no version 9 \(latest is d@3\)/)
    await fails(registry.resolve('d@qa'), 'NOT_FOUND', /d has no alias "qa"/)
    await fails(
      registry.resolve('d@sha256:ffffffffff'),
      'NOT_FOUND',
      /no version with a digest starting ffffffffff/,
    )
    await fails(registry.resolve('d@sha256:xyz'), 'USAGE', /4 to 64 lowercase hex digits/)
    await fails(registry.resolve('d@@1'), 'USAGE', /malformed reference/)
    await fails(registry.resolve('d@0'), 'USAGE', /malformed reference/)
    for (const [bad, why] of [
      ['a/b', 'contains "/"'],
      ['a..b', 'contains ".."'],
      ['a\u0007b', 'contains a control character'],
      ['Upper', 'has characters other than'],
    ] as const) {
      await fails(
        registry.publishSchema(small(), { dataset: bad, rows: 5 }),
        'USAGE',
        new RegExp(why.replace(/[.()]/g, '\\$&')),
      )
    }
    await fails(registry.alias('d@1', '7'), 'USAGE', /invalid alias/)
    expect((await registry.list()).map((d) => d.name)).toEqual(['d'])
  })

  it('stores an existing data file as a version, and fetch converts formats on the way out', async () => {
    const csv = join(dir, 'in.csv')
    writeFileSync(csv, 'id,score,label\r\n1,0.5,yes\r\n2,,no\r\n3,1e-3,yes\r\n')
    const { ref } = await registry.publishFile(csv, { dataset: 'imported' })
    expect(ref).toBe('imported@1')
    expect((await registry.publishFile(csv, { dataset: 'imported' })).created).toBe(false)
    const out = join(dir, 'imported.arrow')
    await registry.fetch('imported', out)
    const table = tableFromIPC(readFileSync(out))
    expect(table.toArray().map((r) => r.toJSON())).toEqual([
      { id: 1, score: 0.5, label: 'yes' },
      { id: 2, score: null, label: 'no' },
      { id: 3, score: 0.001, label: 'yes' },
    ])
    for (const format of ['csv', 'jsonl', 'arrow-file'] as const) {
      const file = join(dir, `d1.${format}`)
      await registry.fetch('d@1', file, format)
      const back = await goldgen.inspect(file, 50)
      expect(back.rows).toBe(50)
      expect(back.head.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    }
  })

  it('reports a corrupted blob as an integrity error and never returns its content', async () => {
    const v = await registry.resolve('d@2')
    const path = join(dir, 'reg', 'objects', v.sha256.slice(0, 2), v.sha256.slice(2))
    const original = readFileSync(path)
    writeFileSync(
      path,
      Buffer.concat([original.subarray(0, 100), Buffer.from('tampered'), original.subarray(108)]),
    )
    await fails(registry.fetch('d@2', join(dir, 'x.arrow')), 'INTEGRITY', /is corrupted/)
    expect(readdirSync(dir)).not.toContain('x.arrow')
    const verified = await registry.verify('all')
    expect(verified.find((r) => r.ref === 'd@2')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/corrupted/),
    })
    expect(verified.filter((r) => r.ref.startsWith('d@') && r.ref !== 'd@2').every((r) => r.ok)).toBe(true)
    writeFileSync(path, original)
    expect((await registry.verify('d@2'))[0]!.ok).toBe(true)
  })

  it('verifies a blob once per change: reads do not re-hash an unchanged file, a changed one is caught', async () => {
    const { fsBlobStore } = await import('../registry/fs/blobs.ts')
    let hashes = 0
    const store = fsBlobStore(join(dir, 'reg', 'objects'), { onVerify: () => hashes++ })
    const v = await registry.resolve('d@1')
    await store.verifiedPath(v.sha256)
    expect(hashes).toBe(1)
    for (let i = 0; i < 50; i++) await store.verifiedPath(v.sha256)
    expect(hashes).toBe(1)
    const path = join(dir, 'reg', 'objects', v.sha256.slice(0, 2), v.sha256.slice(2))
    const bytes = readFileSync(path)
    writeFileSync(path, Buffer.concat([Buffer.from('X'), bytes.subarray(1)]))
    await expect(store.verifiedPath(v.sha256)).rejects.toThrow(/is corrupted/)
    writeFileSync(path, bytes)
    expect(await store.verifiedPath(v.sha256)).toBe(path)
  })

  it('gc removes blobs nothing references, and nothing else', async () => {
    const tmp = join(dir, 'stray.jsonl')
    writeFileSync(tmp, '{"a":1}\n')
    // An expectation that failed validation stored nothing; a stray blob stands in for a crashed publish.
    const { fsBlobStore } = await import('../registry/fs/blobs.ts')
    const stray = await fsBlobStore(join(dir, 'reg', 'objects')).putFile(tmp)
    expect((await registry.gc({ dryRun: true })).removed).toEqual([stray.sha256])
    expect((await registry.gc()).removed).toEqual([stray.sha256])
    expect((await registry.gc()).removed).toEqual([])
    expect((await registry.verify('all')).every((r) => r.ok)).toBe(true)
    // Staging files of writers that died are swept; a live writer's are left alone.
    const staging = join(dir, 'reg', 'objects', 'tmp')
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout
    writeFileSync(join(staging, `${dead}-1-crashed`), 'partial')
    writeFileSync(join(staging, `${process.pid}-1-in-flight`), 'partial')
    expect((await registry.gc({ dryRun: true })).staging).toEqual([`${dead}-1-crashed`])
    expect((await registry.gc()).staging).toEqual([`${dead}-1-crashed`])
    expect(readdirSync(staging)).toEqual([`${process.pid}-1-in-flight`])
  })
})

describe('models, expected outputs and check', () => {
  let registry: Registry
  const dir = tempDir()
  const outputs = (rows: number, f: (i: number) => Record<string, unknown>) => {
    const file = join(dir, `out-${Math.random().toString(36).slice(2)}.jsonl`)
    writeFileSync(file, `${Array.from({ length: rows }, (_, i) => JSON.stringify(f(i))).join('\n')}\n`)
    return file
  }
  beforeAll(async () => {
    registry = await openRegistry({ dir: join(dir, 'reg') })
    await registry.publishSchema(small(), { dataset: 'fx', rows: 40 })
    await registry.addModel('m@1.0.0', { owner: 'ml' })
    await registry.expect(
      'm@1.0.0',
      'fx@1',
      outputs(40, (i) => ({ p: i / 40, y: i % 2 })),
      { p: { kind: 'atol', value: 0.01 } },
    )
    return () => registry.close()
  })

  it('passes on exact outputs and within tolerance', async () => {
    expect(
      (await registry.check('m@1.0.0', { outputs: outputs(40, (i) => ({ p: i / 40, y: i % 2 })) })).passed,
    ).toBe(true)
    const near = await registry.check('m@1.0.0', {
      outputs: outputs(40, (i) => ({ p: i / 40 + 0.009, y: i % 2 })),
    })
    expect(near.passed).toBe(true)
    expect(near.results[0]!.worst.p).toBeCloseTo(0.009, 9)
  })

  it('fails beyond tolerance and reports the failing rows with their edge-case tags', async () => {
    const report = await registry.check('m@1.0.0', {
      outputs: outputs(40, (i) => ({ p: i / 40 + (i === 3 || i === 17 ? 0.5 : 0), y: i === 20 ? 0 : i % 2 })),
    })
    expect(report.passed).toBe(false)
    const r = report.results[0]!
    expect([r.rowsCompared, r.rowsFailing]).toEqual([40, 2])
    expect(r.firstFailures.map((f) => f.row)).toEqual([3, 17])
    const { manifest } = await registry.show('fx@1')
    const nanRow = manifest.columns.x!.edgeCases.nan![0]!
    const tagged = await registry.check('m@1.0.0', {
      outputs: outputs(40, (i) => ({ p: i === nanRow ? 9 : i / 40, y: i % 2 })),
    })
    expect(tagged.results[0]!.firstFailures[0]).toMatchObject({ row: nanRow, tags: ['x:nan'] })
  })

  it('runs the model command with --run and checks what it writes', async () => {
    const script = join(dir, 'model.mjs')
    writeFileSync(
      script,
      `import { readFileSync, writeFileSync } from 'node:fs'
const [input, output] = process.argv.slice(2)
const rows = readFileSync(input, 'utf8').trim().split('\\n').map((l) => JSON.parse(l))
writeFileSync(output, rows.map((r, i) => JSON.stringify({ p: i / 40, y: i % 2 })).join('\\n') + '\\n')`,
    )
    const report = await registry.check('m@1.0.0', {
      run: `node ${JSON.stringify(script)} {input} {output}`,
      inputFormat: 'jsonl',
    })
    expect(report.passed).toBe(true)
    await fails(
      registry.check('m@1.0.0', { run: 'node -e "process.exit(3)" {input} {output}' }),
      'IO',
      /exit code 3/,
    )
  })

  it('rejects a tolerance on a missing column and a wrong row count, storing nothing', async () => {
    await registry.addModel('m@2.0.0')
    await fails(
      registry.expect(
        'm@2.0.0',
        'fx@1',
        outputs(40, () => ({ p: 1 })),
        { q: { kind: 'exact' } },
      ),
      'USAGE',
      /names the column "q", which the outputs do not have/,
    )
    await fails(
      registry.expect(
        'm@2.0.0',
        'fx@1',
        outputs(39, () => ({ p: 1 })),
      ),
      'USAGE',
      /have 39 rows but fx@1 has 40/,
    )
    expect(await registry.fixtures('m@2.0.0')).toEqual([])
    expect((await registry.gc({ dryRun: true })).removed).toEqual([])
    await fails(registry.fixtures('m@9'), 'NOT_FOUND', /no model version m@9/)
    await fails(
      registry.expect(
        'm@1.0.0',
        'fx@1',
        outputs(40, () => ({ p: 0, y: 0 })),
      ),
      'CONFLICT',
      /immutable/,
    )
  })

  it('keeps the history of updated expectations: the newest record is current, the old ones stay', async () => {
    await registry.addModel('m@3.0.0')
    const first = outputs(40, (i) => ({ p: i }))
    const second = outputs(40, (i) => ({ p: i + 1 }))
    const a = await registry.expect('m@3.0.0', 'fx@1', first, { p: { kind: 'atol', value: 0.5 } })
    expect([a.created, a.replaced]).toEqual([true, null])
    await fails(registry.expect('m@3.0.0', 'fx@1', second), 'CONFLICT', /record an update/)
    const b = await registry.expect('m@3.0.0', 'fx@1', second, {}, { update: true })
    expect([b.created, b.replaced]).toEqual([true, a.id])
    // The same content as the current record again is a no-op, with or without update.
    const c = await registry.expect('m@3.0.0', 'fx@1', second, {}, { update: true })
    expect([c.created, c.id]).toEqual([false, b.id])
    const history = await registry.expectationHistory('m@3.0.0')
    expect(history.map((e) => [e.id, e.tolerances])).toEqual([
      [a.id, { p: { kind: 'atol', value: 0.5 } }],
      [b.id, {}],
    ])
    expect((await registry.fixtures('m@3.0.0')).map((e) => e.id)).toEqual([b.id])
    // Both files stay referenced: gc removes neither.
    const { removed } = await registry.gc({ dryRun: true })
    expect(history.filter((e) => removed.includes(e.sha256))).toEqual([])
  })
})

describe('verify', () => {
  it('passes for versions regenerated from their recipes', async () => {
    const registry = await openRegistry({ dir: join(tempDir(), 'reg') })
    await registry.publishSchema(goldgen.loadSchema(join(EXAMPLES, 'churn.yaml')), {
      dataset: 'churn',
      rows: 500,
    })
    expect(await registry.verify('churn')).toEqual([
      { ref: 'churn@1', ok: true, detail: 'regenerated from its recipe: identical bytes' },
    ])
    registry.close()
  })
})

describe('crash safety and concurrency (separate processes)', () => {
  const child = (dir: string, dataset: string, seed: number, rows: number) =>
    spawn(
      process.execPath,
      [join(ROOT, 'test/fixtures/publish-child.mjs'), dir, dataset, String(seed), String(rows)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
  const finished = (p: ReturnType<typeof child>) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      let out = ''
      let err = ''
      p.stdout!.on('data', (d) => {
        out += d
      })
      p.stderr!.on('data', (d) => {
        err += d
      })
      p.on('close', (code) => resolve({ code, out, err }))
    })

  it('a publisher killed at random points leaves the whole new version or none of it', async () => {
    const dir = join(tempDir(), 'reg')
    // Deterministic "random" kill delays spread over the publish (startup, generation, blobs, commit).
    const delays = [30, 90, 150, 220, 300, 380, 470, 560, 700, 900]
    let committed = 0
    for (const [i, delay] of delays.entries()) {
      const p = child(dir, 'crash', i, 30_000)
      const done = finished(p)
      await new Promise((r) => setTimeout(r, delay))
      p.kill('SIGKILL')
      const { code } = await done
      if (code === 0) committed++
      const registry = await openRegistry({ dir })
      expect(await registry.integrityCheck()).toBe('ok')
      const versions = await registry.versions('crash').catch(() => [])
      expect(versions.map((v) => v.version)).toEqual(versions.map((_, k) => k + 1))
      for (const r of await registry.verify('all')) expect(r, r.detail).toMatchObject({ ok: true })
      registry.close()
    }
    // Afterwards the registry works as before, and gc clears what killed publishes left.
    const registry = await openRegistry({ dir })
    await registry.gc()
    const after = await registry.publishSchema(small(), { dataset: 'crash', rows: 10 })
    expect(after.version.version).toBe((await registry.versions('crash')).length)
    expect(committed).toBeLessThanOrEqual(delays.length)
    registry.close()
  }, 120_000)

  it('two processes publishing to the same dataset at once both succeed with distinct versions', async () => {
    const dir = join(tempDir(), 'reg')
    const results = await Promise.all([
      finished(child(dir, 'race', 1, 20_000)),
      finished(child(dir, 'race', 2, 20_000)),
    ])
    for (const r of results) expect(r.code, r.err).toBe(0)
    expect(results.map((r) => r.out.trim()).sort()).toEqual(['race@1', 'race@2'])
  }, 60_000)
})

describe('the CLI', () => {
  it('runs the model-release workflow and exits 1 on a regression', async () => {
    const dir = tempDir()
    const env = ['--registry', join(dir, 'reg')]
    const run = (...args: string[]) => runGoldgen([...args, ...env], { cwd: dir })
    expect(
      (await run('publish', join(EXAMPLES, 'churn.yaml'), '--dataset', 'churn', '--rows', '100')).stdout,
    ).toBe('churn@1\n')
    expect((await run('alias', 'churn@1', 'prod')).stdout).toBe('churn@prod → churn@1 (new alias)\n')
    expect((await run('model', 'add', 'churn-model@1.2.0', '--meta', 'owner=ml')).stdout).toBe(
      'churn-model@1.2.0\n',
    )
    expect((await run('fetch', 'churn@prod', '-o', join(dir, 'in.jsonl'))).code).toBe(0)
    const ids = readFileSync(join(dir, 'in.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).customer_id)
    writeFileSync(join(dir, 'expected.csv'), `score\r\n${ids.map((id) => id / 100).join('\r\n')}\r\n`)
    writeFileSync(
      join(dir, 'actual.csv'),
      `score\r\n${ids.map((id) => id / 100 + (id === 42 ? 1 : 0)).join('\r\n')}\r\n`,
    )
    expect(
      (
        await run(
          'expect',
          'churn-model@1.2.0',
          'churn@prod',
          join(dir, 'expected.csv'),
          '--tolerance',
          'score=rtol:1e-9',
        )
      ).code,
    ).toBe(0)
    expect((await run('check', 'churn-model@1.2.0', '--outputs', join(dir, 'expected.csv'))).code).toBe(0)
    const failing = await run('check', 'churn-model@1.2.0', '--outputs', join(dir, 'actual.csv'))
    expect(failing.code).toBe(1)
    expect(failing.stdout).toContain('FAIL churn-model@1.2.0 on churn@1: 100 rows compared, 1 failing')
    expect(failing.stdout).toContain('row 41: score: expected 0.42, got 1.42')
    expect(
      JSON.parse(
        (await run('check', 'churn-model@1.2.0', '--outputs', join(dir, 'actual.csv'), '--json')).stdout,
      ).passed,
    ).toBe(false)
    writeFileSync(join(dir, 'short.csv'), 'score\r\n1\r\n')
    const short = await run('expect', 'churn-model@1.2.0', 'churn@1', join(dir, 'short.csv'))
    expect([short.code, short.stderr]).toEqual([
      2,
      `goldgen: ${join(dir, 'short.csv')}: the outputs have 1 rows but churn@1 has 100: expected one output row per input row\n`,
    ])
    const bad = await run('show', 'churn@nope')
    expect([bad.code, bad.stderr]).toEqual([2, 'goldgen: churn has no alias "nope" (latest is churn@1)\n'])
    expect((await run('publish', join(EXAMPLES, 'churn.yaml'), '--dataset', '../evil')).stderr).toMatch(
      /invalid dataset name "..\/evil"/,
    )
  })
})
