/**
 * Where encoded bytes go. A file sink writes to a temporary file beside the target, hashes and
 * counts as it goes, then fsyncs and renames: a reader never sees a half-written file.
 */
import { createHash, type Hash } from 'node:crypto'
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { GoldgenError, OutputClosed, writeFailure } from '../core/errors.ts'

export interface ByteSink {
  write(bytes: Uint8Array | string): void
  /** Finishes the output; returns its size and SHA-256. */
  commit(): { bytes: number; sha256: string }
  /** Drops everything written (no partial file is left). */
  abort(): void
}

const BUFFER_BYTES = 1 << 20

function writeAll(fd: number, data: Uint8Array): void {
  let at = 0
  while (at < data.length) {
    try {
      at += writeSync(fd, data, at, data.length - at)
    } catch (e) {
      // Non-blocking pipes (stdout) may ask us to retry.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e
    }
  }
}

function bufferedSink(
  fd: number,
  onCommit: () => void,
  onAbort: () => void,
  where: string,
  pipe = false,
): ByteSink {
  const hash: Hash = createHash('sha256')
  let buffer = Buffer.allocUnsafe(BUFFER_BYTES)
  let used = 0
  let total = 0
  const flush = () => {
    if (used > 0) writeAll(fd, buffer.subarray(0, used))
    used = 0
  }
  const io = <T>(what: string, f: () => T): T => {
    try {
      return f()
    } catch (e) {
      onAbort()
      // A pipe whose reader stopped reading (`| head`) ends the output, quietly.
      if (pipe && (e as NodeJS.ErrnoException).code === 'EPIPE') throw new OutputClosed(e)
      throw writeFailure(where, e, what)
    }
  }
  return {
    write(bytes) {
      const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes
      hash.update(data)
      total += data.length
      if (data.length > BUFFER_BYTES / 2) {
        io('write', () => {
          flush()
          writeAll(fd, data)
        })
        return
      }
      if (used + data.length > buffer.length) io('write', flush)
      buffer.set(data, used)
      used += data.length
    },
    commit() {
      io('write', flush)
      buffer = Buffer.alloc(0)
      io('finish', onCommit)
      return { bytes: total, sha256: hash.digest('hex') }
    },
    abort: onAbort,
  }
}

/** Temporary files being written; `removeTemporaryFiles` deletes them when a run is interrupted. */
const temporary = new Set<string>()

/** Deletes every temporary file this process is writing (the CLI calls it on SIGINT and SIGTERM). */
export function removeTemporaryFiles(): void {
  for (const t of temporary) rmSync(t, { force: true })
  temporary.clear()
}

/** A fresh temporary name beside `path`, removed on interruption until `release`d. */
export function temporaryPath(path: string, what = 'tmp'): { path: string; release(): void } {
  const temp = join(
    dirname(path),
    `.${basename(path)}.${what}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
  )
  temporary.add(temp)
  return { path: temp, release: () => void temporary.delete(temp) }
}

/** Whether `path` exists and is not a regular file (a device such as /dev/null, a FIFO, a socket). */
export function isSpecialFile(path: string): boolean {
  try {
    const s = statSync(path)
    return !s.isFile() && !s.isDirectory()
  } catch {
    return false
  }
}

/** A sink writing straight into a device or FIFO: renaming over one would replace it with a file. */
function directSink(path: string): ByteSink {
  let fd: number
  try {
    fd = openSync(path, 'w')
  } catch (e) {
    throw new GoldgenError('IO', `cannot write ${path}: ${(e as Error).message}`, { cause: e })
  }
  let open = true
  const close = () => {
    if (open) closeSync(fd)
    open = false
  }
  return bufferedSink(fd, close, close, path)
}

/**
 * A sink to `path`, written atomically (temp file, fsync, rename); a device or FIFO is written
 * directly instead. The temporary file is removed on abort and when the run is interrupted.
 */
export function fileSink(path: string, name = path): ByteSink {
  if (isSpecialFile(path)) return directSink(path)
  const { path: temp, release } = temporaryPath(path)
  let fd: number
  try {
    fd = openSync(temp, 'w')
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    const why =
      err.code === 'ENOENT'
        ? 'the folder does not exist'
        : err.code === 'EACCES'
          ? 'permission denied'
          : err.message
    release()
    throw new GoldgenError('IO', `cannot write ${name}: ${why}`, { cause: e })
  }
  let open = true
  const close = () => {
    if (open) closeSync(fd)
    open = false
  }
  return bufferedSink(
    fd,
    () => {
      fsyncSync(fd)
      close()
      renameSync(temp, path)
      release()
    },
    () => {
      try {
        close()
      } finally {
        rmSync(temp, { force: true })
        release()
      }
    },
    name,
  )
}

/** A sink to an already-open descriptor (standard output). */
export function fdSink(fd: number, name = 'standard output'): ByteSink {
  return bufferedSink(
    fd,
    () => {},
    () => {},
    name,
    true,
  )
}

/** A sink that keeps the bytes in memory (tests, small outputs, HTTP responses). */
export function memorySink(): ByteSink & { contents(): Uint8Array } {
  const chunks: Uint8Array[] = []
  const hash = createHash('sha256')
  let total = 0
  return {
    write(bytes) {
      const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Uint8Array.from(bytes)
      chunks.push(data)
      hash.update(data)
      total += data.length
    },
    commit: () => ({ bytes: total, sha256: hash.digest('hex') }),
    abort() {
      chunks.length = 0
    },
    contents: () => Buffer.concat(chunks),
  }
}
