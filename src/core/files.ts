/** Reading input files, with file-system errors turned into clear messages that name the file. */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs'
import { GoldgenError } from './errors.ts'

export function fileError(file: string, e: unknown): GoldgenError {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return new GoldgenError('NOT_FOUND', 'file not found', { file, cause: e })
  if (code === 'EISDIR') return new GoldgenError('USAGE', 'is a folder; expected a file', { file, cause: e })
  if (code === 'EACCES') return new GoldgenError('IO', 'permission denied', { file, cause: e })
  return new GoldgenError('IO', `cannot read: ${(e as Error).message}`, { file, cause: e })
}

/** Throws a GoldgenError unless `file` is an existing regular file. */
export function assertReadableFile(file: string): void {
  let isFile: boolean
  try {
    isFile = statSync(file).isFile()
  } catch (e) {
    throw fileError(file, e)
  }
  if (!isFile) throw new GoldgenError('USAGE', 'is not a regular file', { file })
}

/** The largest schema or other text input goldgen reads whole (32 MiB). */
export const MAX_TEXT_FILE_BYTES = 32 * 1024 * 1024

/**
 * Reads a text file of at most `maxBytes`, turning file-system errors into clear GoldgenErrors.
 * The limit holds before anything is allocated, for devices and pipes (`/dev/zero`) too.
 */
export function readTextFile(file: string, maxBytes = MAX_TEXT_FILE_BYTES): string {
  const tooLarge = () =>
    new GoldgenError(
      'USAGE',
      `is larger than ${maxBytes} bytes, the most goldgen reads as a schema or text input; is it the right file?`,
      { file },
    )
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (e) {
    throw fileError(file, e)
  }
  try {
    const stat = fstatSync(fd)
    if (stat.isDirectory()) throw fileError(file, Object.assign(new Error('is a folder'), { code: 'EISDIR' }))
    if (stat.isFile() && stat.size > maxBytes) throw tooLarge()
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total))
      const n = readSync(fd, chunk, 0, chunk.length, null)
      if (n === 0) break
      chunks.push(chunk.subarray(0, n))
      total += n
      if (total > maxBytes) throw tooLarge()
    }
    return Buffer.concat(chunks, total).toString('utf8')
  } catch (e) {
    throw e instanceof GoldgenError ? e : fileError(file, e)
  } finally {
    closeSync(fd)
  }
}

/**
 * What a rewrite of a file cannot keep: its size, inode, and modification and change times in
 * nanoseconds (a process can set the modification time back, never the change time).
 */
export function fileFingerprint(file: string): string {
  const s = statSync(file, { bigint: true })
  return `${s.size}:${s.ino}:${s.mtimeNs}:${s.ctimeNs}`
}
