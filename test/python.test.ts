/**
 * The Python consumer example (examples/python/check_fixture.py: urllib + pandas) against a real
 * server. It runs when a python3 with pandas is on the machine, and says so plainly when not.
 */
import { execFile, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { listen } from '../src/server/listen.ts'
import { ROOT, schema, tempDir } from './helpers.ts'

const python = ['python3', '/usr/bin/python3'].find(
  (p) => spawnSync(p, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0,
)
if (python === undefined)
  console.warn(
    'goldgen: no python3 with pandas here: the Python example test does not run (apt-get install python3-pandas)',
  )

describe.runIf(python !== undefined)('examples/python/check_fixture.py', () => {
  const dir = tempDir()
  let registry: Registry
  let server: Awaited<ReturnType<typeof listen>>
  beforeAll(async () => {
    registry = await openRegistry({ dir: join(dir, 'reg') })
    await registry.publishSchema(
      schema({ goldgen: 1, columns: { id: { type: 'id' }, x: { type: 'float', min: 0, max: 1 } } }),
      { dataset: 'd', rows: 25 },
    )
    for (const [version, offset] of [
      ['1.0.0', 0],
      ['2.0.0', 0.5],
    ] as const) {
      await registry.addModel(`m@${version}`)
      const expected = join(dir, `expected-${version}.jsonl`)
      writeFileSync(
        expected,
        Array.from({ length: 25 }, (_, i) =>
          JSON.stringify({ y: (i + 1) * 2 + (i === 3 ? offset : 0) }),
        ).join('\n'),
      )
      await registry.expect(`m@${version}`, 'd@1', expected, { y: { kind: 'atol', value: 0.1 } })
    }
    server = await listen(registry, { host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await server?.close()
    registry?.close()
  })
  // Asynchronous: the server answering the script runs in this same process.
  const run = (model: string) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        python!,
        [join(ROOT, 'examples/python/check_fixture.py'), server.url, model],
        { timeout: 60_000 },
        (error, stdout, stderr) => {
          resolve({
            status: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
            stdout,
            stderr,
          })
        },
      )
    })

  it('passes when the predictions match the expected outputs', async () => {
    const r = await run('m@1.0.0')
    expect(r.stderr).toBe('')
    expect([r.status, r.stdout]).toEqual([0, 'PASS m@1.0.0 on d@1: 25 rows compared, 0 failing\n'])
  })
  it('fails (exit 1) when a row is off by more than the tolerance', async () => {
    const r = await run('m@2.0.0')
    expect([r.status, r.stdout]).toEqual([1, 'FAIL m@2.0.0 on d@1: 25 rows compared, 1 failing\n'])
  })
})
