/**
 * One direction of a proxied connection: bytes read from one socket, queued, and written to the
 * other as the current faults allow. `timeout` holds everything; a shaped direction (what the
 * upstream sends back) also delays each chunk by the latency fault and paces it to the bandwidth
 * fault. The faults are read at every step, so a change applies to live connections at once.
 * Order is kept (a chunk never overtakes the one before it) and the source is paused while more
 * than 1 MiB waits, so a slow direction never buffers without bound.
 */
import type { Socket } from 'node:net'
import type { Faults } from './faults.ts'

const HIGH_WATER = 1 << 20
/** A paced write carries at most this many milliseconds' worth of bytes. */
const SLICE_MS = 20

export interface Valve {
  /** Writes what the current faults allow now (call after the faults change). */
  pump(): void
  /** Stops the timers; the sockets are the caller's to close. */
  stop(): void
}

function delayOf(f: Faults): number {
  if (f.latency === undefined) return 0
  const { ms, jitter_ms } = f.latency
  return Math.max(0, ms + (Math.random() * 2 - 1) * jitter_ms)
}

/**
 * Joins `from` to `to`. `onChunk` sees each chunk first and may return false to drop it (the
 * reset fault destroys the connection there).
 */
export function openValve(
  from: Socket,
  to: Socket,
  faults: () => Faults,
  shaped: boolean,
  onChunk: (chunk: Buffer) => boolean = () => true,
): Valve {
  const queue: { chunk: Buffer; ready: number }[] = []
  let queued = 0
  let ended = false
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let draining = false
  /** When the paced direction may write next. */
  let nextFree = 0

  function pump(): void {
    if (stopped || timer !== undefined || draining) return
    const f = faults()
    while (queue.length > 0) {
      if (f.timeout !== undefined || f.down !== undefined) return
      const head = queue[0]!
      const now = performance.now()
      const bandwidth = shaped ? f.bandwidth : undefined
      const wait = Math.max(head.ready, bandwidth === undefined ? 0 : nextFree) - now
      if (wait > 0) {
        timer = setTimeout(() => {
          timer = undefined
          pump()
        }, Math.ceil(wait))
        return
      }
      let piece = head.chunk
      if (bandwidth !== undefined) {
        const bytesPerMs = bandwidth.kbps / 8
        piece = head.chunk.subarray(0, Math.max(1, Math.floor(bytesPerMs * SLICE_MS)))
        nextFree = now + piece.length / bytesPerMs
      }
      head.chunk = head.chunk.subarray(piece.length)
      if (head.chunk.length === 0) queue.shift()
      queued -= piece.length
      if (queued < HIGH_WATER && from.isPaused() && !from.destroyed) from.resume()
      if (to.destroyed) return
      if (!to.write(piece)) {
        draining = true
        to.once('drain', () => {
          draining = false
          pump()
        })
        return
      }
    }
    if (ended && !to.destroyed) to.end()
  }

  from.on('data', (chunk: Buffer) => {
    if (!onChunk(chunk)) return
    const f = faults()
    queue.push({ chunk, ready: performance.now() + (shaped ? delayOf(f) : 0) })
    queued += chunk.length
    if (queued >= HIGH_WATER) from.pause()
    pump()
  })
  from.on('end', () => {
    ended = true
    pump()
  })

  return {
    pump,
    stop() {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    },
  }
}
