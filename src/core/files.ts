/** Reading input files, with file-system errors turned into clear messages that name the file. */
import { readFileSync, statSync } from 'node:fs'
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

/** Reads a text file, turning file-system errors into clear GoldgenErrors. */
export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (e) {
    throw fileError(file, e)
  }
}
