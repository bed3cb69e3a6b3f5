/**
 * Planning: a validated definition plus run options (seed, rows, offset) become the list of
 * columns with their generators, after the semantic checks the language cannot express.
 */
import { generators } from '../../generators/index.ts'
import type { BlockKind, GeneratorPlugin } from '../../generators/types.ts'
import type { ColumnDef, DatasetDef } from '../../schemas/language.ts'
import { type Locator, plural, withLocation } from '../../schemas/parse.ts'
import { GoldgenError, type Issue } from '../errors.ts'

export const DEFAULT_ROWS = 1000
export const DEFAULT_SEED = 0

export interface RunOptions {
  seed?: number | undefined
  rows?: number | undefined
  offset?: number | undefined
}

export interface PlannedColumn {
  name: string
  spec: ColumnDef
  plugin: GeneratorPlugin
  kind: BlockKind
  dictionary?: readonly string[] | undefined
}

export interface Plan {
  def: DatasetDef
  seed: number
  rows: number
  offset: number
  columns: PlannedColumn[]
}

export interface SourceInfo {
  file?: string | undefined
  locate?: Locator | undefined
}

function checkRunOptions({ seed, rows, offset }: RunOptions): void {
  const bad = (what: string, v: number, expected: string) =>
    new GoldgenError('USAGE', `${what} must be ${expected}, got ${v}`)
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))
    throw bad('--seed', seed, 'an integer from 0 to 4294967295')
  if (rows !== undefined && !(Number.isSafeInteger(rows) && rows >= 0))
    throw bad('--rows', rows, 'a whole number ≥ 0')
  if (offset !== undefined && !(Number.isSafeInteger(offset) && offset >= 0))
    throw bad('--offset', offset, 'a whole number ≥ 0')
}

/** Checks a definition for a run and returns its plan. Throws GoldgenError (SCHEMA_INVALID, NOT_SUPPORTED, USAGE). */
export function planDataset(def: DatasetDef, options: RunOptions = {}, source: SourceInfo = {}): Plan {
  checkRunOptions(options)
  const seed = options.seed ?? def.seed ?? DEFAULT_SEED
  const rows = options.rows ?? def.rows ?? DEFAULT_ROWS
  const offset = options.offset ?? 0
  const issues: Issue[] = []
  const unsupported: Issue[] = []
  const columns: PlannedColumn[] = []
  for (const [name, spec] of Object.entries(def.columns)) {
    const plugin = generators[spec.type] as GeneratorPlugin
    for (const i of plugin.check?.(spec, { rows: offset + rows }) ?? []) {
      issues.push({ code: 'invalid_spec', path: ['columns', name, ...i.path], message: i.message })
    }
    for (const key of ['missing', 'edge_cases'] as const) {
      if (spec[key] !== undefined) {
        unsupported.push({
          code: 'not_supported',
          path: ['columns', name, key],
          message: `${key} is not supported yet in this version of goldgen`,
        })
      }
    }
    columns.push({ name, spec, plugin, kind: plugin.kind(spec), dictionary: plugin.dictionary?.(spec) })
  }
  if (def.coverage !== undefined) {
    unsupported.push({
      code: 'not_supported',
      path: ['coverage'],
      message: 'coverage is not supported yet in this version of goldgen',
    })
  }
  const locate = source.locate ?? (() => undefined)
  if (issues.length > 0) {
    throw new GoldgenError('SCHEMA_INVALID', `invalid schema (${plural(issues.length, 'problem')})`, {
      file: source.file,
      issues: issues.map((i) => withLocation(i, locate)),
    })
  }
  if (unsupported.length > 0) {
    throw new GoldgenError(
      'NOT_SUPPORTED',
      'the schema uses features this version of goldgen does not support yet',
      {
        file: source.file,
        issues: unsupported.map((i) => withLocation(i, locate)),
      },
    )
  }
  return { def, seed, rows, offset, columns }
}
