/**
 * The contract replay judges metric expectations on a served model's answers: a real HTTP
 * model on loopback (plain JSON protocol) whose error grows on one slice fails the replay stage
 * with the metric, the slice, the value and the bound, although its rows match their expected
 * outputs; the other variant passes.
 */
import { execFileSync } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { loadSchema } from '../src/api/load-schema.ts'
import { runContract } from '../src/contract/run.ts'
import { parseMetric, parseSlice } from '../src/metrics/expression.ts'
import { ROOT, tempDir } from './helpers.ts'

const dir = tempDir()
let registry: Registry
let server: Server
let base: string

beforeAll(async () => {
  registry = await openRegistry({ dir: join(dir, 'reg') })
  await registry.publishSchema(loadSchema(join(ROOT, 'test/metrics/slices.yaml')), { dataset: 'slices' })
  await registry.fetch('slices@1', join(dir, 'in.csv'))
  const spec = { metrics: [parseMetric('mae(y, pred) <= 0.5')], slices: [parseSlice('segment')] }
  for (const v of ['v1', 'v2']) {
    const file = join(dir, `${v}.csv`)
    execFileSync(process.execPath, [join(ROOT, 'test/metrics/model.mjs'), join(dir, 'in.csv'), file, v])
    await registry.addModel(`c@${v}`)
    await registry.expect(`c@${v}`, 'slices@1', file)
    await (await registry.planMetrics(`c@${v}`, 'slices@1', spec)).commit()
  }
  // The same model as test/metrics/model.mjs, served: POST /v1 or /v2 with a JSON array of rows.
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      res.setHeader('content-type', 'application/json')
      if (req.method !== 'POST') {
        res.end('{}')
        return
      }
      const rows = JSON.parse(body) as { x: number; segment: string }[]
      const off = req.url === '/v2' ? 1.5 : 0
      res.end(
        JSON.stringify(
          rows.map((r) => ({
            pred: 2 * r.x + 1 + (r.segment === 'enterprise' ? off : 0),
            prob: 1 / (1 + Math.exp(-(r.x - 5))),
          })),
        ),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  registry.close()
})

const replay = (model: string, path: string) =>
  runContract({ model, endpoint: `${base}${path}`, protocol: 'json', stages: 'replay', registry })

describe('contract replay with metric expectations', () => {
  it('fails on the slice whose metric is out of bounds, though every row matches', async () => {
    const report = await replay('c@v2', '/v2')
    const [stage] = report.stages
    expect(report.passed).toBe(false)
    expect(stage!.rows?.failing).toBe(0)
    expect(stage!.reason).toMatch(
      /^mae\(y, pred\) <= 0\.5 fails on segment=enterprise: 1\.\d+ is not <= 0\.5$/,
    )
    expect(stage!.metrics?.checks.map((c) => [c.slice, c.passed])).toEqual([
      ['overall', true],
      ['segment=business', true],
      ['segment=consumer', true],
      ['segment=enterprise', false],
    ])
  })

  it('passes when the rows match and every metric is within its bounds', async () => {
    const report = await replay('c@v1', '/v1')
    expect(report.passed, JSON.stringify(report.stages)).toBe(true)
    expect(report.stages[0]!.reason).toBe(
      '600 rows match the expected outputs and every metric is within its bounds; 4 metric values',
    )
  })
})
