/**
 * The hostile-input corpus (test/fuzz/cli/): every file is an input that once hung goldgen,
 * exhausted its memory, ended in a crash, or was accepted but wrong (`__proto__` names, impossible
 * dates, data files given as schemas). Each must be refused quickly with exit 2, a message
 * naming the file, and no stack trace — through the CLI in-process and through HTTP publish
 * (app.request()), where the server must keep answering /healthz. Each case has seconds, not minutes.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { openRegistry, type Registry } from '../registry/service.ts'
import { createApp } from '../src/server/app.ts'
import { serverLog } from '../src/server/log.ts'
import { EXAMPLES, runGoldgen, tempDir } from './helpers.ts'

const CORPUS = join(import.meta.dirname, 'fuzz/cli')
const files = readdirSync(CORPUS).sort()
const dir = tempDir()
const SECONDS = 15_000

/** What a refusal must look like: exit 2, the file named, a short message, no stack trace. */
function expectRefusal(r: { code: number; stderr: string }, file: string) {
  expect(r.code, r.stderr).toBe(2)
  expect(r.stderr).toContain(file)
  expect(r.stderr).not.toMatch(/\n\s+at \S+ \(|internal error|This is a bug/)
  expect(r.stderr.length).toBeLessThan(2000)
}

describe('hostile schema files through the CLI', () => {
  for (const name of files) {
    const file = join(CORPUS, name)
    it(`validate ${name}`, { timeout: SECONDS }, async () => {
      const r = await runGoldgen(['validate', file])
      // `validate` checks a JSON Schema, it does not sample it: an endless recursion is a valid
      // schema that only generation finds cannot end (and then refuses, below).
      if (name === 'jsonschema-recursive-root.json' && r.code === 0) return
      expectRefusal(r, file)
    })
    it(`generate ${name}`, { timeout: SECONDS }, async () => {
      expectRefusal(await runGoldgen(['generate', file, '-o', join(dir, `${name}.csv`)]), file)
    })
  }
  it('validate /dev/zero stops at the size limit instead of reading without end', {
    timeout: SECONDS,
  }, async () => {
    const r = await runGoldgen(['validate', '/dev/zero'])
    expectRefusal(r, '/dev/zero')
    expect(r.stderr).toMatch(/larger than \d+ bytes/)
  })
  it('--negative N is capped as the schema key is', { timeout: SECONDS }, async () => {
    const r = await runGoldgen([
      'generate',
      join(EXAMPLES, 'churn.yaml'),
      '--negative',
      '1000000000',
      '-o',
      join(dir, 'neg.csv'),
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--negative must be at most 1,000,000/)
  })
})

describe('hostile schemas through HTTP publish', () => {
  let registry: Registry
  let app: ReturnType<typeof createApp>
  let writer: string
  const logged: string[] = []
  const write = serverLog.write
  beforeAll(async () => {
    serverLog.write = (line) => void logged.push(line)
    registry = await openRegistry({ dir: join(dir, 'reg') })
    writer = (await registry.createToken('write', 'fuzz')).token
    app = createApp(registry)
  })
  afterAll(() => {
    serverLog.write = write
    registry.close()
  })

  /** The corpus file as a JSON body: YAML read as JSON, a JSON Schema wrapped as `records`. */
  function body(name: string): string {
    const text = readFileSync(join(CORPUS, name), 'utf8')
    if (name.endsWith('.json'))
      return JSON.stringify({ goldgen: 1, rows: 5, records: { json_schema: JSON.parse(text) } })
    try {
      return JSON.stringify(parse(text))
    } catch {
      return text // not YAML that parses: sent as it is, and must be refused as not JSON
    }
  }

  for (const name of files) {
    it(`POST ${name}`, { timeout: SECONDS }, async () => {
      const r = await app.request('/v1/datasets/fuzz/versions', {
        method: 'POST',
        headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
        body: body(name),
      })
      expect(r.status, await r.clone().text()).toBeGreaterThanOrEqual(400)
      expect(r.status).toBeLessThan(500)
      expect(r.headers.get('content-type')).toBe('application/problem+json')
      expect((await app.request('/healthz')).status).toBe(200)
      expect(logged).toEqual([])
    })
  }
})
