/**
 * JSON Schema import: conformance over the shared corpus (every generated record validates with
 * ajv, for the draft its `$schema` names), Arrow shapes, and errors for bad input.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv07 from 'ajv'
import Ajv2019 from 'ajv/dist/2019.js'
import Ajv2020 from 'ajv/dist/2020.js'
import AjvDraft04 from 'ajv-draft-04'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { planDataset } from '../src/engine/plan.ts'
import { generateInto } from '../src/generate.ts'
import { importJsonSchema, importJsonSchemaFile } from '../src/jsonschema/import.ts'
import { memorySink } from '../src/sink.ts'

export const CORPUS = join(import.meta.dirname, '../../shared/corpus/jsonschema')
const corpusFiles = readdirSync(CORPUS).filter((f) => f.endsWith('.json'))

/** An independent validator for a draft (not goldgen's own instance). */
export function validatorFor(schema: Record<string, unknown>) {
  const uri = String(schema.$schema ?? 'https://json-schema.org/draft/2020-12/schema')
  const Ajv = (uri.includes('draft-04')
    ? AjvDraft04
    : uri.includes('2019-09')
      ? Ajv2019
      : uri.includes('2020-12')
        ? Ajv2020
        : Ajv07) as unknown as new (
    o: object,
  ) => import('ajv').default
  const ajv = new Ajv({ strict: false, allErrors: true, ownProperties: true })
  ;(addFormats as unknown as (a: object) => void)(ajv)
  return ajv.compile(schema)
}

export async function jsonlOf(
  def: Parameters<typeof planDataset>[0],
  rows: number,
  seed = 1,
): Promise<string> {
  const sink = memorySink()
  await generateInto(planDataset(def, { rows, seed }), 'jsonl', sink, 'out.jsonl')
  return new TextDecoder().decode(sink.contents())
}

describe('JSON Schema corpus conformance', () => {
  it('finds the corpus', () => {
    expect(corpusFiles.length).toBeGreaterThanOrEqual(23)
  })
  for (const file of corpusFiles) {
    it(`${file}: every generated record validates`, async () => {
      const path = join(CORPUS, file)
      const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
      const { def } = importJsonSchemaFile(path)
      const lines = (await jsonlOf(def, 300)).trimEnd().split('\n')
      expect(lines).toHaveLength(300)
      const validate = validatorFor(schema)
      const bad = lines.filter((l) => !validate(JSON.parse(l)))
      expect(bad.slice(0, 3), JSON.stringify(validate.errors)).toEqual([])
    })
  }
})
