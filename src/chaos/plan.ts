/**
 * Chaos plans (`goldgen contract … --chaos plan.yaml`): which fault proxy to drive (`control`),
 * how soon the model must answer correctly after the last window (`recover_within`) and the
 * windows, each a fault put on `after` the start for `for`. Durations are `2s`, `500ms`, `1.5s`
 * or `1m`. Windows run in order and never overlap (several faults at once go in one fault
 * object). Every problem names the file, the path and the line.
 */
import { describeValue, GoldgenError, type Issue } from '../core/errors.ts'
import { readTextFile } from '../core/files.ts'
import { type Locator, parseYamlWithPositions } from '../core/yaml.ts'
import { type Faults, parseFaults } from './faults.ts'

export interface ChaosWindow {
  name: string
  /** Milliseconds from the start of the run until the fault goes on. */
  afterMs: number
  /** Milliseconds the fault stays on. */
  forMs: number
  fault: Faults
}

export interface ChaosPlan {
  file: string
  /** The control API's base URL (without /faults). */
  control: string
  recoverWithinMs: number
  windows: ChaosWindow[]
}

/** What `recover_within` is when the plan leaves it out. */
export const DEFAULT_RECOVER_WITHIN_MS = 5000

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 }
const KEYS = ['control', 'recover_within', 'windows']
const WINDOW_KEYS = ['name', 'after', 'for', 'fault']

/** Milliseconds of a duration such as `2s`, `500ms`, `1.5s` or `1m`; undefined when it is not one. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$/.exec(text)
  if (m === null) return undefined
  const ms = Number(m[1]) * UNITS[m[2]!]!
  return Number.isFinite(ms) ? Math.round(ms) : undefined
}

/** A duration for people: `500ms`, `2s`, `1.5s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 || ms % 100 !== 0 ? `${ms}ms` : `${ms / 1000}s`
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function checkUrl(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined
  try {
    const url = new URL(v)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  } catch {
    return undefined
  }
  return v.replace(/\/+$/, '').replace(/\/faults$/, '')
}

function checkWindow(raw: unknown, i: number, issues: Issue[]): ChaosWindow | undefined {
  const at = (...p: (string | number)[]) => ['windows', i, ...p]
  const problem = (path: (string | number)[], message: string) =>
    issues.push({ code: 'invalid', path, message })
  if (!isMapping(raw)) {
    problem(at(), `expected a window { name, after, for, fault }, got ${describeValue(raw)}`)
    return undefined
  }
  const before = issues.length
  for (const k of Object.keys(raw))
    if (!WINDOW_KEYS.includes(k))
      problem(at(k), `unknown key ${JSON.stringify(k)}; expected one of ${WINDOW_KEYS.join(', ')}`)
  const { name, after, for: length, fault } = raw
  if (typeof name !== 'string' || name.trim() === '')
    problem(
      at('name'),
      `expected a name for the window (it names the window in the report), got ${describeValue(name)}`,
    )
  const afterMs = parseDuration(after)
  if (afterMs === undefined)
    problem(
      at('after'),
      `expected a duration from the start such as 1s or 500ms, got ${describeValue(after)}`,
    )
  const forMs = parseDuration(length)
  if (forMs === undefined || forMs <= 0)
    problem(at('for'), `expected a duration > 0 such as 3s or 500ms, got ${describeValue(length)}`)
  const parsed = parseFaults(fault ?? null)
  if (parsed.issues !== undefined)
    for (const issue of parsed.issues) issues.push({ ...issue, path: at('fault', ...issue.path) })
  if (issues.length > before || parsed.issues !== undefined) return undefined
  return { name: name as string, afterMs: afterMs!, forMs: forMs!, fault: parsed.faults }
}

/** Validates a parsed plan; issues carry paths (and lines, through `locate`). */
export function validatePlan(raw: unknown, file: string, locate: Locator = () => undefined): ChaosPlan {
  const issues: Issue[] = []
  const problem = (path: (string | number)[], message: string) =>
    issues.push({ code: 'invalid', path, message })
  let control: string | undefined
  let recoverWithinMs = DEFAULT_RECOVER_WITHIN_MS
  const windows: ChaosWindow[] = []
  if (!isMapping(raw))
    problem([], `expected a mapping with control, recover_within and windows, got ${describeValue(raw)}`)
  else {
    for (const k of Object.keys(raw))
      if (!KEYS.includes(k))
        problem([k], `unknown key ${JSON.stringify(k)}; expected one of ${KEYS.join(', ')}`)
    control = checkUrl(raw.control)
    if (control === undefined)
      problem(
        ['control'],
        `expected the fault proxy's control API, an http:// URL such as http://127.0.0.1:8474, got ${describeValue(raw.control)}`,
      )
    if (raw.recover_within !== undefined) {
      const ms = parseDuration(raw.recover_within)
      if (ms === undefined || ms <= 0)
        problem(
          ['recover_within'],
          `expected a duration > 0 such as 2s or 500ms, got ${describeValue(raw.recover_within)}`,
        )
      else recoverWithinMs = ms
    }
    if (!Array.isArray(raw.windows) || raw.windows.length === 0)
      problem(
        ['windows'],
        `expected a list of one or more windows { name, after, for, fault }, got ${describeValue(raw.windows)}`,
      )
    else
      for (const [i, w] of raw.windows.entries()) {
        const window = checkWindow(w, i, issues)
        if (window === undefined) continue
        const previous = windows.at(-1)
        if (windows.some((x) => x.name === window.name))
          problem(
            ['windows', i, 'name'],
            `another window is named ${JSON.stringify(window.name)}: names must differ`,
          )
        else if (previous !== undefined && window.afterMs < previous.afterMs + previous.forMs)
          problem(
            ['windows', i, 'after'],
            `starts at ${formatDuration(window.afterMs)}, before the window ${JSON.stringify(previous.name)} ends at ${formatDuration(previous.afterMs + previous.forMs)}: windows run one after another and must not overlap (put several faults in one fault object instead)`,
          )
        windows.push(window)
      }
  }
  if (issues.length > 0)
    throw new GoldgenError(
      'USAGE',
      `invalid chaos plan (${issues.length} problem${issues.length === 1 ? '' : 's'})`,
      {
        file,
        issues: issues.map((i) => {
          const pos = locate(i.path)
          return pos === undefined ? i : { ...i, line: pos.line, column: pos.column }
        }),
      },
    )
  return { file, control: control!, recoverWithinMs, windows }
}

/**
 * Reads and checks a chaos plan file.
 *
 * @example
 * ```ts
 * const plan = loadPlan('chaos.yaml')
 * plan.windows.map((w) => w.name) // ['slow-store', 'store-down']
 * ```
 */
export function loadPlan(file: string): ChaosPlan {
  const { raw, locate } = parseYamlWithPositions(readTextFile(file), file)
  return validatePlan(raw, file, locate)
}
