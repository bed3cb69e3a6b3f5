/** A progress bar on stderr, drawn only when stderr is a terminal and the run is long. */
import type { CliWriter } from './io.ts'

const WIDTH = 30
/** Runs shorter than this many rows finish too fast to need a bar. */
export const PROGRESS_MIN_ROWS = 200_000

export function progressBar(stream: CliWriter, label: string, total: number) {
  if (!stream.isTTY || total < PROGRESS_MIN_ROWS) return { update: () => {}, done: () => {} }
  const started = Date.now()
  let last = 0
  const draw = (done: number) => {
    const share = total === 0 ? 1 : done / total
    const filled = Math.round(share * WIDTH)
    const seconds = (Date.now() - started) / 1000
    const rate = seconds > 0 ? Math.round(done / seconds).toLocaleString('en-US') : '…'
    stream.write(
      `\r${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} rows  ${rate} rows/s`,
    )
  }
  return {
    update(done: number) {
      const now = Date.now()
      if (now - last < 100 && done < total) return
      last = now
      draw(done)
    },
    done() {
      stream.write('\r\x1b[2K')
    },
  }
}
