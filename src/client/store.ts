/**
 * The client's local state: the lock file that pins references to digests (`goldgen.lock`,
 * entries sorted, written atomically) and the content-addressed cache (`cacheDir/objects/<sha256>`,
 * entries checked against their name on every read).
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export interface LockEntry {
  url: string
  sha256: string
  mediaType: string
}

export interface LockFile {
  lockVersion: 1
  entries: Record<string, LockEntry>
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

/** Writes a file through a temporary name and a rename, so readers never see half of it. */
export function writeAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`
  writeFileSync(tmp, data)
  renameSync(tmp, path)
}

/** The lock file and cache of a client (either may be absent: then pinning and caching do nothing). */
export function localStore(options: { lockFile?: string | undefined; cacheDir?: string | undefined }) {
  const readLock = (): LockFile => {
    if (options.lockFile === undefined || !existsSync(options.lockFile))
      return { lockVersion: 1, entries: {} }
    return JSON.parse(readFileSync(options.lockFile, 'utf8')) as LockFile
  }
  /** Pins `key` to `entry`, or unpins it (undefined). */
  const pin = (key: string, entry: LockEntry | undefined) => {
    if (options.lockFile === undefined) return
    const lock = readLock()
    if (entry === undefined) delete lock.entries[key]
    else lock.entries[key] = entry
    const sorted = Object.fromEntries(Object.entries(lock.entries).sort(([a], [b]) => (a < b ? -1 : 1)))
    writeAtomic(options.lockFile, `${JSON.stringify({ lockVersion: 1, entries: sorted }, null, 2)}\n`)
  }
  const cachePath = (digest: string) =>
    options.cacheDir === undefined ? undefined : join(options.cacheDir, 'objects', digest)
  const fromCache = (digest: string): Uint8Array | undefined => {
    const path = cachePath(digest)
    if (path === undefined || !existsSync(path)) return undefined
    const bytes = readFileSync(path)
    // A cached file that no longer matches its name is ignored (and replaced on the next download).
    return sha256(bytes) === digest ? bytes : undefined
  }
  return { readLock, pin, cachePath, fromCache, writeAtomic }
}
