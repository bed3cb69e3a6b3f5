/**
 * What a crashed model command's standard error says went wrong, for `check --run`: the exception
 * and where it was raised, not the last lines of the output (for Node those are the runtime's
 * version banner; for Python, log lines printed after a traceback hide it). Recognises a Python
 * traceback (the last one: a chained exception's final error), a JavaScript/Node error with its
 * `at …` stack and Java-style `Exception … at` stacks; anything else falls back to the last lines.
 */

/** The exception line and its innermost frame, or the last non-empty lines of `stderr`. */
export function describeFailure(stderr: string, tailLines = 3): string {
  const lines = stderr.replace(/\r\n?/g, '\n').split('\n')
  return (
    pythonException(lines) ??
    stackException(lines) ??
    lastLines(lines, tailLines) ??
    '(no standard error output)'
  )
}

/** Python: the last `Traceback (most recent call last):` block's exception and innermost frame. */
function pythonException(lines: string[]): string | undefined {
  let start = -1
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^Traceback \(most recent call last\):\s*$/.test(lines[i]!)) {
      start = i
      break
    }
  }
  if (start < 0) return undefined
  let frame: string | undefined
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!
    const at = /^\s+File "(.*)", line (\d+)(?:, in (.*))?$/.exec(line)
    if (at !== null) {
      frame = `${at[1]}, line ${at[2]}${at[3] === undefined ? '' : `, in ${at[3]}`}`
      continue
    }
    if (line.trim() === '' || /^\s/.test(line)) continue
    // The first line back at the margin is the exception (`ValueError: …`, `KeyboardInterrupt`).
    return frame === undefined ? line.trim() : `${line.trim()}\n  at ${frame}`
  }
  return undefined
}

/** JavaScript and Java: the last line (not itself a frame) that an `at …` frame follows. */
function stackException(lines: string[]): string | undefined {
  for (let i = lines.length - 2; i >= 0; i--) {
    const next = lines[i + 1]!
    if (!/^\s+at\s/.test(next)) continue
    const line = lines[i]!.trim()
    if (line === '' || /^at\s/.test(line)) continue
    return `${line}\n  ${next.trim()}`
  }
  return undefined
}

function lastLines(lines: string[], n: number): string | undefined {
  const kept = lines
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && !/^Node\.js v\d/.test(l.trim()))
    .slice(-n)
  return kept.length === 0 ? undefined : kept.join('\n')
}
