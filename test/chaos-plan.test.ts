/**
 * Chaos plans (`goldgen contract --chaos plan.yaml`): the issue's plan read as written, every
 * problem named with file, path and line; and the round trips of durations, HOST:PORT
 * addresses and fault objects.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatHostPort, parseHostPort } from '../src/chaos/address.ts'
import { describeFaults, parseFaults } from '../src/chaos/faults.ts'
import { formatDuration, loadPlan, parseDuration } from '../src/chaos/plan.ts'
import { formatError, GoldgenError } from '../src/core/errors.ts'
import { tempDir } from './helpers.ts'

describe('plans, addresses, durations', () => {
  const dir = tempDir()
  const write = (name: string, text: string) => {
    const file = join(dir, name)
    writeFileSync(file, text)
    return file
  }

  it('reads the plan of the issue', () => {
    const file = write(
      'ok.yaml',
      `control: http://127.0.0.1:8474     # the running proxy's control API
recover_within: 2s
windows:
  - { name: slow-store, after: 1s, for: 3s, fault: { latency: { ms: 800, jitter_ms: 100 } } }
  - { name: store-down, after: 5s, for: 2s, fault: { down: {} } }
`,
    )
    expect(loadPlan(file)).toEqual({
      file,
      control: 'http://127.0.0.1:8474',
      recoverWithinMs: 2000,
      windows: [
        { name: 'slow-store', afterMs: 1000, forMs: 3000, fault: { latency: { ms: 800, jitter_ms: 100 } } },
        { name: 'store-down', afterMs: 5000, forMs: 2000, fault: { down: {} } },
      ],
    })
  })

  it('names the file, the path and the line of every problem', () => {
    const file = write(
      'bad.yaml',
      `control: ftp://nowhere
recover_within: soon
windows:
  - { name: a, after: 1s, for: 2s, fault: { latency: { ms: 10 } } }
  - { name: b, after: 2s, for: 1s, fault: { down: {} } }
  - { name: c, after: 9s, for: 1s, fault: { slow: {} } }
  - { name: d, after: 20s, for: 1s, fault: { latency: { ms: -1 } } }
`,
    )
    let error: unknown
    try {
      loadPlan(file)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(GoldgenError)
    const text = formatError(error as GoldgenError)
    expect(text).toContain(`${file}: invalid chaos plan (5 problems)`)
    expect(text).toMatch(/ {2}control \(line 1, column 10\): expected the fault proxy's control API/)
    expect(text).toMatch(/ {2}recover_within \(line 2, column 17\): expected a duration > 0/)
    expect(text).toMatch(
      / {2}windows\[3\]\.fault\.latency\.ms \(line 7, column \d+\): expected milliseconds ≥ 0, got -1/,
    )
    expect(text).toMatch(
      / {2}windows\[1\]\.after \(line 5, column \d+\): starts at 2s, before the window "a" ends at 3s/,
    )
    expect(text).toMatch(/ {2}windows\[2\]\.fault\.slow \(line 6, column \d+\): unknown fault "slow"/)
    expect(() => loadPlan(join(dir, 'missing.yaml'))).toThrow(/file not found/)
    expect(() => loadPlan(write('syntax.yaml', 'windows: [\n'))).toThrow(GoldgenError)
  })

  it('durations, addresses and fault objects read back what they write', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_600_000 }), (ms) => parseDuration(formatDuration(ms)) === ms),
    )
    fc.assert(
      fc.property(
        fc.oneof(fc.ipV4(), fc.constantFrom('localhost', '::1', 'fe80::1')),
        fc.integer({ min: 0, max: 65535 }),
        (host, port) => {
          expect(parseHostPort('--listen', formatHostPort({ host, port }))).toEqual({ host, port })
        },
      ),
    )
    fc.assert(
      fc.property(
        fc.record(
          {
            latency: fc.record({ ms: fc.nat(10_000), jitter_ms: fc.nat(1000) }),
            bandwidth: fc.record({ kbps: fc.integer({ min: 1, max: 1e6 }) }),
            reset: fc.record({ probability: fc.double({ min: 0, max: 1, noNaN: true }) }),
            timeout: fc.constant({}),
            down: fc.constant({}),
          },
          { requiredKeys: [] },
        ),
        (faults) => {
          const parsed = parseFaults(faults)
          expect(parsed.issues).toBeUndefined()
          expect(parsed.faults).toEqual(faults)
          const words = describeFaults(faults)
          if (Object.keys(faults).length === 0) expect(words).toBe('none')
          for (const k of Object.keys(faults)) expect(words).toContain(k)
        },
      ),
    )
    expect(() => parseHostPort('--upstream', '127.0.0.1')).toThrow(/--upstream "127.0.0.1" is not HOST:PORT/)
    expect(() => parseHostPort('--listen', 'h:70000')).toThrow(/a port 0–65535/)
  })
})
