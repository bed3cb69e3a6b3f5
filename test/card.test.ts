/**
 * `goldgen card <ref> [-o DIR]`, run in-process: README.md with Hugging Face-style YAML front
 * matter and the data-card content, croissant.json beside it, and clear errors for bad input.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { Manifest } from '../src/api/manifest.ts'
import { hfDtype } from '../src/server/card/markdown.ts'
import { missingMechanism } from '../src/server/card/model.ts'
import { runGoldgen, tempDir } from './helpers.ts'
import { uiRegistry } from './ui/fixture.ts'

let dir: string
let reg: string
let manifest: Manifest

beforeAll(async () => {
  dir = tempDir()
  const registry = await uiRegistry(dir)
  manifest = (await registry.manifest('churn@2')) as Manifest
  reg = registry.dir
  registry.close()
})

const run = (args: string[]) => runGoldgen(args)

describe('goldgen card', () => {
  it('writes README.md with front matter and the card, and croissant.json', async () => {
    const out = join(dir, 'card')
    const r = await run(['card', 'churn@stable', '-o', out, '--registry', reg])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('wrote the card of churn@2')
    const readme = readFileSync(join(out, 'README.md'), 'utf8')
    const m = /^---\n([\s\S]*?)\n---\n/.exec(readme)
    expect(m).not.toBeNull()
    const front = parse(m![1]!) as {
      pretty_name: string
      license: string
      size_categories: string[]
      dataset_info: { splits: unknown[]; features: { name: string; dtype: string }[] }
      goldgen: { sha256: string }
    }
    expect(front.pretty_name).toBe('churn@2')
    expect(front.license).toBe('cc0-1.0')
    expect(front.size_categories).toEqual(['n<1K'])
    expect(front.dataset_info.splits).toEqual([{ name: 'test', num_examples: 150 }])
    expect(front.dataset_info.features.map((f) => f.name)).toEqual(Object.keys(manifest.columns))
    expect(front.goldgen.sha256).toBe(manifest.files[0]!.sha256)
    expect(readme).toContain("MNAR (depends on the column's own value, rate 0.2)")
    expect(readme).toContain('| churn-model@1.0.0 | 150 rows (csv) |')
    expect(readme).toContain('Release `release-1` from customers.csv')
    for (const [name, col] of Object.entries(manifest.columns)) {
      expect(readme).toContain(`### \`${name}\``)
      expect(readme).toContain(`- nulls / missing: ${col.nullCount} null, ${col.missingCount} missing`)
    }
    const croissant = JSON.parse(readFileSync(join(out, 'croissant.json'), 'utf8'))
    expect(croissant.conformsTo).toBe('http://mlcommons.org/croissant/1.1')
    expect(croissant.distribution[1].contentUrl).toBe('/v1/datasets/churn/versions/2/data?format=csv')
  })

  it('points links at a server with --base-url', async () => {
    const out = join(dir, 'card-url')
    const r = await run([
      'card',
      'prices',
      '-o',
      out,
      '--registry',
      reg,
      '--base-url',
      'https://reg.example/',
      '--json',
    ])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).croissant).toBe(join(out, 'croissant.json'))
    const croissant = JSON.parse(readFileSync(join(out, 'croissant.json'), 'utf8'))
    expect(croissant.url).toBe('https://reg.example/datasets/prices/versions/1')
    const readme = readFileSync(join(out, 'README.md'), 'utf8')
    expect(readme).toContain('license: unknown')
    expect(readme).toContain('Imported from the file `prices.csv`')
  })

  it('fails clearly on an unknown ref or a bad --base-url, writing nothing', async () => {
    const out = join(dir, 'nothing')
    const missing = await run(['card', 'nope@1', '-o', out, '--registry', reg])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('no dataset named "nope"')
    const bad = await run(['card', 'churn', '-o', out, '--registry', reg, '--base-url', 'ftp:x'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--base-url "ftp:x": expected an http(s) URL')
    expect(existsSync(out)).toBe(false)
  })
})

describe('card helpers', () => {
  it('names the missing-value mechanism from the schema', () => {
    expect(missingMechanism('a', undefined)).toBeNull()
    expect(missingMechanism('a', 0.1)).toBe('MCAR (missing completely at random, rate 0.1)')
    expect(missingMechanism('a', { count: 3, as: -1 })).toBe(
      'MCAR (missing completely at random, 3 rows), written as -1',
    )
    expect(missingMechanism('a', { rate: 0.2, when: { b: 1, c: 2 } })).toBe('MAR (depends on b, c, rate 0.2)')
    expect(missingMechanism('a', { when: { self: { gt: 1 } } })).toBe(
      "MNAR (depends on the column's own value)",
    )
    expect(missingMechanism('a', { rate: 0.5, when: { self: { gt: 1 }, b: 'x' } })).toBe(
      "MNAR (depends on the column's own value and on b, rate 0.5)",
    )
  })

  it('maps column types to Hugging Face dtypes', () => {
    expect(hfDtype({ type: 'int', arrowType: 'Int32' })).toBe('int32')
    expect(hfDtype({ type: 'float', arrowType: 'Float64' })).toBe('float64')
    expect(hfDtype({ type: 'bool', arrowType: 'Bool' })).toBe('bool')
    expect(hfDtype({ type: 'date', arrowType: 'Date32<DAY>' })).toBe('date32')
    expect(hfDtype({ type: 'datetime', arrowType: 'Timestamp<MILLISECOND>' })).toBe('timestamp[ms]')
    expect(hfDtype({ type: 'category', arrowType: 'Dictionary<Int32, Utf8>' })).toBe('string')
    expect(hfDtype({ type: 'id', arrowType: undefined })).toBe('int64')
  })
})
