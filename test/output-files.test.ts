/**
 * Output files are never half-written or mismatched: `-o` onto a device or FIFO writes into it
 * (never renames over it), `--manifest` takes absolute paths, a failed manifest leaves no data,
 * `-o -` with negative rows fails before writing, and an interrupted run leaves no temporary file.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN, EXAMPLES, runGoldgen, tempDir } from './helpers.ts'

const dir = tempDir()
const churn = join(EXAMPLES, 'churn.yaml')

describe('-o onto files that are not regular files', () => {
  it('writes into a character device without replacing it', async () => {
    const node = join(dir, 'null')
    const made = spawnSync('mknod', [node, 'c', '1', '3'])
    expect(made.status, made.stderr.toString()).toBe(0)
    const r = await runGoldgen([
      'generate',
      churn,
      '--rows',
      '50',
      '-o',
      node,
      '--no-manifest',
      '--format',
      'csv',
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(statSync(node).isCharacterDevice()).toBe(true)
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-') || f.includes('.staged-'))).toEqual([])
  })

  it('writes into a FIFO that a reader drains', async () => {
    const fifo = join(dir, 'pipe')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const reader = spawn('sh', ['-c', `cat "${fifo}" > "${join(dir, 'drained.csv')}"`])
    const done = new Promise((ok) => reader.on('exit', ok))
    const r = await runGoldgen([
      'generate',
      churn,
      '--rows',
      '50',
      '-o',
      fifo,
      '--no-manifest',
      '--format',
      'csv',
    ])
    await done
    expect(r.code, r.stderr).toBe(0)
    expect(statSync(fifo).isFIFO()).toBe(true)
    expect(readFileSync(join(dir, 'drained.csv'), 'utf8').split('\n').length).toBeGreaterThan(50)
  })
})

describe('data and manifest', () => {
  it('--manifest with an absolute path is written there', async () => {
    const work = join(dir, 'work')
    mkdirSync(work)
    const manifest = join(dir, 'abs', 'm.json')
    mkdirSync(join(dir, 'abs'))
    const r = await runGoldgen(['generate', churn, '--rows', '20', '-o', 'out.csv', '--manifest', manifest], {
      cwd: work,
    })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(readFileSync(manifest, 'utf8')).rows).toBe(20)
    expect(existsSync(join(work, dir.slice(1)))).toBe(false)
  })

  it('a manifest that cannot be written leaves no data file either', async () => {
    const out = join(dir, 'lonely.csv')
    const r = await runGoldgen([
      'generate',
      churn,
      '--rows',
      '20',
      '-o',
      out,
      '--manifest',
      join(dir, 'no', 'm.json'),
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(join(dir, 'no'))
    expect(existsSync(out)).toBe(false)
    expect(readdirSync(dir).filter((f) => f.includes('lonely'))).toEqual([])
  })

  it('-o - with negative rows in the schema fails before writing any data', async () => {
    const schema = join(dir, 'neg.yaml')
    writeFileSync(schema, `${readFileSync(churn, 'utf8')}\nnegative: 5\n`)
    const r = await runGoldgen(['generate', schema, '--rows', '20', '-o', '-'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--negative-out/)
    expect(r.stdout).toBe('')
  })
})

describe('an interrupted run', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`leaves no temporary file on ${signal}`, async () => {
      const folder = join(dir, `sig-${signal}`)
      mkdirSync(folder)
      const child = spawn(process.execPath, [
        BIN,
        'generate',
        churn,
        '--rows',
        '50000000',
        '-o',
        join(folder, 'big.csv'),
      ])
      const exited = new Promise<string | null>((ok) => child.on('exit', (_code, sig) => ok(sig)))
      // Wait until the run has started writing, then interrupt it.
      for (let i = 0; i < 400 && readdirSync(folder).length === 0; i++)
        await new Promise((ok) => setTimeout(ok, 25))
      expect(readdirSync(folder).length).toBeGreaterThan(0)
      child.kill(signal)
      expect(await exited).toBe(signal)
      expect(readdirSync(folder)).toEqual([])
    })
  }
})
