/**
 * Differential privacy at the front door: `fitPrivateModel` (a private generator model fitted to
 * a data file, as a commented goldgen schema) and `privatizeFile` (a data file released with
 * noise on its `dp:` columns, written with its manifest). The noise is cryptographic unless an
 * insecure seed is given (tests only: the output then has no guarantee).
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parseSchemaText } from '../../schemas/parse.ts'
import { GoldgenError } from '../core/errors.ts'
import { csvQuote } from '../formats/csv.ts'
import { formatForPath } from '../formats/index.ts'
import { readCells } from '../infer/infer.ts'
import type { Budget } from '../privacy/accountant.ts'
import { loadDomain } from '../privacy/domain.ts'
import { type FitResult, fitModel } from '../privacy/fit.ts'
import { type PrivatizeResult, privatizeRows } from '../privacy/privatize.ts'
import { insecureSeededBits, type RandomBits, secureBits } from '../privacy/samplers.ts'
import { writeJsonFile } from './generate.ts'
import { loadSchema } from './load-schema.ts'
import { type ByteSink, fileSink } from './sink.ts'

export type { PrivacyRecord } from '../privacy/fit.ts'

export const NO_GUARANTEE =
  'WARNING: --insecure-seeded-noise is on: the noise is reproducible, so this output has NO differential-privacy guarantee. Use it only in tests.'

/** A data file's name and SHA-256: how the ledger knows a source. */
export const sourceOf = (file: string) => ({
  name: basename(file),
  sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
})

const bitsFor = (insecureSeed: string | undefined): RandomBits =>
  insecureSeed !== undefined ? insecureSeededBits(insecureSeed) : secureBits

export interface FitFileOptions {
  budget: Budget
  /** The public domain: a domain YAML or a goldgen schema. */
  domain: string
  method: 'tree' | 'independent'
  name?: string | undefined
  /** Reproducible noise for tests: NO privacy guarantee. */
  insecureSeed?: string | undefined
  /** Told `NO_GUARANTEE` once the input is read, when the noise is the insecure seeded one. */
  onInsecure?: ((warning: string) => void) | undefined
}

/** Fits a private model to a data file; `yaml` is the fitted schema with a header saying what it is. */
export async function fitPrivateModel(
  file: string,
  options: FitFileOptions,
): Promise<FitResult & { yaml: string }> {
  const { stringify } = await import('yaml')
  const domain = loadDomain(options.domain, parseSchemaText)
  const { names, rows } = await readCells(file, {})
  const absent = [...domain.keys()].filter((c) => !names.includes(c))
  if (absent.length > 0)
    throw new GoldgenError('USAGE', `the data has no column ${absent.join(', ')} named in the domain`, {
      file,
    })
  if (options.insecureSeed !== undefined) options.onInsecure?.(NO_GUARANTEE)
  const result = fitModel(names, rows, {
    budget: options.budget,
    domain,
    method: options.method,
    bits: bitsFor(options.insecureSeed),
    name: options.name,
    source: sourceOf(file),
  })
  const p = result.privacy
  const header = [
    `goldgen schema fitted by goldgen fit from ${basename(file)} (sha256 ${p.source.sha256.slice(0, 16)}…)`,
    p.guarantee
      ? `under ${p.rho === null ? `${p.epsilon}-DP` : `(ε = ${p.epsilon.toPrecision(4)}, δ = ${p.delta})-DP (ρ = ${p.rho.toPrecision(4)} zCDP)`}: ${p.mechanism}.`
      : NO_GUARANTEE,
    'Generating from it is post-processing: any seed, any number of rows, no further privacy cost.',
    `Tree: ${result.edges.map(([a, b]) => `${a} → ${b}`).join(', ') || 'none (independent columns)'}.`,
  ]
  const yaml = `${header.map((l) => `# ${l}`).join('\n')}\n${stringify(result.def, { lineWidth: 120, flowCollectionPadding: false })}`
  return { ...result, yaml }
}

/** Writes text cells as JSONL (`.jsonl` paths) or CSV (CRLF lines, empty cells for missing). */
function writeTextRows(
  sink: ByteSink,
  jsonl: boolean,
  names: readonly string[],
  rows: readonly (readonly (string | null)[])[],
): void {
  if (jsonl) {
    for (const row of rows)
      sink.write(`${JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row[i] ?? null])))}\n`)
    return
  }
  sink.write(`${names.map(csvQuote).join(',')}\r\n`)
  for (const row of rows) sink.write(`${row.map((v) => (v === null ? '' : csvQuote(v))).join(',')}\r\n`)
}

export interface PrivatizeFileOptions {
  /** A goldgen schema describing the columns, with `dp:` on those to protect. */
  schema: string
  /** Where the noised data goes (.csv or .jsonl); its manifest goes to `<out>.manifest.json`. */
  out: string
  insecureSeed?: string | undefined
  onInsecure?: ((warning: string) => void) | undefined
}

/** Releases a data file with noise on its `dp:` columns; writes the data and its manifest. */
export async function privatizeFile(file: string, options: PrivatizeFileOptions): Promise<PrivatizeResult> {
  const byPath = formatForPath(options.out)
  if (byPath !== undefined && byPath !== 'csv' && byPath !== 'jsonl')
    throw new GoldgenError('USAGE', `privatize writes CSV or JSONL; ${options.out} names a ${byPath} file`)
  const source = loadSchema(options.schema)
  const { names, rows } = await readCells(file, { nullTokens: [''] })
  if (options.insecureSeed !== undefined) options.onInsecure?.(NO_GUARANTEE)
  const result = privatizeRows(names, rows, source.def, {
    bits: bitsFor(options.insecureSeed),
    source: sourceOf(file),
    file: options.schema,
  })
  const sink = fileSink(options.out)
  writeTextRows(sink, String(options.out).toLowerCase().endsWith('.jsonl'), names, result.rows)
  const written = sink.commit()
  writeJsonFile(`${options.out}.manifest.json`, {
    files: [{ path: basename(options.out), ...written }],
    rows: result.rows.length,
    protected: result.protectedColumns,
    unprotected: result.unprotected,
    privacy: result.privacy,
  })
  return result
}
