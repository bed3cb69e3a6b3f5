/**
 * Hostile HTTP requests through app.request(): malformed JSON bodies on the alias and
 * model-version routes are 400 problems (never a 500), and publishing a schema with a pattern
 * that would hang or exhaust a backtracking engine is refused at once, with the reason.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { createApp } from '../src/server/app.ts'
import { serverLog } from '../src/server/log.ts'
import { schema, tempDir } from './helpers.ts'

let registry: Registry
let app: ReturnType<typeof createApp>
let writer: string
const dir = tempDir()
const logged: string[] = []
const write = serverLog.write

beforeAll(async () => {
  serverLog.write = (line) => void logged.push(line)
  registry = await openRegistry({ dir: join(dir, 'reg') })
  await registry.publishSchema(schema({ goldgen: 1, columns: { id: { type: 'id' } } }), {
    dataset: 'd',
    rows: 10,
  })
  writer = (await registry.createToken('write', 'ci')).token
  app = createApp(registry)
})
afterAll(() => {
  serverLog.write = write
  registry.close()
})

const send = (method: string, path: string, body: string | undefined, type: string | undefined) =>
  app.request(path, {
    method,
    headers: { authorization: `Bearer ${writer}`, ...(type === undefined ? {} : { 'content-type': type }) },
    ...(body === undefined ? {} : { body }),
  })

export const malformedBodies: [string | undefined, string | undefined][] = [
  ['{', 'application/json'],
  ['version=1', 'application/x-www-form-urlencoded'],
  ['{"version":1}x', 'application/json'],
  ['', 'application/json'],
  [undefined, 'application/json'],
  ['{"version":1}', undefined],
  ['{"version":1}', 'text/plain'],
  ['null', 'application/json'],
  ['[]', 'application/json'],
  ['"1"', 'application/json'],
]

describe('malformed JSON bodies', () => {
  for (const [method, path] of [
    ['PUT', '/v1/datasets/d/aliases/prod'],
    ['POST', '/v1/models/m/versions'],
  ] as const) {
    it(`${method} ${path} answers 400 problem+json for each`, async () => {
      for (const [body, type] of malformedBodies) {
        const r = await send(method, path, body, type)
        const label = `${JSON.stringify(body)} as ${type}`
        expect(r.status, label).toBe(400)
        expect(r.headers.get('content-type'), label).toBe('application/problem+json')
        expect(((await r.json()) as { detail: string }).detail, label).not.toBe('')
      }
      expect(logged).toEqual([])
    })
  }
  it('still accepts a well-formed body', async () => {
    expect(
      (await send('PUT', '/v1/datasets/d/aliases/prod', '{"version":1}', 'application/json')).status,
    ).toBe(200)
    expect(
      (await send('POST', '/v1/models/m/versions', '{"version":"1.0.0"}', 'application/json')).status,
    ).toBe(201)
  })
})

describe('patterns that would stop or stall the server', () => {
  for (const pattern of ['a{1000000000}', '(?=(a+)+b)a{34}', '((a+)+)+b\\1', '(a{1000}){1000}']) {
    it(`refuses ${pattern} with the reason, and /healthz answers at once after`, async () => {
      const def = { goldgen: 1, rows: 5, columns: { s: { type: 'string', pattern } } }
      const r = await send('POST', '/v1/datasets/p/versions', JSON.stringify(def), 'application/json')
      expect(r.status).toBe(422)
      const body = (await r.json()) as { issues: { path: string[]; message: string }[] }
      expect(body.issues[0]!.path).toEqual(['columns', 's', 'pattern'])
      expect(body.issues[0]!.message).toMatch(/linear time|longer than/)
      expect((await app.request('/healthz')).status).toBe(200)
    })
  }
})
