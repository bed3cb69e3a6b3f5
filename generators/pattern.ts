/**
 * Strings matching a regular expression, via randexp driven by goldgen's seeded stream.
 * Unbounded repetition (`*`, `+`, `{n,}`) stops at 8 extra repeats.
 */
import randexp from 'randexp'
import { blockRng, type Rng, sfc32 } from '../src/core/random.ts'

const MAX_REPEAT = 8

// randexp is CommonJS (`module.exports = RandExp`) while its types declare a default export.
const RandExp = ((randexp as unknown as { default?: typeof randexp }).default ??
  randexp) as unknown as typeof randexp.default

export function patternSampler(pattern: string): (rng: Rng) => string {
  const gen = new RandExp(pattern)
  gen.max = MAX_REPEAT
  let current: Rng = sfc32(0, 0, 0, 0)
  gen.randInt = (a: number, b: number) => a + current.below(b - a + 1)
  return (rng) => {
    current = rng
    return gen.gen()
  }
}

/** Why a pattern cannot be used, or undefined when generated strings match it. */
export function checkPattern(pattern: string): string | undefined {
  let re: RegExp
  try {
    re = new RegExp(`^(?:${pattern})$`, 'u')
  } catch (e) {
    return `not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`
  }
  let sample: (rng: Rng) => string
  try {
    sample = patternSampler(pattern)
  } catch (e) {
    return `goldgen cannot generate from this pattern: ${(e as Error).message}`
  }
  const rng = blockRng(0, pattern, 'pattern-check', 0)
  for (let i = 0; i < 64; i++) {
    const s = sample(rng)
    if (!re.test(s)) {
      return `goldgen cannot generate strings that match this pattern (it made ${JSON.stringify(s)}); lookarounds, backreferences and word boundaries are not supported`
    }
  }
  return undefined
}
