/**
 * End to end: `goldgen serve` as a child process on a loopback port; the client fetches
 * fixtures in a Vitest test and checks the digest; then, with the server stopped, the same
 * fixtures come from the cache in offline mode.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openRegistry } from '../registry/service.ts'
import { createClient } from '../src/client/index.ts'
import { BIN, EXAMPLES, goldgen, tempDir } from './helpers.ts'

const dir = tempDir()
const registryDir = join(dir, 'reg')
let server: ChildProcess | undefined

afterAll(() => {
  server?.kill('SIGKILL')
})

/** Starts `goldgen serve --port 0` and resolves with the URL it prints. */
function serve(): Promise<string> {
  return new Promise((resolve, reject) => {
    server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--registry', registryDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let err = ''
    server.stderr!.on('data', (d) => {
      err += d
      const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(err)?.[1]
      if (url !== undefined) resolve(url)
    })
    server.on('exit', (code) => reject(new Error(`goldgen serve exited (${code}): ${err}`)))
  })
}

describe('goldgen serve, the client, and offline mode', () => {
  it('fetches fixtures over HTTP, verifies them, then serves them from the cache with the server stopped', async () => {
    const registry = await openRegistry({ dir: registryDir })
    await registry.publishSchema(goldgen.loadSchema(join(EXAMPLES, 'churn.yaml')), {
      dataset: 'churn',
      rows: 200,
    })
    await registry.alias('churn@1', 'prod')
    await registry.addModel('churn-model@1.2.0')
    const expected = join(dir, 'expected.jsonl')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(
      expected,
      `${Array.from({ length: 200 }, (_, i) => JSON.stringify({ p: i / 200 })).join('\n')}\n`,
    )
    await registry.expect('churn-model@1.2.0', 'churn@prod', expected, { p: { kind: 'rtol', value: 1e-9 } })
    const stored = (await registry.resolve('churn@1')).sha256
    registry.close()

    const url = await serve()
    const options = { baseUrl: url, cacheDir: join(dir, 'cache'), lockFile: join(dir, 'goldgen.lock') }
    const online = createClient(options)
    const [fixture] = await online.fixtures('churn-model@1.2.0')
    expect(fixture).toMatchObject({ dataset: 'churn@1', rows: 200 })
    const bytes = await online.dataset('churn@prod').bytes()
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(stored)
    const rows = await fixture!.data()
    const outputs = await fixture!.expected()
    expect(rows).toHaveLength(200)
    expect(outputs[10]).toEqual({ p: 0.05 })

    server!.kill('SIGTERM')
    await new Promise((r) => server!.once('exit', r))
    server = undefined

    const offline = createClient({ ...options, offline: true })
    const [again] = await offline.fixtures('churn-model@1.2.0')
    expect(await again!.data()).toEqual(rows)
    expect(await again!.expected()).toEqual(outputs)
    expect(
      createHash('sha256')
        .update(await offline.dataset('churn@prod').bytes())
        .digest('hex'),
    ).toBe(stored)
    await expect(offline.dataset('churn@2').bytes()).rejects.toThrow(/offline/)
  })
})
