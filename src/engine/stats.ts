/**
 * Per-column statistics gathered while a dataset is written, for the manifest. One loop per
 * block kind, so each stays monomorphic on the hot path.
 */
import type { BlockKind, ColumnBlock } from '../core/blocks.ts'
import { jsonTypeOf } from '../core/json.ts'

export interface ColumnStats {
  count: number
  nullCount: number
  /** Missing values: nulls plus sentinels written with `missing.as`. */
  missingCount: number
  /** Edge cases injected, by kind, with their row numbers in the full dataset. */
  edgeCases: Record<string, number[]>
  /**
   * Numbers, dates (as ISO text) and datetimes: the range and mean of the finite values. NaN and
   * ±Infinity are counted apart (`nanCount`, `infinityCount`, `negativeInfinityCount`).
   */
  min?: number | string
  max?: number | string
  mean?: number
  nanCount?: number
  infinityCount?: number
  negativeInfinityCount?: number
  /** Categories and bools: how often each value occurs. */
  valueCounts?: Record<string, number>
  /** Strings: shortest and longest length in UTF-16 code units. */
  minLength?: number
  maxLength?: number
  /** Records: how often a record leaves the property out (counted in nullCount too). */
  absentCount?: number
  /** Records: how many values of each JSON type (integer, number, string, boolean, object, array). */
  jsonTypes?: Record<string, number>
}

export interface StatsAccumulator {
  /** Adds a block whose first row is row `firstRow` of the full dataset. */
  add(block: ColumnBlock, firstRow: number): void
  result(): ColumnStats
}

/** Valid-and-present mask: 0 where a value is null or a missing sentinel (so it stays out of min/max/mean). */
function presentMask(block: ColumnBlock): Uint8Array | undefined {
  if (block.missing === undefined) return block.validity
  return Uint8Array.from(block.missing, (m) => 1 - m)
}

/** Counts shared by every kind: rows, nulls, missing values and edge-case rows by kind. */
function commonStats(edgeKinds: readonly string[]) {
  let count = 0
  let nullCount = 0
  let missingCount = 0
  const edgeCases: Record<string, number[]> = {}
  return {
    add(block: ColumnBlock, firstRow: number) {
      const n = block.values.length
      count += n
      nullCount += countNulls(block.validity, n)
      if (block.missing !== undefined) for (let i = 0; i < n; i++) missingCount += block.missing[i]!
      if (block.edge !== undefined) {
        for (let i = 0; i < n; i++) {
          const e: number = block.edge[i]!
          if (e < 0) continue
          const kind = edgeKinds[e]!
          edgeCases[kind] ??= []
          edgeCases[kind].push(firstRow + i)
        }
      }
    },
    result: () => ({ count, nullCount, missingCount: Math.max(missingCount, nullCount), edgeCases }),
  }
}

const isoDate = (days: number) => new Date(days * 86_400_000).toISOString().slice(0, 10)
const isoTime = (ms: number) => new Date(ms).toISOString()

function countNulls(validity: Uint8Array | undefined, n: number): number {
  if (validity === undefined) return 0
  let valid = 0
  for (let i = 0; i < n; i++) valid += validity[i]!
  return n - valid
}

interface Scan {
  min: number
  max: number
  /**
   * The running sum, continued from the previous block's: one addition per value in row order,
   * so the mean does not depend on how the rows were cut into blocks or pieces (worker counts).
   */
  sum: number
  numeric: number
  nan: number
  /** +Infinity and -Infinity values (kept out of min/max/mean, as NaN is). */
  inf: number
  negInf: number
}

function scanInt32(values: Int32Array, from: number): Scan {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  let sum = from
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (v < min) min = v
    if (v > max) max = v
    sum += v
  }
  return { min, max, sum, numeric: values.length, nan: 0, inf: 0, negInf: 0 }
}

function scanFloat64(values: Float64Array, from: number): Scan {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  let sum = from
  let nan = 0
  let inf = 0
  let negInf = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (Number.isNaN(v)) nan++
    else if (v === Number.POSITIVE_INFINITY) inf++
    else if (v === Number.NEGATIVE_INFINITY) negInf++
    else {
      if (v < min) min = v
      if (v > max) max = v
      sum += v
    }
  }
  return { min, max, sum, numeric: values.length - nan - inf - negInf, nan, inf, negInf }
}

