/** Output formats are plain objects from `defineFormat`: a name, an extension, a media type, an encoder. */
import type { BlockKind, ColumnBlock } from '../core/blocks.ts'
import type { Shape } from '../core/shape.ts'

export interface FormatColumn {
  name: string
  kind: BlockKind
  dictionary?: readonly string[] | undefined
  /** `json` columns (records): the Arrow shape of the values. */
  shape?: Shape | undefined
}

/** Receives encoded bytes; strings are UTF-8 text. */
export type Emit = (bytes: Uint8Array | string) => void

export interface Encoder {
  /** Encodes `columns` (one block per column, all of the same length); await it when it is a promise. */
  write(columns: ColumnBlock[]): void | Promise<void>
  /** Flushes what is buffered and writes any trailer. */
  end(): void | Promise<void>
}

/** Facts about the dataset that formats with file-level metadata record (Parquet). */
export interface FormatMeta {
  /** The canonical schema hash (schemaSha256 of the manifest). */
  schemaSha256?: string | undefined
  /**
   * JSONL and JSON: how NaN and ±Infinity are written, `string` (`"NaN"`, the default) or
   * `null` (for typed readers that would otherwise make the column a string column).
   */
  nonFinite?: NonFinite | undefined
}

export type NonFinite = 'string' | 'null'
export const nonFiniteChoices: readonly NonFinite[] = ['string', 'null']

export interface FormatDef<N extends string = string> {
  name: N
  /** File extensions that select this format, the first being the default. */
  extensions: readonly string[]
  mediaType: string
  open(columns: FormatColumn[], emit: Emit, meta?: FormatMeta): Promise<Encoder>
}

export function defineFormat<N extends string>(format: FormatDef<N>): FormatDef<N> {
  return format
}
