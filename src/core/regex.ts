/**
 * Regular expressions that cannot hang goldgen: patterns from schemas are matched with a
 * linear-time engine (RE2 semantics, via re2js), never with a backtracking one. A pattern RE2
 * cannot express (lookarounds, backreferences) is refused with the reason.
 */
import { RE2JS } from 're2js'

/** A compiled pattern: `test` finds a match anywhere, `matches` the whole string. */
export interface LinearPattern {
  test(s: string): boolean
  matches(s: string): boolean
  toString(): string
}

/** JavaScript escapes RE2 spells differently: `\uXXXX` and `\u{X…}` become `\x{X…}`. */
function toRe2Syntax(pattern: string): string {
  return pattern.replace(/(\\*)\\u(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{4}))/g, (all, slashes: string, a, b) =>
    slashes.length % 2 === 1 ? all : `${slashes}\\x{${a ?? b}}`,
  )
}

/** Compiles `pattern` for linear-time matching, or returns why it cannot be. */
export function compileLinear(pattern: string): LinearPattern | { error: string } {
  let re: RE2JS
  try {
    re = RE2JS.compile(toRe2Syntax(pattern))
  } catch (e) {
    const reason = (e as Error).message.replace(/^error parsing regexp: /, '')
    const hint = /repeat count/.test(reason)
      ? '; RE2 allows repetition counts up to 1000'
      : '; lookarounds (?=…) (?!…) and backreferences \\1 are not supported'
    return {
      error: `goldgen matches patterns in linear time (RE2 syntax) and cannot use this one: ${reason}${hint}`,
    }
  }
  // toString names the pattern: ajv keys its compiled patterns by it.
  return { test: (s) => re.test(s), matches: (s) => re.matches(s), toString: () => `/${pattern}/u` }
}