function scanValid(values: Float64Array | Int32Array, valid: Uint8Array, from: number): Scan {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  let sum = from
  let nan = 0
  let inf = 0
  let negInf = 0
  let numeric = 0
  for (let i = 0; i < values.length; i++) {
    if (valid[i] === 0) continue
    const v = values[i]!
    if (Number.isNaN(v)) nan++
    else if (v === Number.POSITIVE_INFINITY) inf++
    else if (v === Number.NEGATIVE_INFINITY) negInf++
    else {
      if (v < min) min = v
      if (v > max) max = v
      sum += v
      numeric++
    }
  }
  return { min, max, sum, numeric, nan, inf, negInf }
}

function numericStats(kind: BlockKind, edgeKinds: readonly string[]): StatsAccumulator {
  const common = commonStats(edgeKinds)
  let nanCount = 0
  let infCount = 0
  let negInfCount = 0
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  let sum = 0
  let numeric = 0
  return {
    add(block, firstRow) {
      common.add(block, firstRow)
      const values = block.values as Float64Array | Int32Array
      const valid = presentMask(block)
      // Separate tight loops: with nothing missing (the common case) there is no per-value branch on validity.
      const r =
        valid === undefined
          ? values instanceof Int32Array
            ? scanInt32(values, sum)
            : scanFloat64(values, sum)
          : scanValid(values, valid, sum)
      if (r.min < min) min = r.min
      if (r.max > max) max = r.max
      sum = r.sum
      numeric += r.numeric
      nanCount += r.nan
      infCount += r.inf
      negInfCount += r.negInf
    },
    result() {
      const stats: ColumnStats = common.result()
      if (numeric > 0) {
        if (kind === 'date32' || kind === 'timestamp') {
          const format = kind === 'date32' ? isoDate : isoTime
          stats.min = format(min)
          stats.max = format(max)
        } else {
          stats.min = min
          stats.max = max
          stats.mean = sum / numeric
        }
      }
      if (nanCount > 0) stats.nanCount = nanCount
      if (infCount > 0) stats.infinityCount = infCount
      if (negInfCount > 0) stats.negativeInfinityCount = negInfCount
      return stats
    },
  }
}

function countingStats(labels: readonly string[], edgeKinds: readonly string[]): StatsAccumulator {
  const common = commonStats(edgeKinds)
  const counts = new Float64Array(labels.length)
  return {
    add(block, firstRow) {
      common.add(block, firstRow)
      const values = block.values as Int32Array | Uint8Array
      const valid = presentMask(block)
      for (let i = 0; i < values.length; i++) if (valid === undefined || valid[i] === 1) counts[values[i]!]!++
    },
    result: () => ({
      ...common.result(),
      valueCounts: Object.fromEntries(labels.map((l, i) => [l, counts[i] ?? 0])),
    }),
  }
}

function stringStats(edgeKinds: readonly string[]): StatsAccumulator {
  const common = commonStats(edgeKinds)
  let present = 0
  let minLength = Number.POSITIVE_INFINITY
  let maxLength = 0
  return {
    add(block, firstRow) {
      common.add(block, firstRow)
      const values = block.values as string[]
      const valid = presentMask(block)
      for (let i = 0; i < values.length; i++) {
        if (valid !== undefined && valid[i] === 0) continue
        present++
        const len = values[i]!.length
        if (len < minLength) minLength = len
        if (len > maxLength) maxLength = len
      }
    },
    result: () => (present > 0 ? { ...common.result(), minLength, maxLength } : common.result()),
  }
}

function jsonStats(): StatsAccumulator {
  const common = commonStats([])
  let absent = 0
  const types: Record<string, number> = {}
  return {
    add(block, firstRow) {
      common.add(block, firstRow)
      for (const v of block.values as unknown[]) {
        if (v === undefined) absent++
        if (v === undefined || v === null) continue
        const t = jsonTypeOf(v)
        types[t] = (types[t] ?? 0) + 1
      }
    },
    result: () => ({ ...common.result(), absentCount: absent, jsonTypes: types }),
  }
}

/** Statistics for one output column; `edgeKinds` names the column's edge-case kinds by index. */
export function createStats(
  kind: BlockKind,
  dictionary?: readonly string[],
  edgeKinds: readonly string[] = [],
): StatsAccumulator {
  switch (kind) {
    case 'utf8':
      return stringStats(edgeKinds)
    case 'dict':
      return countingStats(dictionary ?? [], edgeKinds)
    case 'bool':
      return countingStats(['false', 'true'], edgeKinds)
    case 'json':
      return jsonStats()
    default:
      return numericStats(kind, edgeKinds)
  }
}
