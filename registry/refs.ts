/**
 * References and names. Datasets: `NAME` (latest), `NAME@3`, `NAME@ALIAS`, `NAME@sha256:PREFIX`.
 * Models: `MODEL@VERSION`. Names are lowercase letters, digits, `.`, `_` and `-`; never `/`, `..`
 * or control characters, so they are safe in paths, URLs and shells.
 */
import { GoldgenError } from '../src/core/errors.ts'

const NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/
const ALIAS = /^[a-z][a-z0-9._-]{0,63}$/
const MODEL_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/

export type Selector =
  | { kind: 'latest' }
  | { kind: 'number'; version: number }
  | { kind: 'alias'; alias: string }
  | { kind: 'sha256'; prefix: string }

export interface DatasetRef {
  name: string
  selector: Selector
  text: string
}

function describeBad(s: string): string {
  if (s.includes('/')) return 'contains "/"'
  if (s.includes('..')) return 'contains ".."'
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we look for
  if (/[\u0000-\u001f\u007f]/.test(s)) return 'contains a control character'
  if (s === '') return 'is empty'
  return 'has characters other than lowercase letters, digits, ".", "_" and "-", or does not start with a letter or digit'
}

/** Checks a dataset or model name. */
export function checkName(what: string, name: string): string {
  if (!NAME.test(name) || name.includes('..')) {
    throw new GoldgenError('USAGE', `invalid ${what} name ${JSON.stringify(name)}: it ${describeBad(name)}`)
  }
  return name
}

/** Checks an alias name (it must start with a letter, so it never looks like a version number). */
export function checkAlias(alias: string): string {
  if (!ALIAS.test(alias) || alias.includes('..') || alias === 'latest') {
    throw new GoldgenError(
      'USAGE',
      `invalid alias ${JSON.stringify(alias)}: expected a lowercase name starting with a letter (letters, digits, ".", "_", "-"), not "latest"`,
    )
  }
  return alias
}

/** Parses a dataset reference. */
export function parseDatasetRef(text: string): DatasetRef {
  const at = text.indexOf('@')
  const name = checkName('dataset', at < 0 ? text : text.slice(0, at))
  if (at < 0) return { name, selector: { kind: 'latest' }, text }
  const rest = text.slice(at + 1)
  if (/^[1-9][0-9]*$/.test(rest)) return { name, selector: { kind: 'number', version: Number(rest) }, text }
  if (rest.startsWith('sha256:')) {
    const prefix = rest.slice(7)
    if (!/^[0-9a-f]{4,64}$/.test(prefix)) {
      throw new GoldgenError(
        'USAGE',
        `malformed reference ${JSON.stringify(text)}: after sha256: expected 4 to 64 lowercase hex digits`,
      )
    }
    return { name, selector: { kind: 'sha256', prefix }, text }
  }
  if (rest === 'latest') return { name, selector: { kind: 'latest' }, text }
  if (ALIAS.test(rest)) return { name, selector: { kind: 'alias', alias: rest }, text }
  throw new GoldgenError(
    'USAGE',
    `malformed reference ${JSON.stringify(text)}: expected NAME, NAME@3, NAME@ALIAS or NAME@sha256:PREFIX`,
  )
}

/** Parses `MODEL@VERSION`. */
export function parseModelRef(text: string): { model: string; version: string } {
  const at = text.indexOf('@')
  if (at < 0)
    throw new GoldgenError(
      'USAGE',
      `malformed model reference ${JSON.stringify(text)}: expected MODEL@VERSION, e.g. churn@1.2.0`,
    )
  const model = checkName('model', text.slice(0, at))
  const version = text.slice(at + 1)
  if (!MODEL_VERSION.test(version)) {
    throw new GoldgenError(
      'USAGE',
      `malformed model version ${JSON.stringify(version)} in ${JSON.stringify(text)}: expected letters, digits, ".", "+", "_", "-"`,
    )
  }
  return { model, version }
}
