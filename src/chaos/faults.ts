/**
 * The faults `goldgen chaos` can put on a connection, as one object whose keys are the faults
 * on at once (`{}` is none): their zod schema (the control API and chaos plans validate with
 * it), the issues of a bad fault object worded with their path, and a one-line description for
 * reports.
 */
import { z } from 'zod'
import { describeValue, type Issue } from '../core/errors.ts'

const nonNegative = z.number().finite().nonnegative()

/** Every fault, each optional: an object with several keys puts several faults on at once. */
export const Faults = z.strictObject({
  /** Each chunk the upstream sends is held `ms` ± a uniform draw in [-jitter_ms, jitter_ms] (never below 0). */
  latency: z.strictObject({ ms: nonNegative, jitter_ms: nonNegative.default(0) }).optional(),
  /** What the upstream sends is paced to `kbps` kilobits (1000 bits) per second. */
  bandwidth: z.strictObject({ kbps: z.number().finite().positive() }).optional(),
  /** Each new connection, and each chunk a client sends on a live one, is reset (TCP RST) with this probability. */
  reset: z.strictObject({ probability: z.number().finite().min(0).max(1) }).optional(),
  /** Connections are accepted but no byte passes either way; held bytes flow once it is cleared. */
  timeout: z.strictObject({}).optional(),
  /** The listener is closed (connects are refused) and live connections are destroyed. */
  down: z.strictObject({}).optional(),
})
export type Faults = z.infer<typeof Faults>

export const FAULT_NAMES = Object.keys(Faults.shape) as (keyof Faults)[]

/** What is expected at each path of a fault object, for error messages. */
const EXPECTED: Record<string, string> = {
  latency: 'a mapping { ms, jitter_ms }',
  'latency.ms': 'milliseconds ≥ 0',
  'latency.jitter_ms': 'milliseconds ≥ 0',
  bandwidth: 'a mapping { kbps }',
  'bandwidth.kbps': 'kilobits per second > 0',
  reset: 'a mapping { probability }',
  'reset.probability': 'a probability between 0 and 1',
  timeout: 'an empty mapping {}',
  down: 'an empty mapping {}',
}

function at(raw: unknown, path: readonly (string | number)[]): unknown {
  let v = raw
  for (const k of path)
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined
  return v
}

/**
 * Checks a fault object; the parsed faults, or issues whose paths are inside the object.
 *
 * @example
 * ```ts
 * parseFaults({ latency: { ms: 200 } }) // { faults: { latency: { ms: 200, jitter_ms: 0 } } }
 * parseFaults({ latncy: {} }).issues![0]!.message // 'unknown fault "latncy"; expected one of latency, …'
 * ```
 */
export function parseFaults(
  raw: unknown,
): { faults: Faults; issues?: never } | { faults?: never; issues: Issue[] } {
  const r = Faults.safeParse(raw)
  if (r.success) return { faults: r.data }
  const issues = r.error.issues.map((i): Issue => {
    const path = i.path.filter((p): p is string | number => typeof p !== 'symbol')
    if (i.code === 'unrecognized_keys') {
      const key = i.keys[0] ?? ''
      const top = path.length === 0
      return {
        code: i.code,
        path: [...path, key],
        message: top
          ? `unknown fault ${JSON.stringify(key)}; expected one of ${FAULT_NAMES.join(', ')}`
          : `unknown key ${JSON.stringify(key)}; expected ${EXPECTED[path.join('.')] ?? 'no keys'}`,
      }
    }
    const expected =
      path.length === 0 ? `a fault object such as { "latency": { "ms": 200 } }` : EXPECTED[path.join('.')]
    return {
      code: i.code,
      path,
      message: `expected ${expected ?? i.message}, got ${describeValue(at(raw, path))}`,
    }
  })
  return { issues }
}

/** One line for people: `latency 800±100 ms, reset 0.5`; `none` for no fault. */
export function describeFaults(f: Faults): string {
  const parts: string[] = []
  if (f.latency !== undefined)
    parts.push(`latency ${f.latency.ms}${f.latency.jitter_ms > 0 ? `±${f.latency.jitter_ms}` : ''} ms`)
  if (f.bandwidth !== undefined) parts.push(`bandwidth ${f.bandwidth.kbps} kbps`)
  if (f.reset !== undefined) parts.push(`reset ${f.reset.probability}`)
  if (f.timeout !== undefined) parts.push('timeout')
  if (f.down !== undefined) parts.push('down')
  return parts.length === 0 ? 'none' : parts.join(', ')
}
