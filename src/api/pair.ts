/**
 * A data file and its manifest as a pair: both are written to temporary files first, then moved
 * into place one after the other under a lock file, so a run never leaves one without the other
 * and two runs writing the same path never leave one's data with the other's manifest.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { GoldgenError } from '../core/errors.ts'

const WAIT_MS = 30_000

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes `<path>.lock` (waiting for another run, taking over a dead one's), runs `f`, releases it. */
export function withLock<T>(path: string, f: () => T): T {
  const lock = `${path}.lock`
  const until = Date.now() + WAIT_MS
  let fd: number | undefined
  while (fd === undefined) {
    try {
      fd = openSync(lock, 'wx')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new GoldgenError('IO', `cannot lock ${path}: ${(e as Error).message}`, { cause: e })
      let owner = Number.NaN
      try {
        owner = Number(readFileSync(lock, 'utf8'))
      } catch {
        // removed meanwhile: try again
      }
      if (Number.isInteger(owner) && owner > 0 && !alive(owner)) rmSync(lock, { force: true })
      else if (Date.now() > until)
        throw new GoldgenError(
          'IO',
          `another goldgen run has held ${lock} for ${WAIT_MS / 1000} s; remove it if no run is writing ${path}`,
        )
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
    }
  }
  try {
    writeSync(fd, String(process.pid))
    closeSync(fd)
    return f()
  } finally {
    rmSync(lock, { force: true })
  }
}

/** Moves staged files to their targets, in order, under the first target's lock. */
export function placePair(moves: { from: string; to: string }[]): void {
  if (moves.length === 0) return
  withLock(moves[0]!.to, () => {
    for (const { from, to } of moves) renameSync(from, to)
  })
}
