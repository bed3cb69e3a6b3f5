/** Privacy-budget arithmetic for the shells (the registry's ledger): a ρ-zCDP spend as (ε, δ). */
import { zcdpToEpsilon } from '../privacy/accountant.ts'

/** The ε of a cumulative ρ-zCDP spend at `delta`. */
export function epsilonOfZcdp(rho: number, delta: number): number {
  return zcdpToEpsilon(rho, delta)
}
