/**
 * Metric expectations over HTTP: PUT stores them (write token; 201, then 200 for the same, 409 for
 * others, 400 naming the field and position of a parse error), GET lists them parsed, and the TS
 * client reads them from a real server on loopback.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { createClient } from '../src/client/index.ts'
import { createApp } from '../src/server/app.ts'
import { listen } from '../src/server/listen.ts'
import { schema, tempDir } from './helpers.ts'

const dir = tempDir()
let registry: Registry
let token: string
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  registry = await openRegistry({ dir: join(dir, 'reg') })
  const s = schema({
    goldgen: 1,
    columns: {
      id: { type: 'id' },
      age: { type: 'int', min: 18, max: 90 },
      y: { type: 'float', min: 0, max: 1 },
    },
  })
  await registry.publishSchema(s, { dataset: 'd', rows: 20 })
  await registry.addModel('m@1.0.0')
  await registry.addModel('m@2.0.0')
  const expected = join(dir, 'expected.csv')
  writeFileSync(expected, `pred\r\n${Array.from({ length: 20 }, (_, i) => i / 20).join('\r\n')}\r\n`)
  await registry.expect('m@1.0.0', 'd@1', expected)
  token = (await registry.createToken('write', 'ci')).token
  app = createApp(registry)
})
afterAll(() => registry.close())

const put = (body: unknown, auth = true) =>
  app.request('/v1/models/m/versions/2.0.0/metrics/d/1', {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })

describe('metric expectations over HTTP', () => {
  const body = {
    metrics: ['mae(y, pred) <= 0.3', 'r2(y, pred) > 0'],
    slices: ['age:bins=[18,40,90]'],
    baseline: 'm@1.0.0',
    maxDrop: 0.05,
  }

  it('stores them with a write token, idempotently, and refuses others', async () => {
    expect((await put(body, false)).status).toBe(401)
    const first = await put(body)
    expect(first.status).toBe(201)
    expect(await first.json()).toMatchObject({
      dataset: 'd@1',
      baseline: { model: 'm@1.0.0', maxDrop: 0.05 },
    })
    expect((await put(body)).status).toBe(200)
    const other = await put({ ...body, metrics: ['mae(y, pred) <= 0.1'] })
    expect(other.status).toBe(409)
    expect(((await other.json()) as { detail: string }).detail).toMatch(/already stored for m@2.0.0 on d@1/)
    expect((await registry.auditLog()).filter((e) => e.action === 'expect.metrics')).toHaveLength(2)
  })

  it('answers 400 naming the field and position of a parse error', async () => {
    const r = await put({ metrics: ['mae(y, pred) =< 0.3'] })
    expect(r.status).toBe(400)
    expect(((await r.json()) as { detail: string }).detail).toMatch(
      /^metrics "mae\(y, pred\) =< 0.3": at position 14: expected a comparison/,
    )
    const drop = await put({ metrics: ['mae(y, pred) <= 0.3'], baseline: 'm@1.0.0' })
    expect(((await drop.json()) as { detail: string }).detail).toMatch(
      /baseline MODEL@VERSION and maxDrop X go together/,
    )
  })

  it('lists them parsed, and the TS client reads them from a real server', async () => {
    const got = await (await app.request('/v1/models/m/versions/2.0.0/metrics')).json()
    expect(got).toEqual([
      {
        dataset: 'd@1',
        metrics: [
          { text: 'mae(y, pred) <= 0.3', name: 'mae', truth: 'y', prediction: 'pred', op: '<=', bound: 0.3 },
          { text: 'r2(y, pred) > 0', name: 'r2', truth: 'y', prediction: 'pred', op: '>', bound: 0 },
        ],
        slices: [{ text: 'age:bins=[18,40,90]', column: 'age', bins: [18, 40, 90] }],
        baseline: { model: 'm@1.0.0', maxDrop: 0.05 },
      },
    ])
    expect(await (await app.request('/v1/models/m/versions/1.0.0/metrics')).json()).toEqual([])
    expect((await app.request('/v1/models/m/versions/9.9.9/metrics')).status).toBe(404)
    const server = await listen(registry, { host: '127.0.0.1', port: 0 })
    try {
      const client = createClient({ baseUrl: server.url })
      expect(await client.metricExpectations('m@2.0.0')).toEqual(got)
      await expect(client.metricExpectations('m@9.9.9')).rejects.toThrow(/no model version m@9.9.9/)
    } finally {
      await server.close()
    }
  })
})
