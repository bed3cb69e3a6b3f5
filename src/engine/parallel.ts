/**
 * Reading a dataset's rows in order, in pieces, either in this thread or made in parallel by a
 * pool of worker threads (tinypool). Worker tasks are whole blocks, so every block is made once
 * whatever the number of workers, and the pieces come back in row order: the encoder sees the
 * same rows for every N, so output bytes do not depend on it. A bounded read-ahead window keeps
 * memory flat.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ColumnBlock } from '../core/blocks.ts'
import { GoldgenError } from '../core/errors.ts'
import { BLOCK_ROWS } from '../core/random.ts'
import type { Dataset } from './dataset.ts'

export interface Piece {
  /** First row of the piece (0 = the row at the plan's offset). */
  start: number
  length: number
  blocks: ColumnBlock[]
}

/** What a worker needs to make rows: a plan recipe it can rebuild, and the rows to make. */
export interface WorkerTask {
  /** Identifies the recipe, so a worker keeps one plan per run. */
  key: string
  recipe: unknown
  start: number
  length: number
}

export interface WorkerResult {
  blocks: ColumnBlock[]
  /** Draws rejected while making these rows (record sources). */
  rejected: number
}

export interface ParallelOptions {
  workers: number
  /** The worker module (compiled JavaScript) that runs `WorkerTask`s. */
  workerFile: URL
  key: string
  recipe: unknown
}

/**
 * Row ranges of at most `step` rows, cut at every row in `cuts`; with `align`, also at the block
 * edges of the full dataset (so each block is made by exactly one worker task).
 */
export function pieces(
  offset: number,
  rows: number,
  step: number,
  cuts: readonly number[],
  align: boolean,
): { start: number; length: number }[] {
  const out: { start: number; length: number }[] = []
  const sorted = cuts.filter((c) => c > 0 && c < rows).sort((x, y) => x - y)
  let next = 0
  for (let start = 0; start < rows; ) {
    while (next < sorted.length && sorted[next]! <= start) next++
    let end = Math.min(start + step, next < sorted.length ? sorted[next]! : rows)
    if (align) end = Math.min(end, (Math.floor((offset + start) / BLOCK_ROWS) + 1) * BLOCK_ROWS - offset)
    out.push({ start, length: end - start })
    start = end
  }
  return out
}

/**
 * The compiled worker module `name`.js beside `moduleUrl`; when running from TypeScript sources
 * (tests), the same module under dist/ (worker threads run compiled JavaScript).
 */
export function resolveWorkerFile(moduleUrl: string, name: string): URL {
  const beside = new URL(`./${name}.js`, moduleUrl)
  if (existsSync(fileURLToPath(beside))) return beside
  const built = new URL(`./${name}.js`, moduleUrl.replace(/\/src\/(?!.*\/src\/)/, '/dist/src/'))
  if (existsSync(fileURLToPath(built))) return built
  throw new GoldgenError(
    'INTERNAL',
    `the worker module ${fileURLToPath(beside)} is missing (run npm run build, or use --workers 1)`,
  )
}

/** Pieces of the dataset in row order; with more than one worker, blocks are made by a thread pool. */
export async function* readPieces(
  dataset: Dataset,
  chunkRows: number,
  cuts: readonly number[],
  parallel: ParallelOptions | undefined,
  onRejected: (n: number) => void,
): AsyncGenerator<Piece> {
  const { rows, offset } = dataset.plan
  const ranges = pieces(offset, rows, BLOCK_ROWS, cuts, true)
  // A pool pays off only when there are at least two blocks to share out.
  if (parallel === undefined || parallel.workers <= 1 || ranges.length <= 1) {
    for (const p of pieces(offset, rows, chunkRows, cuts, false))
      yield { ...p, blocks: dataset.read(p.start, p.length) }
    onRejected(dataset.rejected?.() ?? 0)
    return
  }
  const { default: Tinypool } = await import('tinypool')
  const threads = Math.max(1, Math.min(parallel.workers, ranges.length))
  const pool = new Tinypool({
    filename: parallel.workerFile.href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
    // A block's worth of garbage per task: a small old generation makes V8 collect it early.
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  })
  const window = threads * 2
  const inFlight: Promise<WorkerResult>[] = []
  const submit = (i: number) => {
    const r = ranges[i]!
    const task: WorkerTask = { key: parallel.key, recipe: parallel.recipe, ...r }
    const promise = pool.run(task) as Promise<WorkerResult>
    // Rejections are observed when awaited below; keep Node from reporting them early.
    promise.catch(() => {})
    inFlight.push(promise)
  }
  try {
    let submitted = 0
    while (submitted < Math.min(window, ranges.length)) submit(submitted++)
    for (let i = 0; i < ranges.length; i++) {
      const result = await inFlight.shift()!
      if (submitted < ranges.length) submit(submitted++)
      onRejected(result.rejected)
      yield { ...ranges[i]!, blocks: result.blocks }
    }
  } finally {
    await pool.destroy()
  }
}
