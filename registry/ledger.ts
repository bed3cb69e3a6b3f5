/**
 * The privacy ledger: every private release (a schema fitted under differential privacy)
 * recorded once, and the cumulative spend per source data set.
 */
import { epsilonOfZcdp } from '../src/api/budget.ts'
import type { RegistryContext } from './context.ts'
import type { LedgerEntry } from './stores.ts'

/** The `privacy` block that `goldgen fit` writes into a schema. */
export interface PrivacyBlock {
  id: string
  mechanism: string
  epsilon: number
  delta: number
  rho: number | null
  composition?: string | undefined
  source: { sha256: string; name: string }
  guarantee: boolean
  produced?: string
  spends?: unknown
}

/** A ledger entry for a fit's privacy block. */
export function ledgerEntryOf(p: PrivacyBlock, produced?: string): LedgerEntry {
  return {
    releaseId: p.id,
    sourceSha256: p.source.sha256,
    sourceName: p.source.name,
    mechanism: p.mechanism,
    rho: p.rho,
    epsilon: p.epsilon,
    delta: p.delta,
    guarantee: p.guarantee,
    produced: produced ?? p.produced ?? '',
    detail: {
      spends: p.spends ?? [],
      ...(p.composition === undefined ? {} : { composition: p.composition }),
    },
  }
}

/** One source's releases and their cumulative spend. */
function spendOf(sha256: string, list: (LedgerEntry & { at: string })[], askedDelta: number | undefined) {
  const counted = list.filter((e) => e.guarantee)
  const rho = counted.reduce((s, e) => s + (e.rho ?? (e.epsilon * e.epsilon) / 2), 0)
  const deltas = counted.filter((e) => e.delta > 0).map((e) => e.delta)
  const delta = askedDelta ?? (deltas.length > 0 ? Math.min(...deltas) : 1e-9)
  const pureOnly = counted.length > 0 && counted.every((e) => e.rho === null)
  // Two valid bounds: ρ adds up (zCDP, converted at δ), and the releases' own (ε, δ) add up (basic
  // composition, valid when δ is at least their sum). The smaller ε is reported, and named.
  const viaZcdp = rho === 0 ? 0 : epsilonOfZcdp(rho, delta)
  const basic = counted.reduce((s, e) => s + e.epsilon, 0)
  const basicHolds = delta >= counted.reduce((s, e) => s + e.delta, 0) * (1 - 1e-12)
  const useBasic = counted.length > 0 && basicHolds && basic <= viaZcdp * (1 + 1e-9)
  return {
    source: { sha256, name: list.at(-1)!.sourceName },
    releases: list.length,
    withoutGuarantee: list.length - counted.length,
    rho,
    epsilon: useBasic ? basic : viaZcdp,
    composition: useBasic ? 'basic composition' : 'zCDP (CKS20)',
    delta,
    ...(pureOnly ? { pureEpsilon: counted.reduce((s, e) => s + e.epsilon, 0) } : {}),
    entries: list,
  }
}

/** The registry's ledger methods. */
export function ledgerMethods({ store }: RegistryContext) {
  return {
    /** Records a private release in the privacy ledger (once per release id). */
    recordPrivacy: (entry: LedgerEntry) => store.recordPrivacy(entry),
    /**
     * Cumulative privacy spend per source: ρ adds up under composition (pure-ε releases count
     * as ε²/2-zCDP), reported as (ε, δ) at `delta` (default: the smallest δ recorded for the
     * source) — or, when it is smaller and δ covers their δ's, the releases' ε summed (basic
     * composition); `composition` names which. A source with only pure-ε releases also gets
     * their plain sum of ε.
     */
    async ledger(opts: { source?: string | undefined; delta?: number | undefined } = {}) {
      const entries = await store.privacyLedger()
      const bySource = new Map<string, (LedgerEntry & { at: string })[]>()
      for (const e of entries) {
        if (
          opts.source !== undefined &&
          !e.sourceSha256.startsWith(opts.source) &&
          e.sourceName !== opts.source
        )
          continue
        bySource.set(e.sourceSha256, [...(bySource.get(e.sourceSha256) ?? []), e])
      }
      return [...bySource].map(([sha256, list]) => spendOf(sha256, list, opts.delta))
    },
  }
}
