/**
 * A small registry for the browser-UI, Croissant and card tests: a generated dataset with two
 * versions and an alias moved between them, an imported CSV file, a model version with expected
 * outputs bound to a version, and a privacy ledger entry.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openRegistry, type Registry } from '../../registry/service.ts'
import { schema } from '../helpers.ts'

export const CHURN = {
  goldgen: 1,
  description: 'Customers for the churn model tests',
  seed: 7,
  columns: {
    customer_id: { type: 'id' },
    age: { type: 'int', min: 18, max: 90, missing: { rate: 0.1, when: { plan: 'pro' } } },
    income: { type: 'float', min: 0, max: 200000, missing: { rate: 0.2, when: { self: { gt: 150000 } } } },
    score: { type: 'float', min: 0, max: 1, edge_cases: { mode: 'all' } },
    plan: { type: 'category', values: ['basic', 'pro', 'enterprise'], missing: 0.05 },
    active: { type: 'bool', p: 0.7 },
    signup: { type: 'date', min: '2020-01-01', max: '2024-12-31' },
    code: { type: 'string', pattern: '[A-Z]{3}-[0-9]{2}' },
  },
  coverage: { min_per_category: 2 },
}

export async function uiRegistry(dir: string): Promise<Registry> {
  const registry = await openRegistry({ dir: join(dir, 'reg'), user: 'tester' })
  await registry.publishSchema(schema(CHURN), { dataset: 'churn', rows: 120 })
  await registry.publishSchema(schema({ ...CHURN, seed: 8 }), { dataset: 'churn', rows: 150 })
  await registry.alias('churn@1', 'stable')
  await registry.alias('churn@2', 'stable')
  const csv = join(dir, 'prices.csv')
  writeFileSync(csv, 'sku,price,label\nA1,9.5,cheap\nB2,120.25,dear\nC3,33,cheap\n')
  await registry.publishFile(csv, { dataset: 'prices' })
  await registry.addModel('churn-model@1.0.0', { owner: 'ml-team' })
  const outputs = join(dir, 'outputs.csv')
  writeFileSync(outputs, `p\n${Array.from({ length: 150 }, (_, i) => (i % 10) / 10).join('\n')}\n`)
  await registry.expect('churn-model@1.0.0', 'churn@2', outputs, { p: { kind: 'atol', value: 0.01 } })
  await registry.recordPrivacy({
    releaseId: 'release-1',
    sourceSha256: 'a'.repeat(64),
    sourceName: 'customers.csv',
    mechanism: 'gaussian',
    rho: 0.5,
    epsilon: 4.1,
    delta: 1e-6,
    guarantee: true,
    produced: 'churn@2',
  })
  return registry
}
