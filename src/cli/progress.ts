/** A progress bar on stderr (rows done, rows/s and ETA), drawn only when stderr is a terminal and the run is long. */
import type { CliWriter } from './io.ts'

const WIDTH = 30
/** Runs shorter than this many rows finish too fast to need a bar. */
export const PROGRESS_MIN_ROWS = 200_000

/** Seconds as `1h02m`, `3m05s` or `42s`. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '…'
  const s = Math.round(seconds)
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${s}s`
}

/** The bar's text for `done` of `total` rows after `seconds`. */
export function progressLine(label: string, done: number, total: number, seconds: number): string {
  const share = total === 0 ? 1 : Math.min(1, done / total)
  const filled = Math.round(share * WIDTH)
  const perSecond = seconds > 0 ? done / seconds : 0
  const rate = perSecond > 0 ? Math.round(perSecond).toLocaleString('en-US') : '…'
  const eta = perSecond > 0 ? formatEta((total - done) / perSecond) : '…'
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} rows  ${rate} rows/s  ETA ${eta}`
}

export function progressBar(stream: CliWriter, label: string, total: number) {
  if (!stream.isTTY || total < PROGRESS_MIN_ROWS) return { update: () => {}, done: () => {} }
  const started = Date.now()
  let last = 0
  return {
    /** Rows done so far; `of` corrects the total once the run knows it (a shard's rows). */
    update(done: number, of: number = total) {
      const now = Date.now()
      if (now - last < 100 && done < of) return
      last = now
      stream.write(`\r${progressLine(label, done, of, (now - started) / 1000)}`)
    },
    done() {
      stream.write('\r\x1b[2K')
    },
  }
}
