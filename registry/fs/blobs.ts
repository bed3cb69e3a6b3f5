/**
 * Content-addressed blob storage. Blobs are written to a temporary file, fsynced, then renamed to
 * `objects/ab/cdef…` (their SHA-256), so a blob either exists whole or not at all; every read
 * checks the content against its name first, and a mismatch is an INTEGRITY error, never data.
 */
import { createHash } from 'node:crypto'
import {
  closeSync,
  createReadStream,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { GoldgenError, writeFailure } from '../../src/core/errors.ts'
import { fileFingerprint } from '../../src/core/files.ts'
import type { BlobStore } from '../stores.ts'

/** Whether a process is still running (staging files are named after their writer's pid). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const DIGEST = /^[0-9a-f]{64}$/

async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer)
    bytes += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), bytes }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    fsyncSync(fd)
    closeSync(fd)
  } catch {
    // Some platforms cannot fsync a folder; the rename is still atomic.
  }
}

/** Blobs as files under `root` (the registry's `objects/` folder). */
export interface FsBlobStoreOptions {
  /** Called whenever a stored blob is hashed to verify it (for tests and metrics). */
  onVerify?: (sha256: string) => void
}

export function fsBlobStore(root: string, options: FsBlobStoreOptions = {}): BlobStore {
  const tmp = join(root, 'tmp')
  mkdirSync(tmp, { recursive: true })
  const pathOf = (sha256: string) => {
    if (!DIGEST.test(sha256)) throw new GoldgenError('INTERNAL', `not a SHA-256 digest: ${sha256}`)
    return join(root, sha256.slice(0, 2), sha256.slice(2))
  }
  const place = async (file: string) => {
    const fd = openSync(file, 'r')
    fsyncSync(fd)
    closeSync(fd)
    const digest = await hashFile(file)
    const target = pathOf(digest.sha256)
    mkdirSync(join(root, digest.sha256.slice(0, 2)), { recursive: true })
    renameSync(file, target)
    fsyncDir(join(root, digest.sha256.slice(0, 2)))
    return digest
  }
  // Verified blobs, keyed by what a change to the file would change (size, inode, mtime, ctime): a file
  // is hashed again only when one of them differs, so serving it does not hash it per request.
  const verified = new Map<string, string>()
  const fingerprint = fileFingerprint
  const check = async (sha256: string): Promise<string> => {
    const path = pathOf(sha256)
    try {
      if (verified.get(sha256) === fingerprint(path)) return path
    } catch {
      // missing: reported below
    }
    let actual: string
    let before: string
    try {
      options.onVerify?.(sha256)
      before = fingerprint(path)
      actual = (await hashFile(path)).sha256
    } catch (e) {
      throw new GoldgenError('INTEGRITY', `blob ${sha256.slice(0, 12)}… is missing from the registry`, {
        cause: e,
      })
    }
    if (actual !== sha256) {
      throw new GoldgenError(
        'INTEGRITY',
        `blob ${sha256.slice(0, 12)}… is corrupted: its content hashes to ${actual.slice(0, 12)}…; restore it from a backup or publish it again`,
      )
    }
    // Remembered only when the file did not change while it was hashed.
    if (fingerprint(path) === before) verified.set(sha256, before)
    return path
  }
  return {
    async putFile(path) {
      const staged = join(tmp, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`)
      renameSync(path, staged)
      return place(staged)
    },
    async putBytes(data) {
      const staged = join(tmp, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`)
      try {
        const fd = openSync(staged, 'w')
        try {
          writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
        } finally {
          closeSync(fd)
        }
      } catch (e) {
        rmSync(staged, { force: true })
        throw writeFailure(staged, e)
      }
      return place(staged)
    },
    async read(sha256) {
      const path = await check(sha256)
      const data = readFileSync(path)
      // Check what was read, too: the file may change between the two reads.
      if (createHash('sha256').update(data).digest('hex') !== sha256)
        throw new GoldgenError('INTEGRITY', `blob ${sha256.slice(0, 12)}… changed while it was read`)
      return data
    },
    verifiedPath: check,
    async has(sha256) {
      try {
        return statSync(pathOf(sha256)).isFile()
      } catch {
        return false
      }
    },
    async list() {
      const out: string[] = []
      for (const dir of readdirSync(root)) {
        if (!/^[0-9a-f]{2}$/.test(dir)) continue
        for (const rest of readdirSync(join(root, dir))) if (DIGEST.test(dir + rest)) out.push(dir + rest)
      }
      return out.sort()
    },
    async delete(sha256) {
      verified.delete(sha256)
      rmSync(pathOf(sha256), { force: true })
    },
    async sweep(dryRun) {
      const stale = readdirSync(tmp).filter((f) => {
        const pid = Number(f.split('-')[0])
        return !(Number.isInteger(pid) && pid > 0 && alive(pid))
      })
      if (!dryRun) for (const f of stale) rmSync(join(tmp, f), { force: true })
      return stale
    },
  }
}
