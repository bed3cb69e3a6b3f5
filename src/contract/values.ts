/**
 * Values on the wire for the contract runner: JSON with and without NaN/±Infinity tokens (Python's
 * json module writes and reads them, strict JSON has none), and spotting what an error body must
 * never show (a stack trace, an internal file path).
 */

const NON_FINITE = /"\\u0000(NaN|Infinity|-Infinity)\\u0000"/g

/**
 * JSON text in which NaN and ±Infinity are the bare tokens `NaN`, `Infinity`, `-Infinity`
 * (what Python's json module, and so pandas-based servers such as MLflow's, read and write).
 */
export function stringifyNonFinite(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    typeof v === 'number' && !Number.isFinite(v) ? `\u0000${String(v)}\u0000` : v,
  ).replace(NON_FINITE, '$1')
}

/**
 * Parses JSON that may hold the bare tokens NaN, Infinity and -Infinity outside strings;
 * undefined when the text is not JSON even so.
 */
export function parseLenientJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    // Rewrite the bare tokens (outside strings) into marked strings, then restore them.
    let out = ''
    let inString = false
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!
      if (inString) {
        out += ch
        if (ch === '\\') {
          out += text[i + 1] ?? ''
          i++
        } else if (ch === '"') inString = false
        continue
      }
      if (ch === '"') {
        inString = true
        out += ch
        continue
      }
      const token = /^(-?Infinity|NaN)/.exec(text.slice(i, i + 9))
      if (token !== null) {
        out += `"\\u0000${token[1]}"`
        i += token[1]!.length - 1
        continue
      }
      out += ch
    }
    try {
      return JSON.parse(out, (_k, v) =>
        typeof v === 'string' && v.startsWith('\u0000') ? Number(v.slice(1)) : v,
      )
    } catch {
      return undefined
    }
  }
}

const STACK_TRACES: [RegExp, string][] = [
  [/Traceback \(most recent call last\)/, 'a Python traceback'],
  [/File "[^"]+", line \d+/, 'a Python stack frame'],
  [/\n\s*at [\w.$<>[\] ]+ \(.*:\d+:\d+\)/, 'a JavaScript stack trace'],
  [/\n\s*at .+:\d+:\d+/, 'a JavaScript stack trace'],
  [/\bat [\w$.]+\([\w$]+\.java:\d+\)/, 'a Java stack trace'],
  [/goroutine \d+ \[/, 'a Go stack trace'],
  [/panicked at /, 'a Rust panic'],
]

const INTERNAL_PATHS =
  /(?:^|[\s"'(=:])((?:\/(?:usr|home|opt|var|srv|app|root|tmp|etc|workspace|build|src)\/[\w.@+-]+(?:\/[\w.@+-]+)+)|[A-Za-z]:\\[\w.\\ -]+|[\w/.-]*(?:site-packages|node_modules|dist-packages)\/[\w./-]+)/

/** What an error body leaks (a stack trace, an internal path), or undefined when it leaks nothing. */
export function leakIn(body: string): string | undefined {
  for (const [re, what] of STACK_TRACES) if (re.test(body)) return what
  const path = INTERNAL_PATHS.exec(body)
  if (path !== null) return `an internal path (${path[1]!.slice(0, 80)})`
  return undefined
}

/** A short excerpt of a body for a report. */
export function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
