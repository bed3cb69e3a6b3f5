/**
 * Parsing dataset schemas from YAML or JSON text into a plain definition object, with
 * structured issues `{ code, path, message, line, column }` worded for people.
 */
import type { z } from 'zod'
import { describeValue, GoldgenError, type Issue } from '../src/core/errors.ts'
import { type Locator, parseYamlWithPositions } from '../src/core/yaml.ts'
import { Column, columnTypes, type DatasetDef, DatasetSchema, distributionNames } from './language.ts'

export type { Locator }

export interface ParsedSchema {
  def: DatasetDef
  /** The parsed document before validation (what the user wrote). */
  raw: unknown
  locate: Locator
}

/** Parses YAML (a superset of JSON) and validates it against the language. Throws GoldgenError. */
export function parseSchemaText(text: string, file = '<schema>'): ParsedSchema {
  const { raw, locate } = parseYamlWithPositions(text, file)
  return { def: validateDef(raw, file, locate), raw, locate }
}

/** Parses YAML (or JSON) text into the plain document and its locator, without validating it. */
export function parseSchemaDocument(text: string, file = '<schema>'): Omit<ParsedSchema, 'def'> {
  return parseYamlWithPositions(text, file)
}

/** Validates an already-parsed object (e.g. built in code) against the language. */
export function validateDef(raw: unknown, file = '<schema>', locate: Locator = () => undefined): DatasetDef {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new GoldgenError('SCHEMA_INVALID', 'invalid schema', {
      file,
      issues: [
        {
          code: 'invalid_type',
          path: [],
          message: `expected a mapping with goldgen: 1 and columns, got ${describeValue(raw)}`,
        },
      ],
    })
  }
  const reserved = reservedNames(raw, [])
  const result = DatasetSchema.safeParse(raw)
  if (result.success && reserved.length === 0) return result.data
  const issues = [...reserved, ...(result.success ? [] : result.error.issues)]
    .flatMap((i) => unwrapUnion(i, raw))
    .map((i) => withLocation(reword(i, raw), locate))
  throw new GoldgenError('SCHEMA_INVALID', `invalid schema (${plural(issues.length, 'problem')})`, {
    file,
    issues,
  })
}

/**
 * Every key named `__proto__` in the document (a column name, a category value in a weight map,
 * any other key): JavaScript objects cannot hold it as data, so it would vanish without a word;
 * it is refused with the reason instead. (`constructor`, `toString` and the like are ordinary names.)
 */
function reservedNames(raw: unknown, path: (string | number)[]): z.core.$ZodIssue[] {
  if (raw === null || typeof raw !== 'object') return []
  if (Array.isArray(raw)) return raw.flatMap((v, i) => reservedNames(v, [...path, i]))
  const out: z.core.$ZodIssue[] = []
  for (const key of Object.keys(raw)) {
    const at = [...path, key]
    if (key === '__proto__')
      out.push({
        code: 'custom',
        path: at,
        message:
          '"__proto__" cannot be a name in a goldgen schema (JavaScript reserves it, so it would be lost); rename it',
        input: undefined,
      } as z.core.$ZodIssue)
    else out.push(...reservedNames((raw as Record<string, unknown>)[key], at))
  }
  return out
}

/**
 * A union's problems, told by the branch the value was meant for: a mapping given where a rate or
 * a mapping is expected has its own problems (an item of a list, a key), named by their full path,
 * rather than "expected a rate or a mapping". Other union problems are kept as they are.
 */
export function unwrapUnion(issue: z.core.$ZodIssue, raw: unknown): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || 'discriminator' in issue) return [issue]
  const got = valueAt(
    raw,
    issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
  )
  if (got === null || typeof got !== 'object') return [issue]
  const typeMismatch = (i: z.core.$ZodIssue) => i.path.length === 0 && i.code === 'invalid_type'
  const meant = issue.errors.find((branch) => branch.length > 0 && !branch.some(typeMismatch))
  if (meant === undefined) return [issue]
  return meant.flatMap((i) => unwrapUnion({ ...i, path: [...issue.path, ...i.path] }, raw))
}

export function withLocation(issue: Issue, locate: Locator): Issue {
  const pos = locate(issue.path)
  return pos === undefined ? issue : { ...issue, line: pos.line, column: pos.column }
}

