/**
 * The public domain of a private fit: for each column, the values it may take or its numeric
 * range and bins. It is declared (a domain YAML, or taken from a goldgen schema), never read
 * from the data: a domain learnt from the data would leak it.
 */
import { parseDocument } from 'yaml'
import type { DatasetDef } from '../../schemas/language.ts'
import { GoldgenError, type Issue } from '../core/errors.ts'
import { readTextFile } from '../core/files.ts'

export const DEFAULT_BINS = 10

export type DomainColumn =
  | { kind: 'values'; values: (string | number | boolean)[] }
  | {
      kind: 'range'
      min: number
      max: number
      bins: number
      integer: boolean
      edges: number[]
      /** Only `{ min, max }` was declared: `goldgen fit` chooses the bins (resolution.ts); `edges` are the fallback. */
      auto?: boolean
    }

export type Domain = Map<string, DomainColumn>

/** Cells of a column: its values or bins, then one for "missing". */
export const cellCount = (c: DomainColumn) => (c.kind === 'values' ? c.values.length : c.bins) + 1

/** The cell of a text value (null = missing; a value outside the domain counts as missing). */
export function cellOf(c: DomainColumn, text: string | null): number {
  const missing = cellCount(c) - 1
  if (text === null) return missing
  if (c.kind === 'values') {
    const i = c.values.findIndex((v) => String(v) === text)
    return i < 0 ? missing : i
  }
  const x = Number(text)
  if (text.trim() === '' || Number.isNaN(x)) return missing
  const clipped = Math.min(c.max, Math.max(c.min, x))
  // The bin [edges[i], edges[i+1]) holding the value; the last bin includes max.
  let lo = 0
  let hi = c.bins - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (clipped >= c.edges[mid]!) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** Bin edges of a range column. */
export const edgesOf = (c: Extract<DomainColumn, { kind: 'range' }>) => c.edges

const equalWidth = (min: number, max: number, bins: number) =>
  Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + ((max - min) * i) / bins))

function fail(file: string, issues: Issue[]): never {
  throw new GoldgenError('SCHEMA_INVALID', 'invalid domain', { file, issues })
}

/**
 * Reads a domain YAML: `column: [values…]` or `column: { min, max, bins?, type?: int|float }`,
 * where `bins` is a number of equal-width bins or a list of edges from min to max; without
 * `bins`, `goldgen fit` chooses the resolution (src/privacy/resolution.ts).
 */
export function parseDomain(raw: unknown, file: string): Domain {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    fail(file, [
      { code: 'type', path: [], message: 'expected a mapping from column name to values or { min, max }' },
    ])
  }
  const domain: Domain = new Map()
  const issues: Issue[] = []
  for (const [name, spec] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(spec)) {
      const ok = spec.length > 0 && spec.every((v) => ['string', 'number', 'boolean'].includes(typeof v))
      const distinct = new Set(spec.map(String)).size === spec.length
      if (!ok || !distinct) {
        issues.push({
          code: 'values',
          path: [name],
          message: 'expected a non-empty list of distinct strings, numbers or booleans',
        })
      } else domain.set(name, { kind: 'values', values: spec as (string | number | boolean)[] })
      continue
    }
    const s = spec as Record<string, unknown> | null
    if (
      s === null ||
      typeof s !== 'object' ||
      typeof s.min !== 'number' ||
      typeof s.max !== 'number' ||
      !(s.max > s.min)
    ) {
      issues.push({
        code: 'range',
        path: [name],
        message: 'expected a list of values, or { min, max } with min < max',
      })
      continue
    }
    const auto = s.bins === undefined
    const bins = s.bins ?? DEFAULT_BINS
    let edges: number[]
    if (Array.isArray(bins)) {
      const ok =
        bins.length >= 2 &&
        bins.every((e, i) => typeof e === 'number' && (i === 0 || e > (bins[i - 1] as number))) &&
        bins[0] === s.min &&
        bins.at(-1) === s.max
      if (!ok) {
        issues.push({
          code: 'bins',
          path: [name, 'bins'],
          message: 'expected increasing bin edges from min to max',
        })
        continue
      }
      edges = bins as number[]
    } else if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < 1 || bins > 10_000) {
      issues.push({
        code: 'bins',
        path: [name, 'bins'],
        message: 'expected a number of bins from 1 to 10000, or a list of edges',
      })
      continue
    } else edges = equalWidth(s.min, s.max, bins)
    const type = s.type ?? (Number.isInteger(s.min) && Number.isInteger(s.max) ? 'int' : 'float')
    if (type !== 'int' && type !== 'float') {
      issues.push({ code: 'type', path: [name, 'type'], message: 'expected int or float' })
      continue
    }
    const unknown = Object.keys(s).filter((k) => !['min', 'max', 'bins', 'type'].includes(k))
    if (unknown.length > 0)
      issues.push({
        code: 'key',
        path: [name, unknown[0]!],
        message: 'unknown key; expected min, max, bins, type',
      })
    domain.set(name, {
      kind: 'range',
      min: s.min,
      max: s.max,
      bins: edges.length - 1,
      integer: type === 'int',
      edges,
      ...(auto ? { auto } : {}),
    })
  }
  if (issues.length > 0) fail(file, issues)
  if (domain.size === 0) fail(file, [{ code: 'empty', path: [], message: 'the domain names no columns' }])
  return domain
}

/** The public domain a goldgen schema declares: category values, bools, int/float min and max. */
export function domainFromSchema(def: DatasetDef, file: string): Domain {
  if (def.columns === undefined)
    fail(file, [{ code: 'columns', path: [], message: 'a domain schema needs `columns`' }])
  const domain: Domain = new Map()
  const issues: Issue[] = []
  for (const [name, spec] of Object.entries(def.columns!)) {
    if (spec.type === 'category') {
      domain.set(name, {
        kind: 'values',
        values: Array.isArray(spec.values) ? spec.values : Object.keys(spec.values ?? {}),
      })
    } else if (spec.type === 'bool') domain.set(name, { kind: 'values', values: ['true', 'false'] })
    else if (
      (spec.type === 'int' || spec.type === 'float') &&
      spec.min !== undefined &&
      spec.max !== undefined &&
      spec.max > spec.min
    ) {
      domain.set(name, {
        kind: 'range',
        min: spec.min,
        max: spec.max,
        bins: DEFAULT_BINS,
        integer: spec.type === 'int',
        edges: equalWidth(spec.min, spec.max, DEFAULT_BINS),
        auto: true,
      })
    } else {
      issues.push({
        code: 'no_domain',
        path: ['columns', name],
        message: `${spec.type} column has no public domain; declare category values, or int/float min and max (or use a domain YAML)`,
      })
    }
  }
  if (issues.length > 0) fail(file, issues)
  return domain
}

/** Loads `--domain FILE`: a goldgen schema (has `goldgen: 1`) or a domain YAML. */
export function loadDomain(
  file: string,
  parseSchema: (text: string, file: string) => { def: DatasetDef },
): Domain {
  const text = readTextFile(file)
  const doc = parseDocument(text)
  if (doc.errors.length > 0)
    throw new GoldgenError('PARSE', `not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, { file })
  const raw = doc.toJS() as Record<string, unknown> | null
  if (raw !== null && typeof raw === 'object' && raw.goldgen === 1)
    return domainFromSchema(parseSchema(text, file).def, file)
  return parseDomain(raw, file)
}
