/** The README's benchmark tables as goldgen schemas, shared by the benchmarks. */

/** The 8 numeric/categorical columns (no faker). */
export const numericSchema = `goldgen: 1
name: numeric
columns:
  id: { type: id }
  age: { type: int, min: 18, max: 90, distribution: { normal: { mean: 41, sd: 12 } } }
  income: { type: float, min: 0, distribution: { lognormal: { mu: 10.6, sigma: 0.5 } }, precision: 2 }
  signup: { type: date, min: 2015-01-01, max: 2025-12-31 }
  country: { type: category, values: { US: 0.5, DE: 0.2, FR: 0.2, JP: 0.1 } }
  plan: { type: category, values: { basic: 0.6, pro: 0.3, enterprise: 0.1 } }
  active: { type: bool, p: 0.8 }
  score: { type: float, min: 0, max: 1 }
`
