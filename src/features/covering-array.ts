/**
 * Pairwise covering arrays: rows over columns with `levels[i]` values each, in which every pair
 * of values of every two columns appears at least once. Built with IPOG (Lei et al. 2007):
 * all pairs of the first two columns, then each further column is added by horizontal growth
 * (choose its value in each row to cover most new pairs) and vertical growth (fill or add rows
 * for the pairs still missing). Deterministic: ties go to the lowest value.
 */
export function coveringArray(levels: readonly number[]): number[][] {
  if (levels.length === 0) return []
  if (levels.length === 1) return Array.from({ length: levels[0]! }, (_, v) => [v])
  const DONT_CARE = -1
  const rows: number[][] = []
  for (let a = 0; a < levels[0]!; a++) for (let b = 0; b < levels[1]!; b++) rows.push([a, b])
  for (let c = 2; c < levels.length; c++) {
    const lc = levels[c]!
    // uncovered[p][a * lc + v]: the pair (column p = a, column c = v) is not covered yet.
    const uncovered = Array.from({ length: c }, (_, p) => new Uint8Array(levels[p]! * lc).fill(1))
    let remaining = uncovered.reduce((n, u) => n + u.length, 0)
    const cover = (row: number[], v: number) => {
      for (let p = 0; p < c; p++) {
        const a = row[p]!
        if (a !== DONT_CARE && uncovered[p]![a * lc + v]) {
          uncovered[p]![a * lc + v] = 0
          remaining--
        }
      }
    }
    // Horizontal growth.
    for (const row of rows) {
      let best = 0
      let bestGain = -1
      for (let v = 0; v < lc; v++) {
        let gain = 0
        for (let p = 0; p < c; p++) if (row[p] !== DONT_CARE && uncovered[p]![row[p]! * lc + v]) gain++
        if (gain > bestGain) {
          best = v
          bestGain = gain
        }
      }
      row.push(best)
      cover(row, best)
    }
    // Vertical growth.
    for (let p = 0; p < c && remaining > 0; p++) {
      for (let a = 0; a < levels[p]!; a++) {
        for (let v = 0; v < lc; v++) {
          if (!uncovered[p]![a * lc + v]) continue
          let row =
            rows.find((r) => r[c] === v && r[p] === DONT_CARE) ??
            rows.find((r) => r[c] === DONT_CARE && r[p] === DONT_CARE)
          if (row === undefined) {
            row = new Array(c + 1).fill(DONT_CARE) as number[]
            rows.push(row)
          }
          row[p] = a
          row[c] = v
          cover(row, v)
        }
      }
    }
  }
  // Remaining don't-cares take value 0 (any value keeps the array covering).
  return rows.map((r) => r.map((v) => (v === DONT_CARE ? 0 : v)))
}

/** How many of the pairs over `levels` the rows cover, and how many there are. */
export function pairCoverage(
  rows: readonly (readonly number[])[],
  levels: readonly number[],
): { covered: number; total: number } {
  let covered = 0
  let total = 0
  for (let i = 0; i < levels.length; i++) {
    for (let j = i + 1; j < levels.length; j++) {
      const seen = new Uint8Array(levels[i]! * levels[j]!)
      for (const r of rows) if (r[i]! >= 0 && r[j]! >= 0) seen[r[i]! * levels[j]! + r[j]!] = 1
      total += seen.length
      covered += seen.reduce((n, s) => n + s, 0)
    }
  }
  return { covered, total }
}
