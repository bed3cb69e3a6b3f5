/**
 * The feature-parity runner's shapes: its options (what `goldgen parity` and `runParity` take)
 * and the report that --json prints and the text and JUnit writers render.
 */
import type { Registry } from '../../registry/service.ts'
import type { Tolerance } from '../compare/rows.ts'
import type { CellValue } from '../formats/read.ts'

/** The formats a command's `{input}` can be written in. */
export const INPUT_FORMATS = ['csv', 'jsonl', 'arrow', 'parquet'] as const
export type InputFormat = (typeof INPUT_FORMATS)[number]

export interface ParityOptions {
  /** The fixture: `dataset@ref` (a number, an alias, `sha256:PREFIX`; a bare name is the latest). */
  dataset: string
  /** Pipeline a: a shell command (with or without `{input}`/`{output}`) or an http(s) URL. */
  a: string
  /** Pipeline b, the same way. */
  b: string
  /** Match rows by this column (default: by position). */
  key?: string | undefined
  /** `COL=exact|atol:X|rtol:X`, or parsed tolerances (default exact for every column). */
  tolerances?: readonly string[] | Record<string, Tolerance> | undefined
  /** The format `{input}` is written in (default csv). */
  inputFormat?: InputFormat | undefined
  /** Milliseconds a pipeline may take (default 120000). */
  timeout?: number | undefined
  /** How many differing rows the report keeps (default 10). */
  keep?: number | undefined
  /** The registry: an open one, or its folder or URL (default $GOLDGEN_REGISTRY, else ./.goldgen). */
  registry?: Registry | string | undefined
  /** With `registry` as a folder or URL: the blob store (default $GOLDGEN_BLOBS). */
  blobs?: string | undefined
}

export interface PipelineSummary {
  /** The command or URL as given. */
  pipeline: string
  /** `placeholders`: `{input}`/`{output}` files; `stdio`: CSV on stdin and stdout; `url`: JSON over HTTP. */
  mode: 'placeholders' | 'stdio' | 'url'
  rows: number
  columns: string[]
  seconds: number
  /** Why the pipeline failed (a crash with the end of its stderr, a timeout, an unreadable answer). */
  error?: string
}

/** A compared column: how many matched rows differ beyond its tolerance, and the largest deviation. */
export interface ColumnResult {
  column: string
  tolerance: string
  differing: number
  /** The largest numeric |a − b| seen (null when the column holds no number pair). */
  worst: number | null
}

export interface DifferingRow {
  /** The fixture row the feature rows belong to (0-based), or null when it is not known. */
  row: number | null
  /** The key value, with --key. */
  key?: CellValue
  /** The fixture row's edge-case kinds and missing values, as `column:kind`. */
  tags: string[]
  columns: { column: string; a: CellValue; b: CellValue; deviation: number | null }[]
}

export interface ParityReport {
  /** `dataset@version`. */
  dataset: string
  a: PipelineSummary
  b: PipelineSummary
  key: string | null
  inputFormat: InputFormat
  tolerances: Record<string, Tolerance>
  goldgen: string
  startedAt: string
  seconds: number
  passed: boolean
  fixtureRows: number
  /** Row pairs compared (matched by key, else by position). */
  rowsCompared: number
  rowsDiffering: number
  /** Every column both sides wrote, in a's order, with its result. */
  columns: ColumnResult[]
  /** The names of the compared columns with differing rows. */
  differingColumns: string[]
  onlyInA: string[]
  onlyInB: string[]
  /** With --key: key values only one side has (the first few). */
  keysOnlyInA: CellValue[]
  keysOnlyInB: CellValue[]
  /** The first differing rows (up to `keep`). */
  firstDiffering: DifferingRow[]
  /** Row counts, keys and shapes that do not line up, in words. */
  problems: string[]
}
