/**
 * Strings matching a regular expression, via randexp driven by goldgen's seeded stream.
 * Unbounded repetition (`*`, `+`, `{n,}`) stops at 8 extra repeats; a pattern whose longest
 * string would exceed MAX_PATTERN_LENGTH (`a{1000000000}`) is refused before anything is made.
 * Generated strings are checked against the pattern with a linear-time engine (`src/core/regex.ts`).
 */
import randexp from 'randexp'
import { blockRng, type Rng, sfc32 } from '../src/core/random.ts'
import { compileLinear } from '../src/core/regex.ts'

const MAX_REPEAT = 8

/** The longest string a pattern may make, in characters. */
export const MAX_PATTERN_LENGTH = 100_000

// randexp is CommonJS (`module.exports = RandExp`) while its types declare a default export.
const RandExp = ((randexp as unknown as { default?: typeof randexp }).default ??
  randexp) as unknown as typeof randexp.default

/** A token of randexp's parse tree (the `ret` tokenizer's shape). */
type Token = {
  type: number
  stack?: Token[]
  options?: Token[][]
  min?: number
  max?: number
  value?: Token | number
}
const REPETITION = 5
const POSITION = 2
const REFERENCE = 6

/** The longest string a token makes, as randexp generates it (capped at `limit + 1`). */
function longest(token: Token, limit: number): number {
  const seq = (stack: Token[]) => stack.reduce((n, t) => Math.min(n + longest(t, limit), limit + 1), 0)
  if (token.options !== undefined) return Math.max(0, ...token.options.map(seq))
  if (token.stack !== undefined) return seq(token.stack)
  if (token.type === REPETITION) {
    const times = token.max === Infinity ? (token.min ?? 0) + MAX_REPEAT : (token.max ?? 0)
    if (times > limit) return limit + 1
    return Math.min(times * longest(token.value as Token, limit), limit + 1)
  }
  if (token.type === POSITION || token.type === REFERENCE) return 0
  return 1
}

/** The longest string goldgen makes from a pattern, in characters (more than the cap: cap + 1). */
export function patternLongest(pattern: string): number {
  return longest((new RandExp(pattern) as unknown as { tokens: Token }).tokens, MAX_PATTERN_LENGTH)
}

export function patternSampler(pattern: string): (rng: Rng) => string {
  const gen = new RandExp(pattern)
  const size = longest((gen as unknown as { tokens: Token }).tokens, MAX_PATTERN_LENGTH)
  if (size > MAX_PATTERN_LENGTH)
    throw new Error(
      `its strings could be longer than ${MAX_PATTERN_LENGTH} characters (count the repetitions); use smaller counts`,
    )
  gen.max = MAX_REPEAT
  // randexp expands a character class into a range set on every draw; the set depends only on
  // the token, so it is expanded once (the same draws, the same strings, several times faster).
  const g = gen as unknown as { _expand(token: object): unknown }
  const expand = g._expand.bind(gen)
  const expanded = new Map<object, unknown>()
  g._expand = (token) => {
    let set = expanded.get(token)
    if (set === undefined) {
      set = expand(token)
      expanded.set(token, set)
    }
    return set
  }
  let current: Rng = sfc32(0, 0, 0, 0)
  gen.randInt = (a: number, b: number) => a + current.below(b - a + 1)
  return (rng) => {
    current = rng
    return gen.gen()
  }
}

/** Why a pattern cannot be used, or undefined when generated strings match it. */
export function checkPattern(pattern: string): string | undefined {
  try {
    new RegExp(`^(?:${pattern})$`, 'u')
  } catch (e) {
    return `not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`
  }
  let sample: (rng: Rng) => string
  try {
    sample = patternSampler(pattern)
  } catch (e) {
    return `goldgen cannot generate from this pattern: ${(e as Error).message}`
  }
  const re = compileLinear(`^(?:${pattern})$`)
  if ('error' in re) return re.error
  const rng = blockRng(0, pattern, 'pattern-check', 0)
  for (let i = 0; i < 64; i++) {
    const s = sample(rng)
    if (!re.test(s)) {
      return `goldgen cannot generate strings that match this pattern (it made ${JSON.stringify(s)}); word boundaries and other assertions are not supported`
    }
  }
  return undefined
}
