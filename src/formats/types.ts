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
  /** Encodes `columns` (one block per column, all of the same length). */
  write(columns: ColumnBlock[]): void
  /** Flushes what is buffered and writes any trailer. */
  end(): void
}

export interface FormatDef<N extends string = string> {
  name: N
  /** File extensions that select this format, the first being the default. */
  extensions: readonly string[]
  mediaType: string
  open(columns: FormatColumn[], emit: Emit): Promise<Encoder>
}

export function defineFormat<N extends string>(format: FormatDef<N>): FormatDef<N> {
  return format
}
