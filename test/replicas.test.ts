/**
 * Stateless replicas on one PostgreSQL database and one S3 bucket (real servers on loopback,
 * test/servers/): two `goldgen serve` processes; publishes through either; concurrent publishes
 * of one dataset from both get distinct consecutive versions; both serve every version with the
 * same ETag; one killed mid-request leaves nothing half-written. Also `goldgen registry copy` from
 * a local registry into PostgreSQL + S3, and the errors for a registry that cannot be reached.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry } from '../registry/service.ts'
import { BIN, runGoldgen, tempDir } from './helpers.ts'
import { type PostgresServer, startPostgres } from './servers/postgres.ts'
import { type S3Server, startS3 } from './servers/s3.ts'

const root = tempDir()
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex')
const csv = (n: number) => `id,label\r\n${n},row ${n}\r\n${n + 1},next ${n}\r\n`

let pg: PostgresServer
let s3: S3Server
let url: string
const blobsUrl = () => `s3://${s3.bucket}/replicas`
let token: string
const replicas: Replica[] = []

/** Starts `goldgen serve` on the shared stores, with a cache folder of its own. */
interface Replica {
  proc: ChildProcess
  base: string
  /** Everything the replica wrote to stderr (its log), for the messages of failed checks. */
  log: () => string
}

/** Both replicas' logs, for a failed check's message. */
const logs = () => replicas.map((r, i) => `replica ${i} (${r.base}):\n${r.log()}`).join('\n')

async function startReplica(): Promise<Replica> {
  const proc = spawn(
    process.execPath,
    [BIN, 'serve', '--registry', url, '--blobs', blobsUrl(), '--port', '0'],
    {
      env: { ...process.env, ...s3.env, GOLDGEN_CACHE: mkdtempSync(join(root, 'cache-')) },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let err = ''
  const base = await new Promise<string>((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString()
      const m = /at (http:\/\/\S+)/.exec(err)
      if (m) resolve(m[1]!)
    })
    proc.once('exit', (code) => reject(new Error(`goldgen serve exited (${code}) before listening: ${err}`)))
  })
  const replica = { proc, base, log: () => err }
  replicas.push(replica)
  return replica
}

beforeAll(async () => {
  pg = await startPostgres()
  s3 = await startS3()
  Object.assign(process.env, s3.env)
  url = await pg.createDatabase('replicas')
  const registry = await openRegistry({ dir: url, blobsAt: blobsUrl() })
  token = (await registry.createToken('write', 'ci')).token
  registry.close()
  await Promise.all([startReplica(), startReplica()])
}, 60_000)

afterAll(async () => {
  for (const r of replicas) r.proc.kill('SIGKILL')
  await s3?.stop()
  pg?.stop()
})

