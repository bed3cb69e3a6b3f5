/**
 * Names JavaScript objects treat specially (issue 12: "A column or category value named
 * `__proto__` disappears silently"): every name either works or is refused with the reason.
 * `constructor`, `toString`, `hasOwnProperty`, `valueOf` work as column names and category values;
 * `__proto__` as a key of the schema is refused naming its path; data files keep such columns.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { createApp } from '../src/server/app.ts'
import { runGoldgen, tempDir } from './helpers.ts'

const dir = tempDir()
const TRICKY = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'a',
  'b c',
]
const name = fc.constantFrom(...TRICKY)

/** A schema as JSON text (so `__proto__` stays an own key), its columns named by `names`. */
function schemaText(names: string[], values: string[], weighted: boolean): string {
  const columns = names.map((n, i) => {
    const spec =
      i % 2 === 0
        ? `{"type":"category","values":${weighted ? `{${values.map((v) => `${JSON.stringify(v)}:1`).join(',')}}` : JSON.stringify(values)}}`
        : '{"type":"int","min":0,"max":9}'
    return `${JSON.stringify(n)}:${spec}`
  })
  return `{"goldgen":1,"rows":12,"columns":{${columns.join(',')}}}`
}

describe('names JavaScript reserves', () => {
  it('"every name either works or is refused with the reason" (schemas, generate, read back)', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(name, { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(name, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (names, values, weighted) => {
          const file = join(dir, `s${n++}.yaml`)
          writeFileSync(file, schemaText(names, values, weighted))
          const r = await runGoldgen(['generate', file, '-f', 'jsonl', '-o', '-'])
          const protoKey = names.includes('__proto__') || (weighted && values.includes('__proto__'))
          if (protoKey) {
            expect(r.code).toBe(2)
            expect(r.stderr).toContain(file)
            expect(r.stderr).toMatch(/"__proto__" cannot be a name in a goldgen schema .*rename it/)
            return
          }
          expect(r.code, r.stderr).toBe(0)
          const rows = r.stdout
            .trimEnd()
            .split('\n')
            .map((l) => JSON.parse(l) as Record<string, unknown>)
          expect(rows).toHaveLength(12)
          for (const row of rows) {
            expect(Object.keys(row)).toEqual(names)
            names.forEach((c, i) => {
              if (i % 2 === 0) expect(values).toContain(row[c])
              else expect(typeof row[c]).toBe('number')
            })
          }
        },
      ),
      { numRuns: 25, seed: 12 },
    )
  })

  it('data files keep a column named __proto__ (inspect), and infer refuses it with the reason', async () => {
    const csv = join(dir, 'proto.csv')
    writeFileSync(csv, '__proto__,constructor,toString\n1,__proto__,x\n2,valueOf,y\n')
    const jsonl = join(dir, 'proto.jsonl')
    writeFileSync(
      jsonl,
      '{"__proto__":1,"constructor":"__proto__","toString":"x"}\n{"__proto__":2,"constructor":"valueOf","toString":"y"}\n',
    )
    for (const file of [csv, jsonl]) {
      const inspected = JSON.parse((await runGoldgen(['inspect', file, '--json'])).stdout)
      expect(inspected.columns.map((c: { name: string }) => c.name)).toEqual([
        '__proto__',
        'constructor',
        'toString',
      ])
      expect(inspected.head[0]).toEqual(
        JSON.parse('{"__proto__":1,"constructor":"__proto__","toString":"x"}'),
      )
      const inferred = await runGoldgen(['infer', file])
      expect(inferred.code).toBe(2)
      expect(inferred.stderr).toContain(`the schema inferred from ${file}`)
      expect(inferred.stderr).toMatch(/columns\.__proto__: "__proto__" cannot be a name/)
    }
  })
})

describe('HTTP publish of a schema with __proto__', () => {
  let registry: Registry
  let token: string
  beforeAll(async () => {
    registry = await openRegistry({ dir: join(dir, 'reg') })
    token = (await registry.createToken('write', 'names')).token
  })
  afterAll(() => registry.close())

  it('is refused with the reason (422 problem), and constructor/toString work', async () => {
    const app = createApp(registry)
    const post = (body: string) =>
      app.request('/v1/datasets/names/versions?rows=5', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      })
    const refused = await post(schemaText(['__proto__', 'constructor'], ['a'], false))
    expect(refused.status).toBe(422)
    expect(refused.headers.get('content-type')).toBe('application/problem+json')
    expect(await refused.text()).toContain('__proto__')
    const ok = await post(schemaText(['constructor', 'toString'], ['hasOwnProperty', 'valueOf'], true))
    expect(ok.status, await ok.clone().text()).toBe(201)
    const shown = await registry.show('names@1')
    expect(Object.keys(shown.manifest.columns)).toEqual(['constructor', 'toString'])
  })
})
