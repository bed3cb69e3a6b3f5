/** Per-column statistics gathered while a dataset is written, for the manifest and `inspect`. */
import type { BlockKind, ColumnBlock } from '../../generators/types.ts'

export interface ColumnStats {
  count: number
  nullCount: number
  /** Numbers, dates (as ISO text) and datetimes; NaN is counted apart and left out of min/max/mean. */
  min?: number | string
  max?: number | string
  mean?: number
  nanCount?: number
  /** Categories and bools: how often each value occurs. */
  valueCounts?: Record<string, number>
  /** Strings: shortest and longest length in UTF-16 code units. */
  minLength?: number
  maxLength?: number
}

export interface StatsAccumulator {
  add(block: ColumnBlock): void
  result(): ColumnStats
}

const isoDate = (days: number) => new Date(days * 86_400_000).toISOString().slice(0, 10)
const isoTime = (ms: number) => new Date(ms).toISOString()

export function createStats(kind: BlockKind, dictionary?: readonly string[]): StatsAccumulator {
  let count = 0
  let nullCount = 0
  let nanCount = 0
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  let sum = 0
  let numeric = 0
  let minLength = Number.POSITIVE_INFINITY
  let maxLength = 0
  const counts =
    kind === 'dict'
      ? new Float64Array(dictionary?.length ?? 0)
      : kind === 'bool'
        ? new Float64Array(2)
        : undefined
  return {
    add(block) {
      const n = block.values.length
      count += n
      const valid = block.validity
      if (block.kind === 'utf8') {
        for (let i = 0; i < n; i++) {
          if (valid !== undefined && valid[i] === 0) nullCount++
          else {
            const len = block.values[i]!.length
            if (len < minLength) minLength = len
            if (len > maxLength) maxLength = len
          }
        }
        return
      }
      const values = block.values
      for (let i = 0; i < n; i++) {
        if (valid !== undefined && valid[i] === 0) {
          nullCount++
          continue
        }
        const v = values[i]!
        if (counts !== undefined) {
          counts[v] = (counts[v] ?? 0) + 1
          continue
        }
        if (Number.isNaN(v)) {
          nanCount++
          continue
        }
        if (v < min) min = v
        if (v > max) max = v
        sum += v
        numeric++
      }
    },
    result() {
      const stats: ColumnStats = { count, nullCount }
      if (kind === 'utf8') {
        if (count > nullCount) Object.assign(stats, { minLength, maxLength })
      } else if (counts !== undefined) {
        const labels = kind === 'bool' ? ['false', 'true'] : (dictionary ?? [])
        stats.valueCounts = Object.fromEntries(labels.map((l, i) => [l, counts[i] ?? 0]))
      } else if (numeric > 0) {
        const format = kind === 'date32' ? isoDate : kind === 'timestamp' ? isoTime : (x: number) => x
        stats.min = format(min)
        stats.max = format(max)
        stats.mean = kind === 'date32' || kind === 'timestamp' ? Number.NaN : sum / numeric
        if (Number.isNaN(stats.mean)) delete stats.mean
      }
      if (nanCount > 0) stats.nanCount = nanCount
      return stats
    },
  }
}
