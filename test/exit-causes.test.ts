/**
 * Exit codes for the machine's failures, through the built CLI (real processes, real pipes):
 * a port already in use and a full disk are runtime failures (exit 1) whose message names the
 * address or the path and the cause — never exit 70, which is for goldgen's own bugs — and a
 * reader that closes standard output early (`| head -1`) ends the run quietly with exit 0.
 */
import { spawnSync } from 'node:child_process'
import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fsBlobStore } from '../registry/fs/blobs.ts'
import { openRegistry } from '../registry/service.ts'
import { exitCodes, formatError, toGoldgenError } from '../src/core/errors.ts'
import { BIN, EXAMPLES, ROOT, tempDir } from './helpers.ts'

const dir = tempDir()
const SCHEMA = join(EXAMPLES, 'churn.yaml')

function run(args: string[], timeout = 30_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, GOLDGEN_DEBUG: '' },
    timeout,
    maxBuffer: 1 << 28,
  })
  return { code: r.status, signal: r.signal, stderr: r.stderr.toString('utf8') }
}

describe('a port already in use', () => {
  let taken: Server
  let port: number
  beforeAll(async () => {
    taken = createServer()
    await new Promise<void>((resolve, reject) => {
      taken.once('error', reject)
      taken.listen(0, '127.0.0.1', () => resolve())
    })
    port = (taken.address() as { port: number }).port
  })
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())))

  it('is exit 1 with a message naming the address, not exit 70', () => {
    const r = run(['serve', '--registry', join(dir, 'reg'), '--host', '127.0.0.1', '--port', String(port)])
    expect(r.signal, r.stderr).toBeNull()
    expect(r.code, r.stderr).toBe(1)
    expect(r.stderr).toContain(`127.0.0.1:${port}`)
    expect(r.stderr).toMatch(/already in use/)
    expect(r.stderr).not.toMatch(/internal error|This is a bug/)
  })
})

describe('a full disk', () => {
  beforeAll(() => {
    // The tests write to the kernel's full device; a regular file in its place would not fail.
    if (!statSync('/dev/full').isCharacterDevice())
      throw new Error('/dev/full is not the kernel full device (restore it: mknod -m 666 /dev/full c 1 7)')
  })
  const expectDiskFull = (r: { code: number | null; stderr: string }, path: string) => {
    expect(r.code, r.stderr).toBe(1)
    expect(r.stderr).toContain(path)
    expect(r.stderr).toMatch(/disk full/)
    expect(r.stderr).not.toMatch(/internal error|This is a bug|\n\s+at /)
  }

  it('generate -o /dev/full: exit 1 naming the path and "disk full"', () => {
    expectDiskFull(run(['generate', SCHEMA, '-n', '2000', '-o', '/dev/full', '--format', 'csv']), '/dev/full')
  })

  it('fetch -o /dev/full: exit 1 naming the path and "disk full"', () => {
    const reg = join(dir, 'reg-fetch')
    expect(run(['publish', SCHEMA, '-d', 'churn', '-n', '500', '--registry', reg]).code).toBe(0)
    expectDiskFull(
      run(['fetch', 'churn@1', '-o', '/dev/full', '--format', 'csv', '--registry', reg]),
      '/dev/full',
    )
  })

  it('publish into a blob store whose disk is full: an IO error (exit 1) naming the path', async () => {
    // A store whose disk is full: it writes its copy to /dev/full, which always fails with a real
    // ENOSPC, and lets the error through as it comes (as a store that does not wrap it would).
    const root = join(dir, 'full-objects')
    const store = fsBlobStore(root)
    const toFullDisk = (bytes: Uint8Array) => {
      const fd = openSync('/dev/full', 'w')
      try {
        writeSync(fd, bytes)
      } finally {
        closeSync(fd)
      }
    }
    const full = {
      ...store,
      async putFile(path: string) {
        toFullDisk(readFileSync(path))
        return store.putFile(path)
      },
      async putBytes(data: Uint8Array | string) {
        toFullDisk(Buffer.from(data))
        return store.putBytes(data)
      },
    }
    const registry = await openRegistry({ dir: join(dir, 'reg-full'), blobs: full })
    try {
      const csv = join(dir, 'small.csv')
      writeFileSync(csv, 'a,b\n1,2\n')
      const error = await registry.publishFile(csv, { dataset: 'small' }).then(
        () => undefined,
        (e: unknown) => toGoldgenError(e),
      )
      expect(error).toBeDefined()
      expect(exitCodes[error!.code]).toBe(1)
      expect(formatError(error!)).toBe(
        `cannot store small into the registry at ${join(dir, 'reg-full')}: disk full (no space left on the device)`,
      )
    } finally {
      registry.close()
    }
  })

  it('the staged blob write names its path and "disk full" (EDQUOT too)', async () => {
    const { writeFailure } = await import('../src/core/errors.ts')
    for (const code of ['ENOSPC', 'EDQUOT']) {
      const e = writeFailure('/r/objects/tmp/x', Object.assign(new Error(code), { code }))
      expect(exitCodes[e.code]).toBe(1)
      expect(e.message).toMatch(/^cannot write \/r\/objects\/tmp\/x: disk full/)
    }
  })
})

describe('a reader that closes standard output early', () => {
  it('generate -o - | head -1 ends quietly with exit 0', () => {
    // Enough rows that the output outgrows the pipe's buffer after head has gone.
    const r = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${BIN}" generate "${SCHEMA}" -n 20000 -o - --format csv | head -1`,
      ],
      { cwd: ROOT, env: { ...process.env, GOLDGEN_DEBUG: '' }, timeout: 60_000 },
    )
    const stderr = r.stderr.toString('utf8')
    expect(r.stdout.toString('utf8').split('\n')[0]).toMatch(/,/)
    expect(stderr).toBe('')
    expect(r.status, stderr).toBe(0)
  })
})
