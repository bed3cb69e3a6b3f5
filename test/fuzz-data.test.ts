/**
 * The hostile data-file corpus (test/fuzz/data/): files that once became a version with 0 rows
 * and 0 columns. Publishing each is refused — exit 2 naming the file through the CLI, a 400 (or
 * 422 for what does not parse) problem through HTTP, with nothing stored and the server still
 * answering. A header-only CSV is not hostile: it is a version with its columns and 0 rows.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, type Registry } from '../registry/service.ts'
import { createApp } from '../src/server/app.ts'
import { serverLog } from '../src/server/log.ts'
import { runGoldgen, tempDir } from './helpers.ts'

const CORPUS = join(import.meta.dirname, 'fuzz/data')
const files = readdirSync(CORPUS).sort()
const dir = tempDir()
const registryDir = join(dir, 'reg')
const SECONDS = 15_000
const mediaType: Record<string, string> = {
  '.csv': 'text/csv',
  '.jsonl': 'application/x-ndjson',
  '.arrow': 'application/vnd.apache.arrow.stream',
  '.json': 'application/x-ndjson',
}
/** The files that read as data with no column: refused as such (the others do not parse). */
const columnless = [
  'blank-lines.csv',
  'blank-lines.jsonl',
  'crlf-only.csv',
  'empty-objects.jsonl',
  'empty.csv',
  'empty.jsonl',
  'spaces.jsonl',
]

describe('publishing a data file without columns through the CLI', () => {
  for (const name of files) {
    it(`publish ${name}`, { timeout: SECONDS }, async () => {
      const file = join(CORPUS, name)
      const r = await runGoldgen(['publish', file, '-d', 'empty', '--registry', registryDir])
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toContain(file)
      expect(r.stderr).not.toMatch(/\n\s+at \S+ \(|internal error|This is a bug/)
      if (columnless.includes(name)) expect(r.stderr).toMatch(/has no columns/)
    })
  }
  it('stored nothing', async () => {
    const r = await runGoldgen(['list', '--registry', registryDir])
    expect(r.stdout).not.toMatch(/empty/)
  })
  it('a header-only CSV is a version with its columns and 0 rows', async () => {
    const file = join(dir, 'header.csv')
    writeFileSync(file, 'id,label\r\n')
    const r = await runGoldgen(['publish', file, '-d', 'header', '--registry', registryDir])
    expect(r.code, r.stderr).toBe(0)
    const shown = await runGoldgen(['show', 'header@1', '--json', '--registry', registryDir])
    const manifest = JSON.parse(shown.stdout).manifest
    expect(manifest.rows).toBe(0)
    expect(Object.keys(manifest.columns)).toEqual(['id', 'label'])
  })
})

describe('publishing a data file without columns through HTTP', () => {
  let registry: Registry
  let app: ReturnType<typeof createApp>
  let writer: string
  const logged: string[] = []
  const write = serverLog.write
  beforeAll(async () => {
    serverLog.write = (line) => void logged.push(line)
    registry = await openRegistry({ dir: join(dir, 'reg-http') })
    writer = (await registry.createToken('write', 'fuzz')).token
    app = createApp(registry)
  })
  afterAll(() => {
    serverLog.write = write
    registry.close()
  })

  for (const name of files) {
    it(`POST ${name}`, { timeout: SECONDS }, async () => {
      const r = await app.request('/v1/datasets/empty/versions', {
        method: 'POST',
        headers: { authorization: `Bearer ${writer}`, 'content-type': mediaType[extname(name)]! },
        body: readFileSync(join(CORPUS, name)),
      })
      const text = await r.clone().text()
      expect(r.headers.get('content-type')).toBe('application/problem+json')
      if (columnless.includes(name)) {
        expect(r.status, text).toBe(400)
        expect(((await r.json()) as { detail: string }).detail).toMatch(/^the request body has no columns/)
      } else {
        expect(r.status, text).toBeGreaterThanOrEqual(400)
        expect(r.status, text).toBeLessThan(500)
      }
      expect(text).not.toMatch(/\/tmp\/|objects\/tmp|\n\s+at /)
      expect((await app.request('/healthz')).status).toBe(200)
      expect(logged).toEqual([])
    })
  }
  it('stored nothing', async () => {
    expect((await app.request('/v1/datasets/empty/versions/1')).status).toBe(404)
  })
})
