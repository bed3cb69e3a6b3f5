/**
 * Serving a representation too large to hold in memory straight from its file, for the node:http
 * fast path, without hashing the whole file on every response. When the cache resolves the file it
 * reads it once, hashes it with SHA-256 against the blob's digest and, from the same bytes, keeps a
 * CRC-32 of every 256 KiB chunk and the file's stat fingerprint (`FileCheck`). Each response then:
 *
 * - checks the fingerprint before anything is sent (a rewrite cannot keep size, inode and ctime);
 * - checks every chunk it reads against its CRC-32 before passing it on, so no changed byte
 *   is ever sent;
 * - checks the fingerprint again after the last read, before the last chunk goes out, so a change
 *   made while the response was under way (even one crafted to keep a chunk's CRC) aborts it.
 *
 * A failed check destroys the response (the client sees a truncated body, never a whole wrong
 * one) and is logged with its cause.
 */
import { createHash } from 'node:crypto'
import { closeSync, openSync, read, readSync, statSync } from 'node:fs'
import { crc32 } from 'node:zlib'
import { GoldgenError } from '../core/errors.ts'
import { fileFingerprint } from '../core/files.ts'
import { logServerError } from './log.ts'

/** Bytes per checked chunk. */
export const CHUNK_BYTES = 256 * 1024

/** What a verified file looked like, and a CRC-32 per chunk of the bytes that hashed to its digest. */
export interface FileCheck {
  path: string
  sha256: string
  size: number
  /** `fileFingerprint` of the file (size, inode, mtime and ctime in ns) when it was verified. */
  fingerprint: string
  /** The same stat as numbers, compared before each answer without allocating. */
  stat: StatNumbers
  crcs: Uint32Array
}

interface StatNumbers {
  size: number
  ino: number
  mtimeMs: number
  ctimeMs: number
}

function statNumbers(path: string): StatNumbers | undefined {
  const s = statSync(path, { throwIfNoEntry: false })
  return s === undefined ? undefined : { size: s.size, ino: s.ino, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs }
}

/**
 * Reads `path` once: its SHA-256 must be `sha256` and its fingerprint must not change while it is
 * read. Returns the check, or undefined when the file does not hold those bytes (the caller then
 * serves it the slow way, which reports the mismatch).
 */
export function scanFile(path: string, sha256: string): FileCheck | undefined {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return undefined
  }
  try {
    const before = fileFingerprint(path)
    const stat = statNumbers(path)
    const hash = createHash('sha256')
    const crcs: number[] = []
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES)
    let size = 0
    for (;;) {
      const n = readFully(fd, buffer, size)
      if (n === 0) break
      const chunk = buffer.subarray(0, n)
      hash.update(chunk)
      crcs.push(crc32(chunk))
      size += n
      if (n < CHUNK_BYTES) break
    }
    if (hash.digest('hex') !== sha256 || fileFingerprint(path) !== before) return undefined
    if (stat === undefined || stat.size !== size || !sameStat(statNumbers(path), stat)) return undefined
    return { path, sha256, size, fingerprint: before, stat, crcs: Uint32Array.from(crcs) }
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

function readFully(fd: number, buffer: Buffer, position: number): number {
  let got = 0
  while (got < buffer.length) {
    const n = readSync(fd, buffer, got, buffer.length - got, position + got)
    if (n === 0) break
    got += n
  }
  return got
}

const sameStat = (a: StatNumbers | undefined, b: StatNumbers) =>
  a !== undefined &&
  a.size === b.size &&
  a.ino === b.ino &&
  a.mtimeMs === b.mtimeMs &&
  a.ctimeMs === b.ctimeMs

/** Whether the file still looks as it did when it was checked (a stat, nothing read). */
export function stillChecked(check: FileCheck): boolean {
  try {
    return sameStat(statNumbers(check.path), check.stat)
  } catch {
    return false
  }
}

/** The part of a node:http response `sendCheckedFile` uses (a test can pass a slow stream). */
export interface BodySink {
  write(chunk: Uint8Array): boolean
  end(): void
  destroy(error?: Error): void
  once(event: 'drain' | 'close', listener: () => void): unknown
  removeListener(event: 'drain' | 'close', listener: () => void): unknown
  readonly destroyed: boolean
}

/**
 * Streams the checked file into `res` (whose headers are written), chunk by chunk, each checked
 * before it is sent; the next chunk is read while the previous one drains. Ends `res`, or
 * destroys it on a failed check or a read error.
 */
export function sendCheckedFile(res: BodySink, check: FileCheck, request?: { method: string; url: string }) {
  const count = check.crcs.length
  if (count === 0) {
    res.end()
    return
  }
  let fd = -1
  let done = false
  let reading = false
  // The descriptor is closed once the response is over and no read is under way.
  const release = () => {
    if (done && !reading && fd >= 0) {
      closeSync(fd)
      fd = -1
    }
  }
  const finish = (error?: Error) => {
    if (done) return
    done = true
    release()
    if (error === undefined) res.end()
    else {
      logServerError(error, request)
      res.destroy(error)
    }
  }
  const fail = (why: string) =>
    finish(
      new GoldgenError(
        'INTEGRITY',
        `blob ${check.sha256.slice(0, 12)}… changed while it was served (${why}); the response was aborted`,
      ),
    )
  try {
    fd = openSync(check.path, 'r')
  } catch (e) {
    finish(new GoldgenError('IO', `cannot read blob ${check.sha256.slice(0, 12)}…`, { cause: e }))
    return
  }
  res.once('close', () => {
    done = true
    release()
  })
  // Chunk i is read into a buffer of its own (the socket keeps it until it is flushed).
  const readChunk = (i: number, then: (chunk: Buffer | Error) => void) => {
    const length = Math.min(CHUNK_BYTES, check.size - i * CHUNK_BYTES)
    const chunk = Buffer.allocUnsafe(length)
    reading = true
    const more = (got: number) =>
      read(fd, chunk, got, length - got, i * CHUNK_BYTES + got, (e, n) => {
        if (done) {
          reading = false
          release()
        } else if (e !== null) then(e)
        else if (n === 0 || got + n === length) then(n === 0 ? new Error('the file is shorter') : chunk)
        else more(got + n)
      })
    more(0)
  }
  let pending: Buffer | Error | undefined
  let waiting: ((chunk: Buffer | Error) => void) | undefined
  const prefetch = (i: number) => {
    pending = undefined
    readChunk(i, (chunk) => {
      reading = false
      if (waiting === undefined) pending = chunk
      else {
        const w = waiting
        waiting = undefined
        w(chunk)
      }
    })
  }
  const next = (then: (chunk: Buffer | Error) => void) => {
    if (pending === undefined) waiting = then
    else {
      const p = pending
      pending = undefined
      then(p)
    }
  }
  const step = (i: number) => {
    next((chunk) => {
      if (done || res.destroyed) return
      if (chunk instanceof Error) return fail(chunk.message)
      if (crc32(chunk) !== check.crcs[i]) return fail(`chunk ${i} differs from what was verified`)
      const last = i === count - 1
      if (last && !stillChecked(check)) return fail('the file was modified')
      if (!last) prefetch(i + 1)
      const flushed = res.write(chunk)
      if (last) return finish()
      if (flushed) step(i + 1)
      else res.once('drain', () => step(i + 1))
    })
  }
  prefetch(0)
  step(0)
}
