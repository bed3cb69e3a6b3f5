/**
 * Service-level agreements for the contract's load stage: parsing `"p99<=50ms,error_rate<=0.001,rps>=200"`,
 * writing a parsed SLA back in its canonical text, and judging load figures against it.
 */
import { GoldgenError } from '../core/errors.ts'

/** The figures an SLA can bound: latency percentiles and mean/max (ms), error rate (0–1), throughput (requests/s). */
export const SLA_METRICS = ['p50', 'p90', 'p95', 'p99', 'mean', 'max', 'error_rate', 'rps'] as const
export type SlaMetric = (typeof SLA_METRICS)[number]

export interface SlaBound {
  metric: SlaMetric
  op: '<=' | '<' | '>=' | '>'
  /** Milliseconds for latencies, a fraction for error_rate, requests per second for rps. */
  value: number
}

export type Sla = SlaBound[]

/** The SLA the load stage uses when neither --sla nor a stored one is given. */
export const DEFAULT_SLA = 'error_rate<=0.001'

const LATENCY = new Set<SlaMetric>(['p50', 'p90', 'p95', 'p99', 'mean', 'max'])
const UNITS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 }

/** Parses an SLA spec; errors name the bound that is wrong and what was expected. */
export function parseSla(spec: string): Sla {
  const parts = spec
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
  if (parts.length === 0)
    throw new GoldgenError(
      'USAGE',
      `empty SLA ${JSON.stringify(spec)}: expected e.g. "p99<=50ms,error_rate<=0.001"`,
    )
  return parts.map((part) => {
    const m = /^([a-z_0-9]+)\s*(<=|>=|<|>)\s*([0-9.eE+-]+)\s*(us|µs|ms|s|%)?$/.exec(part)
    const metric = m?.[1] as SlaMetric | undefined
    if (m === null || metric === undefined || !SLA_METRICS.includes(metric)) {
      throw new GoldgenError(
        'USAGE',
        `malformed SLA bound ${JSON.stringify(part)}: expected METRIC<=VALUE or METRIC>=VALUE with METRIC one of ${SLA_METRICS.join(', ')} (latencies in us, ms or s; e.g. p99<=50ms)`,
      )
    }
    const unit = m[4]
    let value = Number(m[3])
    if (LATENCY.has(metric)) {
      if (unit === '%')
        throw new GoldgenError('USAGE', `SLA bound ${JSON.stringify(part)}: a latency takes us, ms or s`)
      value *= UNITS[unit ?? 'ms']!
    } else if (unit === '%' && metric === 'error_rate') value /= 100
    else if (unit !== undefined)
      throw new GoldgenError(
        'USAGE',
        `SLA bound ${JSON.stringify(part)}: ${metric} takes a plain number${metric === 'error_rate' ? ' or a percentage' : ''}`,
      )
    if (!Number.isFinite(value) || value < 0)
      throw new GoldgenError('USAGE', `SLA bound ${JSON.stringify(part)}: the value must be a number ≥ 0`)
    return { metric, op: m[2] as SlaBound['op'], value }
  })
}

/** The canonical text of an SLA (latencies in ms): `parseSla(formatSla(s))` gives `s` back. */
export function formatSla(sla: Sla): string {
  return sla.map((b) => `${b.metric}${b.op}${b.value}${LATENCY.has(b.metric) ? 'ms' : ''}`).join(',')
}

/** The figures of a load run, as an SLA names them. */
export type LoadFigures = Record<SlaMetric, number> & { requests: number; errors: number; seconds: number }

export interface SlaVerdict {
  bound: string
  actual: number
  ok: boolean
}

/** Judges figures against every bound of an SLA. */
export function judgeSla(sla: Sla, figures: LoadFigures): SlaVerdict[] {
  return sla.map((b) => {
    const actual = figures[b.metric]
    const ok =
      b.op === '<='
        ? actual <= b.value
        : b.op === '<'
          ? actual < b.value
          : b.op === '>='
            ? actual >= b.value
            : actual > b.value
    return { bound: formatSla([b]), actual, ok }
  })
}