function reword(issue: z.core.$ZodIssue, raw: unknown): Issue {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
  const got = valueAt(raw, path)
  const base = { code: issue.code, path }
  switch (issue.code) {
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator === 'type') {
        return {
          ...base,
          message:
            got === undefined
              ? `missing column type; expected type: one of ${columnTypes.join(', ')}`
              : `unknown column type ${JSON.stringify(got)}; expected one of ${columnTypes.join(', ')}${suggest(String(got), columnTypes)}`,
        }
      }
      if (path.at(-1) === 'values') {
        return {
          ...base,
          message: `expected a list of values or a mapping of value → weight, got ${describeValue(got)}`,
        }
      }
      if (path.at(-1) === 'missing') {
        return {
          ...base,
          message: `expected a rate between 0 and 1, or a mapping with rate, count, when, as; got ${describeValue(got)}`,
        }
      }
      if (path.at(-1) === 'edge_cases') {
        return {
          ...base,
          message: `expected a rate between 0 and 1, or a mapping with rate, include, mode; got ${describeValue(got)}`,
        }
      }
      if (path.at(-2) === 'include')
        return { ...base, message: `expected the name of an edge-case kind, got ${describeValue(got)}` }
      return { ...base, message: `unexpected value ${describeValue(got)}` }
    }
    case 'unrecognized_keys': {
      const known = knownKeys(raw, path)
      return {
        ...base,
        path: [...path, issue.keys[0] ?? ''],
        message: issue.keys
          .map(
            (k) =>
              `unknown key ${JSON.stringify(k)}${known ? `; expected one of ${known.join(', ')}${suggest(k, known)}` : ''}`,
          )
          .join('; '),
      }
    }
    case 'invalid_type':
      if (got === undefined)
        return { ...base, message: `required key is missing (expected ${article(issue.expected)})` }
      return { ...base, message: `expected ${article(issue.expected)}, got ${describeValue(got)}` }
    case 'too_small':
    case 'too_big': {
      const op = issue.code === 'too_small' ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<'
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum
      if (issue.origin === 'array' || issue.origin === 'string') {
        const what = issue.origin === 'array' ? 'items' : 'characters'
        return { ...base, message: `expected ${op} ${String(bound)} ${what}, got ${describeValue(got)}` }
      }
      return { ...base, message: `expected a number ${op} ${String(bound)}, got ${describeValue(got)}` }
    }
    case 'invalid_value':
      return {
        ...base,
        message: `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(got)}`,
      }
    case 'invalid_format':
      return {
        ...base,
        message: `${issue.message.replace(/^Invalid string: /, '')}, got ${describeValue(got)}`,
      }
    default:
      if (path.at(-1) === '__proto__') return { ...base, message: issue.message }
      return { ...base, message: `${lowerFirst(issue.message)}, got ${describeValue(got)}` }
  }
}

const columnKeys: Record<string, string[]> = Object.fromEntries(
  Column.options.map((o) => [o.shape.type.value, Object.keys(o.shape)]),
)

function knownKeys(raw: unknown, path: (string | number)[]): string[] | undefined {
  if (path.length === 0) return Object.keys(DatasetSchema.shape)
  if (path.length === 1 && path[0] === 'coverage') return ['min_per_category', 'pairwise', 'bins']
  if (path[0] === 'columns' && path.length === 2) {
    const type = valueAt(raw, [...path, 'type'])
    return typeof type === 'string' ? columnKeys[type] : undefined
  }
  if (path.at(-1) === 'distribution') return [...distributionNames]
  return undefined
}

export function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = raw
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string | number, unknown>)[key]
  }
  return v
}

function article(type: string): string {
  const words: Record<string, string> = {
    number: 'a number',
    string: 'a string',
    object: 'a mapping',
    array: 'a list',
    boolean: 'true or false',
    int: 'an integer',
  }
  return words[type] ?? type
}

export function suggest(word: string, options: readonly string[]): string {
  let best: string | undefined
  let bestDistance = 3
  for (const o of options) {
    const d = levenshtein(word.toLowerCase(), o.toLowerCase())
    if (d < bestDistance) {
      best = o
      bestDistance = d
    }
  }
  return best === undefined ? '' : ` (did you mean ${JSON.stringify(best)}?)`
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    prev = cur
  }
  return prev[b.length] ?? 0
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * For `validate`, which reports every problem in one run: the part of an invalid document that
 * has no shape problem (each column with one left out, and any other top-level key with one),
 * validated, so its semantic checks can run too. Undefined when nothing usable is left.
 */
export function salvageDef(
  raw: unknown,
  issues: readonly Issue[],
): { def: DatasetDef; dropped: (string | number)[][] } | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined
  const copy = structuredClone(raw) as Record<string, unknown>
  const dropped: (string | number)[][] = []
  for (const { path } of issues) {
    const at = path.lastIndexOf('columns')
    const cut = at >= 0 && path.length > at + 1 ? path.slice(0, at + 2) : path.slice(0, 1)
    if (cut.length === 0 || cut[0] === 'goldgen') return undefined
    const parent = valueAt(copy, cut.slice(0, -1))
    if (parent === null || typeof parent !== 'object') continue
    delete (parent as Record<string | number, unknown>)[cut.at(-1)!]
    dropped.push(cut)
  }
  const result = DatasetSchema.safeParse(copy)
  return result.success ? { def: result.data, dropped } : undefined
}
