/**
 * Generation as the registry uses it: a dataset made from a definition (a schema being
 * published, or a stored recipe's schema, seed and rows) into a byte sink, with its manifest
 * and the seed and row count it was made with. It loads the engine, so callers import it lazily.
 */
import type { DatasetDef } from '../../schemas/language.ts'
import type { FormatName } from '../formats/index.ts'
import { generateInto, libraryVersions, type SchemaSource } from './generate.ts'
import type { Manifest } from './manifest.ts'
import { planDataset } from './plan.ts'
import type { ByteSink } from './sink.ts'

/** What a recipe needs to make its dataset again. */
export interface RecipeRun {
  seed?: number | undefined
  rows?: number | undefined
}

/** Plans `def` (seed and rows as given, else the schema's) and encodes it into `sink` as `fileName`. */
export async function generateToSink(
  def: DatasetDef,
  run: RecipeRun,
  format: FormatName,
  sink: ByteSink,
  fileName: string,
  source?: SchemaSource,
): Promise<{ seed: number; rows: number; manifest: Manifest }> {
  const plan = planDataset(def, { seed: run.seed, rows: run.rows }, source)
  const manifest = await generateInto(plan, format, sink, fileName)
  return { seed: plan.seed, rows: plan.rows, manifest }
}

/** The versions of the libraries that shape output bytes, as recorded in recipes. */
export function recipeLibraries(): Record<string, string> {
  return libraryVersions()
}
