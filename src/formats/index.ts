/** The builtin output formats, by name. */
import { GoldgenError } from '../core/errors.ts'
import { arrowFileFormat, arrowStreamFormat } from './arrow.ts'
import { csvFormat } from './csv.ts'
import { jsonFormat } from './json.ts'
import { jsonlFormat } from './jsonl.ts'
import { parquetFormat } from './parquet.ts'
import type { FormatDef } from './types.ts'

export const formats = {
  arrow: arrowStreamFormat,
  'arrow-file': arrowFileFormat,
  csv: csvFormat,
  jsonl: jsonlFormat,
  json: jsonFormat,
  parquet: parquetFormat,
} satisfies Record<string, FormatDef>

export type FormatName = keyof typeof formats
export const formatNames = Object.keys(formats) as FormatName[]

export function getFormat(name: string): FormatDef {
  const format = (formats as Record<string, FormatDef>)[name]
  if (format === undefined) {
    throw new GoldgenError(
      'USAGE',
      `unknown format ${JSON.stringify(name)}; expected one of ${formatNames.join(', ')}`,
    )
  }
  return format
}

/** The format a file name's extension selects, if any. */
export function formatForPath(path: string): FormatName | undefined {
  const lower = path.toLowerCase()
  return formatNames.find((n) => formats[n].extensions.some((e) => lower.endsWith(e)))
}

/**
 * Throws a usage error when a format contradicts the known extension of the file it is written to
 * (`-o x.csv --format jsonl`). The two Arrow IPC flavours share `.arrow` in the wild.
 */
export function refuseContradiction(name: FormatName, out: string): void {
  const byPath = formatForPath(out)
  const arrowFamily = (n: string) => n === 'arrow' || n === 'arrow-file'
  if (byPath !== undefined && byPath !== name && !(arrowFamily(byPath) && arrowFamily(name))) {
    throw new GoldgenError(
      'USAGE',
      `--format ${name} contradicts the output file ${out}, whose extension means ${byPath}; drop --format or name the file ${formats[name].extensions[0]}`,
    )
  }
}
