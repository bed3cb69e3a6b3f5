/**
 * The utility figure the privacy and fidelity benches share: the mean, over all column pairs, of
 * the total variation distance between real and synthetic 2-way marginals of discretized columns.
 */
import { counts2 } from '../src/privacy/fit.ts'

export function meanPairTvd(
  real: Int32Array[],
  realRows: number,
  synthetic: Int32Array[],
  syntheticRows: number,
  sizes: readonly number[],
): number {
  let total = 0
  let pairs = 0
  for (let a = 0; a < sizes.length; a++) {
    for (let b = a + 1; b < sizes.length; b++) {
      const p = counts2(real[a]!, real[b]!, sizes[b]!, sizes[a]!)
      const q = counts2(synthetic[a]!, synthetic[b]!, sizes[b]!, sizes[a]!)
      let t = 0
      for (let k = 0; k < p.length; k++) t += Math.abs(p[k]! / realRows - q[k]! / syntheticRows)
      total += t / 2
      pairs++
    }
  }
  return total / pairs
}
