/**
 * The core API that the CLI, the HTTP server and library users share.
 *
 * @example
 * ```ts
 * import { createGoldgen } from 'goldgen'
 * const goldgen = createGoldgen()
 * const schema = goldgen.loadSchema('schemas/examples/churn.yaml')
 * const { bytes, manifest } = await goldgen.generateBuffer(schema, { rows: 100, format: 'csv' })
 * ```
 */
import { parseSchemaText, validateDef } from '../../schemas/parse.ts'
import { createDataset, type Dataset } from '../engine/dataset.ts'
import type { Plan, RunOptions } from '../engine/plan.ts'
import type { FormatName } from '../formats/index.ts'
import {
  type GenerateOptions,
  type GenerateResult,
  generate,
  generateInto,
  resolveFormat,
  type SchemaSource,
} from './generate.ts'
import { type Inspection, inspectFile } from './inspect.ts'
import { loadSchema } from './load-schema.ts'
import type { Manifest } from './manifest.ts'
import { planDataset } from './plan.ts'
import { memorySink } from './sink.ts'

export interface GoldgenOptions {
  /** Folder that relative output paths resolve against (default: the process's working directory). */
  cwd?: string
}

export interface Goldgen {
  /** Reads and validates a schema file (YAML or JSON). */
  loadSchema(file: string): SchemaSource
  /** Parses and validates schema text; `file` names it in errors. */
  parseSchema(text: string, file?: string): SchemaSource
  /** Validates a schema object built in code. */
  defineSchema(def: unknown): SchemaSource
  /** Checks a schema for a run (semantic checks, feasibility for the row count) and returns its plan. */
  plan(source: SchemaSource, options?: RunOptions): Plan
  /** A row source over a schema: read any row range as column blocks. */
  dataset(source: SchemaSource, options?: RunOptions): Dataset
  /** Generates to a file (or standard output) and writes the manifest beside it. */
  generate(source: SchemaSource, options?: GenerateOptions): Promise<GenerateResult>
  /** Generates into memory. */
  generateBuffer(
    source: SchemaSource,
    options?: RunOptions & { format?: FormatName; chunkRows?: number; workers?: number },
  ): Promise<{ bytes: Uint8Array; manifest: Manifest }>
  /** Summarizes a data file: types, row count, per-column statistics, first rows. */
  inspect(file: string, headRows?: number): Promise<Inspection>
}

export function createGoldgen(options: GoldgenOptions = {}): Goldgen {
  return {
    loadSchema,
    parseSchema: (text, file) => {
      const { def, locate } = parseSchemaText(text, file)
      return { def, file, locate }
    },
    defineSchema: (def) => ({ def: validateDef(def) }),
    plan: (source, run) => planDataset(source.def, run, source),
    dataset: (source, run) => createDataset(planDataset(source.def, run, source)),
    generate: (source, generateOptions) => generate(source, { cwd: options.cwd, ...generateOptions }),
    async generateBuffer(source, run = {}) {
      const plan = planDataset(source.def, run, source)
      const sink = memorySink()
      const format = resolveFormat(run.format, undefined)
      const manifest = await generateInto(plan, format, sink, `${plan.def.name ?? 'dataset'}.${format}`, {
        chunkRows: run.chunkRows,
        workers: run.workers,
        file: source.file,
      })
      return { bytes: sink.contents(), manifest }
    },
    inspect: inspectFile,
  }
}
