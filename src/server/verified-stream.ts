/**
 * Streaming a stored blob so that bytes failing its digest are never delivered whole: the file is
 * read from its start and hashed as it goes, only the asked-for span is passed on, and the last
 * chunk is held back until the whole file hashed to the digest. On a mismatch (the blob changed
 * on disk) the stream fails instead, which aborts the response, and the cause is logged.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { Readable, Transform } from 'node:stream'
import { GoldgenError } from '../core/errors.ts'
import { logServerError } from './log.ts'

/** A web stream of `path`'s bytes `start…end` (inclusive; default: all), verified against `sha256`. */
export function verifiedStream(
  path: string,
  sha256: string,
  span?: { start: number; end: number },
): ReadableStream {
  const hash = createHash('sha256')
  let offset = 0
  let held: Buffer | undefined
  const check = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      const from = offset
      offset += chunk.length
      if (held !== undefined) this.push(held)
      held = undefined
      const start = span === undefined ? 0 : Math.max(span.start - from, 0)
      const end = span === undefined ? chunk.length : Math.min(span.end + 1 - from, chunk.length)
      if (end > start) held = chunk.subarray(start, end)
      done()
    },
    flush(done) {
      const actual = hash.digest('hex')
      if (actual !== sha256) {
        const error = new GoldgenError(
          'INTEGRITY',
          `blob ${sha256.slice(0, 12)}… changed while it was served: its content hashes to ${actual.slice(0, 12)}…; the response was aborted`,
        )
        logServerError(error)
        done(error)
        return
      }
      if (held !== undefined) this.push(held)
      done()
    },
  })
  const source = createReadStream(path)
  source.on('error', (e) => check.destroy(e))
  return Readable.toWeb(source.pipe(check)) as ReadableStream
}