const publish = (base: string, body: string | Uint8Array) =>
  fetch(`${base}/v1/datasets/shared/versions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body,
  })

describe('two goldgen serve replicas on one PostgreSQL database and one bucket', () => {
  it('number concurrent publishes from both consecutively, without duplicates, and serve every version alike', async () => {
    const [a, b] = replicas
    expect((await publish(a!.base, csv(0))).status).toBe(201)
    expect((await publish(b!.base, csv(10))).status).toBe(201)
    const bodies = Array.from({ length: 10 }, (_, i) => csv(100 + i * 10))
    const responses = await Promise.all([
      ...bodies.map((body, i) => publish((i % 2 ? a : b)!.base, body)),
      publish(a!.base, csv(999)),
      publish(b!.base, csv(999)),
    ])
    const json = await Promise.all(responses.map((r) => r.json() as Promise<{ version: number }>))
    expect(responses.map((r) => r.status).slice(0, 10), logs()).toEqual(Array(10).fill(201))
    expect(
      responses
        .slice(-2)
        .map((r) => r.status)
        .sort(),
      logs(),
    ).toEqual([200, 201])
    expect(json.at(-1)!.version).toBe(json.at(-2)!.version)
    const numbers = [1, 2, ...json.slice(0, 11).map((j) => j.version)].sort((x, y) => x - y)
    expect(numbers).toEqual(Array.from({ length: 13 }, (_, i) => i + 1))
    for (let n = 1; n <= 13; n++) {
      const [ra, rb] = await Promise.all(
        [a, b].map((r) => fetch(`${r!.base}/v1/datasets/shared/versions/${n}/data`)),
      )
      expect([ra!.status, rb!.status], logs()).toEqual([200, 200])
      expect(ra!.headers.get('etag')).toBe(rb!.headers.get('etag'))
      const [da, db] = [Buffer.from(await ra!.arrayBuffer()), Buffer.from(await rb!.arrayBuffer())]
      expect(da.equals(db)).toBe(true)
      expect(ra!.headers.get('etag')).toContain(sha(da))
    }
  })

  it('leave nothing half-written when one is killed mid-request', async () => {
    const victim = await startReplica()
    const survivor = replicas[0]!
    const before = (await (await fetch(`${survivor.base}/v1/datasets/shared/versions`)).json()) as unknown[]
    const big = Buffer.from(Array.from({ length: 200_000 }, (_, i) => `${i},label ${i % 97}\r\n`).join(''))
    const body = Buffer.concat([Buffer.from('id,label\r\n'), big])
    const sending = publish(victim.base, body).catch((e: unknown) => e)
    await new Promise((r) => setTimeout(r, 150))
    victim.proc.kill('SIGKILL')
    await sending
    const after = (await (await fetch(`${survivor.base}/v1/datasets/shared/versions`)).json()) as unknown[]
    // Either the version is there whole, or nothing of it is.
    expect(after.length - before.length).toBeLessThanOrEqual(1)
    const registry = await openRegistry({ dir: url, blobsAt: blobsUrl() })
    try {
      expect(await registry.integrityCheck()).toBe('ok')
      for (const v of await registry.verify('all')) expect(v).toMatchObject({ ok: true })
      if (after.length > before.length) {
        const r = await fetch(`${survivor.base}/v1/datasets/shared/versions/${after.length}/data`)
        expect(sha(Buffer.from(await r.arrayBuffer()))).toBe(sha(body))
      }
    } finally {
      registry.close()
    }
  })
})

describe('goldgen registry copy and reaching remote stores', () => {
  it('copies a local registry with its history into PostgreSQL + S3, every digest checked', async () => {
    const dir = mkdtempSync(join(root, 'local-'))
    const local = await openRegistry({ dir })
    for (const n of [1, 2, 3]) {
      const f = join(dir, `in${n}.csv`)
      writeFileSync(f, csv(n * 1000))
      await local.publishFile(f, { dataset: 'moved' })
    }
    await local.alias('moved@1', 'prod')
    await local.alias('moved@3', 'prod')
    const versions = await local.versions('moved')
    local.close()
    const target = await pg.createDatabase('copied')
    const args = ['registry', 'copy', '--from', dir, '--to', target, '--blobs', `s3://${s3.bucket}/copied`]
    const run = await runGoldgen(args)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/copied 3 versions of 1 dataset, 2 alias moves/)
    const copied = await openRegistry({ dir: target, blobsAt: `s3://${s3.bucket}/copied` })
    try {
      const got = await copied.versions('moved')
      expect(got.map((v) => [v.version, v.sha256, v.createdAt])).toEqual(
        versions.map((v) => [v.version, v.sha256, v.createdAt]),
      )
      expect((await copied.history('moved')).map((m) => [m.from, m.to])).toEqual([
        [null, 1],
        [1, 3],
      ])
      for (const v of await copied.verify('all')) expect(v.ok).toBe(true)
    } finally {
      copied.close()
    }
    // Copying again adds nothing and changes nothing.
    const again = await runGoldgen(args)
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/copied 3 versions of 1 dataset, 0 alias moves/)
  })

  it('names the URL without its password when the database cannot be reached (exit 1)', async () => {
    const bad = `postgres://ann:hunter2-secret@127.0.0.1:${pg.port + 7}/gone`
    const run = await runGoldgen(['list', '--registry', bad, '--blobs', blobsUrl()])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`postgres://ann@127.0.0.1:${pg.port + 7}/gone`)
    expect(run.stderr).not.toContain('hunter2-secret')
    const other = await runGoldgen(['list', '--registry', 'mysql://ann:pw@db/x'])
    expect(other.code).toBe(2)
    expect(other.stderr).toContain('expected a folder or postgres://')
    expect(other.stderr).not.toContain(':pw@')
    const noBlobs = await runGoldgen(['list', '--registry', url])
    expect(noBlobs.code).toBe(2)
    expect(noBlobs.stderr).toContain('--blobs s3://bucket/prefix')
  })
})
