/**
 * Scale: worker threads give the same bytes for every N; `--shard i/N` parts are whole blocks
 * and, concatenated, the single-machine output row for row; `--shards N -o DIR/` is a folder
 * that DuckDB reads as one dataset, with one manifest listing every part's digest.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { shardRange, shardStarts } from '../src/api/shard-range.ts'
import { progressLine } from '../src/cli/progress.ts'
import { BLOCK_ROWS } from '../src/core/random.ts'
import { pieces } from '../src/engine/parallel.ts'
import { cli, goldgen, ROOT, tempDir } from './helpers.ts'

const dir = tempDir()
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const EDGE = join(ROOT, 'test/fixtures/parquet-edge.yaml')

describe('shard ranges', () => {
  it('cut any dataset into contiguous whole-block parts that cover it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.integer({ min: 1, max: 64 }),
        (total, count) => {
          let at = 0
          for (let index = 0; index < count; index++) {
            const { start, end } = shardRange(total, { index, count })
            expect(start).toBe(at)
            expect(end).toBeGreaterThanOrEqual(start)
            expect(start % BLOCK_ROWS === 0 || start === total).toBe(true)
            expect(end % BLOCK_ROWS === 0 || end === total).toBe(true)
            at = end
          }
          expect(at).toBe(total)
          expect(shardStarts(total, count)).toHaveLength(count)
        },
      ),
    )
  })

  it('worker pieces are cut at block edges of the full dataset and at every part start', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300_000 }),
        fc.integer({ min: 1, max: 400_000 }),
        fc.array(fc.integer({ min: 0, max: 400_000 }), { maxLength: 4 }),
        (offset, rows, cuts) => {
          const got = pieces(offset, rows, BLOCK_ROWS, cuts, true)
          let at = 0
          for (const p of got) {
            expect(p.start).toBe(at)
            expect(p.length).toBeGreaterThan(0)
            // No piece crosses a block edge (so each block is made once, by one worker).
            const first = Math.floor((offset + p.start) / BLOCK_ROWS)
            const last = Math.floor((offset + p.start + p.length - 1) / BLOCK_ROWS)
            expect(last).toBe(first)
            at += p.length
          }
          expect(at).toBe(rows)
          for (const c of cuts) if (c > 0 && c < rows) expect(got.some((p) => p.start === c)).toBe(true)
        },
      ),
    )
  })
})

describe('--workers N', () => {
  it('gives byte-identical output and manifests for every N (columns with missing values and edge cases)', async () => {
    const source = goldgen.loadSchema(EDGE)
    // A slice across three blocks of a larger dataset: pieces of uneven length, edge cases laid over the total.
    const run = { offset: 60_000, rows: 80_000, total: 200_000 }
    for (const [format, counts] of [
      ['csv', [1, 2, 3]],
      ['parquet', [1, 2]],
    ] as const) {
      const runs = []
      for (const workers of counts)
        runs.push(await goldgen.generateBuffer(source, { ...run, format, workers }))
      const [one, ...rest] = runs
      for (const r of rest) {
        expect(sha256(r.bytes)).toBe(sha256(one!.bytes))
        expect(r.manifest).toEqual(one!.manifest)
      }
    }
  })
})

describe('--shard i/N and --shards N', async () => {
  const schema = EDGE
  const rows = '140000'
  const single = join(dir, 'single.csv')
  const made = cli(['generate', schema, '--rows', rows, '-o', single, '--workers', '2'])

  it('parts concatenated are the single-machine output, row for row', () => {
    expect(made.code, made.stderr).toBe(0)
    const body = (file: string) => readFileSync(file, 'utf8').split('\r\n').slice(1).join('\r\n')
    let joined = ''
    for (let i = 0; i < 3; i++) {
      const out = join(dir, `shard-${i}.csv`)
      const r = cli(['generate', schema, '--rows', rows, '--shard', `${i}/3`, '-o', out, '--workers', '1'])
      expect(r.code, r.stderr).toBe(0)
      const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'))
      expect(manifest).toMatchObject({ shard: { index: i, count: 3 }, total: 140_000 })
      expect(manifest.offset).toBe(i * BLOCK_ROWS)
      joined += body(out).replace(/\r\n$/, '') + (i < 2 ? '\r\n' : '')
    }
    expect(joined).toBe(body(single).replace(/\r\n$/, ''))
  })

  it('a folder of parts is one dataset to DuckDB, with a manifest listing every digest', async () => {
    const out = join(dir, 'parts')
    const r = cli(['generate', schema, '--rows', rows, '--shards', '4', '-o', `${out}/`])
    expect(r.code, r.stderr).toBe(0)
    expect(readdirSync(out).sort()).toEqual([
      '_manifest.json',
      'part-00000.parquet',
      'part-00001.parquet',
      'part-00002.parquet',
      'part-00003.parquet',
    ])
    const manifest = JSON.parse(readFileSync(join(out, '_manifest.json'), 'utf8'))
    expect(manifest.shards).toBe(4)
    expect(manifest.rows).toBe(140_000)
    for (const f of manifest.files) expect(f.sha256).toBe(sha256(readFileSync(join(out, f.path))))
    const db = await (await DuckDBInstance.create(':memory:')).connect()
    const q = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJS()
    const parts = `read_parquet('${out}/*.parquet')`
    const csv = `read_csv('${single}', header = true, nullstr = '', types = {'x': 'DOUBLE', 'd': 'DATE'})`
    expect(await q(`select count(*) as n from ${parts}`)).toEqual([{ n: 140_000n }])
    const cols = 'id, n, c, d, s, ok, x::varchar as x'
    const missing = await q(
      `select count(*) as n from (select ${cols} from ${csv} except select ${cols} from ${parts})`,
    )
    expect(missing).toEqual([{ n: 0n }])
    expect(await q(`select min(id) as lo, max(id) as hi from ${parts}`)).toEqual([{ lo: 1n, hi: 140_000n }])
  })

  it('bad shard flags are usage errors (exit 2) that say what was expected', () => {
    const bad = [
      ['--shard', '3/3', '-o', join(dir, 'x.csv')],
      ['--shard', 'one/2', '-o', join(dir, 'x.csv')],
      ['--shard', '0/2', '--offset', '5', '-o', join(dir, 'x.csv')],
      ['--shards', '2', '-o', '-'],
    ]
    for (const args of bad) {
      const r = cli(['generate', schema, '--rows', '100', ...args])
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toMatch(/--shard/)
    }
  })
})

describe('the progress bar', () => {
  it('shows rows/s and an ETA', () => {
    const line = progressLine('generating', 250_000, 1_000_000, 5)
    expect(line).toContain('25%')
    expect(line).toContain('50,000 rows/s')
    expect(line).toContain('ETA 15s')
  })
})
