/** The shared HTTP helpers of src/server/http.ts, by property: byte ranges as RFC 9110 defines them. */
import { describe, expect, it } from 'vitest'
import { parseRange } from '../src/server/http.ts'

describe('parseRange', () => {
  it('gives the span RFC 9110 defines, 416 when nothing is satisfiable, and ignores what it cannot read', async () => {
    const { default: fc } = await import('fast-check')
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1200), fc.nat(1200), (size, a, b) => {
        // first-last: clipped to the body; unsatisfiable when it starts past the end.
        const closed = parseRange(`bytes=${a}-${b}`, size)
        if (a > b || a >= size) expect(closed).toBe('unsatisfiable')
        else expect(closed).toEqual({ start: a, end: Math.min(b, size - 1) })
        // first-: to the end.
        expect(parseRange(`bytes=${a}-`, size)).toEqual(
          a >= size ? 'unsatisfiable' : { start: a, end: size - 1 },
        )
        // -suffix: the last bytes; a zero suffix or an empty body satisfies nothing.
        const suffix = parseRange(`bytes=-${b}`, size)
        if (b === 0 || size === 0) expect(suffix).toBe('unsatisfiable')
        else expect(suffix).toEqual({ start: Math.max(size - b, 0), end: size - 1 })
      }),
    )
    for (const ignored of ['bytes=-', 'bytes=0-1,3-4', 'items=0-1', 'bytes=a-b', ''])
      expect(parseRange(ignored, 10), ignored).toBeUndefined()
    expect(parseRange(' bytes=2-3 ', 10)).toEqual({ start: 2, end: 3 })
  })
})
