/**
 * What the private fit releases from its noisy tables, as post-processing (no further budget):
 * each column's marginal made consistent across every table that holds it, the released row
 * count, and the tree oriented for sampling.
 */

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)

export type Noisy = { values: number[]; variance: number }

/** Consistency: each column's marginal from every table that holds it, by inverse variance. */
export function consistentMargins(
  one: Noisy[],
  two: Noisy[],
  edges: [number, number][],
  sizes: number[],
): number[][] {
  return one.map((_, i) => {
    const estimates: { values: number[]; variance: number }[] = [
      { values: one[i]!.values, variance: one[i]!.variance },
    ]
    edges.forEach(([a, b], e) => {
      if (a !== i && b !== i) return
      const other = a === i ? b : a
      const values = new Array<number>(sizes[i]!).fill(0)
      two[e]!.values.forEach((v, k) => {
        const cell = a === i ? Math.floor(k / sizes[b]!) : k % sizes[b]!
        values[cell]! += v
      })
      estimates.push({ values, variance: two[e]!.variance * sizes[other]! })
    })
    const weightSum = estimates.reduce((s, e) => s + 1 / e.variance, 0)
    return Array.from({ length: sizes[i]! }, (_, c) =>
      Math.max(0, estimates.reduce((s, e) => s + e.values[c]! / e.variance, 0) / weightSum),
    )
  })
}

/** The released row count: every table's total, by inverse variance. */
export function releasedCount(
  one: Noisy[],
  two: Noisy[],
  edges: [number, number][],
  sizes: number[],
): number {
  const totals = [
    ...one.map((m, i) => ({ total: sum(m.values), variance: m.variance * sizes[i]! })),
    ...two.map((m, e) => ({
      total: sum(m.values),
      variance: m.variance * sizes[edges[e]![0]]! * sizes[edges[e]![1]]!,
    })),
  ]
  return Math.max(
    1,
    Math.round(
      totals.reduce((s, t) => s + t.total / t.variance, 0) / totals.reduce((s, t) => s + 1 / t.variance, 0),
    ),
  )
}

/** The tree oriented from the first column, breadth first: each column's parent and the visiting order. */
export function orientTree(d: number, edges: [number, number][]): { parentOf: number[]; order: number[] } {
  const parentOf = new Array<number>(d).fill(-1)
  const order: number[] = []
  const seen = new Set<number>()
  for (let start = 0; start < d; start++) {
    if (seen.has(start)) continue
    const queue = [start]
    seen.add(start)
    while (queue.length > 0) {
      const v = queue.shift()!
      order.push(v)
      for (const [a, b] of edges) {
        const w = a === v ? b : b === v ? a : -1
        if (w >= 0 && !seen.has(w)) {
          seen.add(w)
          parentOf[w] = v
          queue.push(w)
        }
      }
    }
  }
  return { parentOf, order }
}
