/**
 * Golden snapshots pin the algorithm: the hashes and first rows of every example schema at fixed
 * seeds. If this fails, output bytes changed: bump the generator's `version` (or ALGORITHM_VERSION),
 * say so in the changelog, and only then refresh with `UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts`.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateTablesBuffers } from '../src/api/tables.ts'
import { EXAMPLES, goldgen, ROOT } from './helpers.ts'

const GOLDEN = join(ROOT, 'test/golden/examples.json')
const FORMATS = ['arrow', 'arrow-file', 'csv', 'jsonl'] as const

interface Golden {
  schemaSha256: string
  rows: number
  seed: number
  sha256: Record<string, string>
  firstRows: string[]
}

/** A `tables` schema: every table's bytes per format, and each table's first rows. */
async function computeTables(source: ReturnType<typeof goldgen.loadSchema>): Promise<Golden> {
  const sha256: Record<string, string> = {}
  const firstRows: string[] = []
  let manifest: Awaited<ReturnType<typeof generateTablesBuffers>>['manifest'] | undefined
  for (const format of FORMATS) {
    const result = await generateTablesBuffers(source, { format })
    for (const [table, bytes] of Object.entries(result.tables)) {
      sha256[`${table}.${format}`] = createHash('sha256').update(bytes).digest('hex')
      if (format === 'jsonl') firstRows.push(...Buffer.from(bytes).toString('utf8').split('\n').slice(0, 2))
    }
    manifest = result.manifest
  }
  const rows = Object.values(manifest!.tables).reduce((n, t) => n + t.rows, 0)
  return { schemaSha256: manifest!.schemaSha256, rows, seed: manifest!.seed, sha256, firstRows }
}

async function compute(file: string): Promise<Golden> {
  const source = goldgen.loadSchema(join(EXAMPLES, file))
  if (source.def.tables !== undefined) return computeTables(source)
  const sha256: Record<string, string> = {}
  let firstRows: string[] = []
  let manifest: Awaited<ReturnType<typeof goldgen.generateBuffer>>['manifest'] | undefined
  for (const format of FORMATS) {
    const result = await goldgen.generateBuffer(source, { format })
    sha256[format] = createHash('sha256').update(result.bytes).digest('hex')
    if (format === 'jsonl') firstRows = Buffer.from(result.bytes).toString('utf8').split('\n').slice(0, 3)
    manifest = result.manifest
  }
  return {
    schemaSha256: manifest!.schemaSha256,
    rows: manifest!.rows,
    seed: manifest!.seed,
    sha256,
    firstRows,
  }
}

describe('golden output of the example schemas', async () => {
  const files = readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
  if (process.env.UPDATE_GOLDEN === '1') {
    const fresh: Record<string, Golden> = {}
    for (const f of files) fresh[f] = await compute(f)
    writeFileSync(GOLDEN, `${JSON.stringify(fresh, null, 2)}\n`)
  }
  const stored = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Golden>
  it('has a golden entry for every example', () => {
    expect(Object.keys(stored).sort()).toEqual(files)
  })
  for (const file of files) {
    it(`${file} still produces the pinned bytes`, async () => {
      const golden = stored[file]
      expect(golden, `no golden entry for ${file}`).toBeDefined()
      const now = await compute(file)
      expect(now.firstRows).toEqual(golden!.firstRows)
      expect(now).toEqual(golden)
    })
  }
})
