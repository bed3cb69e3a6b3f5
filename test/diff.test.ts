/**
 * `goldgen diff` of versions of two different datasets (issue 12): compared by column name —
 * columns from each version's manifest (uploaded files too), rows matched by a key column only
 * when both versions have it, compared on the columns both have.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { openRegistry } from '../registry/service.ts'
import { runGoldgen, schema, tempDir } from './helpers.ts'

const dir = tempDir()
const reg = join(dir, 'reg')

beforeAll(async () => {
  const registry = await openRegistry({ dir: reg })
  await registry.publishSchema(
    schema({
      goldgen: 1,
      seed: 3,
      columns: {
        customer_id: { type: 'id' },
        age: { type: 'int', min: 18, max: 90 },
        tier: { type: 'category', values: ['a', 'b'] },
      },
    }),
    { dataset: 'people', rows: 20 },
  )
  await registry.publishSchema(
    schema({
      goldgen: 1,
      seed: 3,
      columns: {
        event_id: { type: 'id' },
        age: { type: 'float', min: 0, max: 1 },
        kind: { type: 'category', values: ['x', 'y'] },
      },
    }),
    { dataset: 'events', rows: 30 },
  )
  await registry.publishSchema(
    schema({
      goldgen: 1,
      seed: 4,
      columns: { id: { type: 'id' }, score: { type: 'int', min: 1, max: 3 }, label: { type: 'bool' } },
    }),
    { dataset: 'scores', rows: 4 },
  )
  const csv = join(dir, 'uploaded.csv')
  writeFileSync(csv, 'id,score,note\n1,2,x\n2,9,y\n3,1,z\n7,1,w\n')
  await registry.publishFile(csv, { dataset: 'uploaded' })
  registry.close()
})

describe('goldgen diff of two different datasets', () => {
  it('compares by column name and matches rows only on a key both have', async () => {
    const r = await runGoldgen(['diff', 'people@1', 'events@1', '--registry', reg, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const d = JSON.parse(r.stdout)
    expect(d.sameDataset).toBe(false)
    expect(d.rows).toEqual({ a: 20, b: 30 })
    expect(d.schema).toEqual({
      added: ['event_id', 'kind'],
      removed: ['customer_id', 'tier'],
      changed: ['age'],
    })
    expect(Object.keys(d.stats)).toEqual(['age'])
    expect(d.byKey).toBeUndefined()
    const text = await runGoldgen(['diff', 'people@1', 'events@1', '--registry', reg])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('two different datasets: compared by column name')
    expect(text.stdout).toContain('columns added: event_id, kind; removed: customer_id, tier; changed: age')
    expect(text.stdout).toContain('rows by key: no key column (id) both versions have')
  })

  it('diffs a generated version against an uploaded file on the shared columns', async () => {
    const r = await runGoldgen(['diff', 'scores@1', 'uploaded@1', '--registry', reg, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const d = JSON.parse(r.stdout)
    expect(d.schema.added).toEqual(['note'])
    expect(d.schema.removed).toEqual(['label'])
    expect(d.byKey.key).toBe('id')
    expect(d.byKey.columns).toEqual(['id', 'score'])
    // Rows 1–4 generated against the file's 1, 2, 3, 7: id 4 removed, id 7 added; the others
    // differ exactly where the generated score differs from the file's.
    const rows = await runGoldgen(['fetch', 'scores@1', '-o', join(dir, 'scores.jsonl'), '--registry', reg])
    expect(rows.code).toBe(0)
    const { readFileSync } = await import('node:fs')
    const generated = readFileSync(join(dir, 'scores.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; score: number })
    const file = new Map([
      [1, 2],
      [2, 9],
      [3, 1],
    ])
    const changed = generated.filter((g) => file.has(g.id) && file.get(g.id) !== g.score).length
    expect(d.byKey).toMatchObject({ added: 1, removed: 1, changed })
  })

  it('keeps diffing versions of one dataset as before', async () => {
    const r = await runGoldgen(['diff', 'people@1', 'people@1', '--registry', reg, '--json'])
    const d = JSON.parse(r.stdout)
    expect(d.sameDataset).toBe(true)
    expect(d.schema).toEqual({ added: [], removed: [], changed: [] })
    expect(d.byKey).toMatchObject({ key: 'customer_id', added: 0, removed: 0, changed: 0 })
  })
})
