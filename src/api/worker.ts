/**
 * The worker-thread entry of `--workers N` (run by tinypool, see src/engine/parallel.ts): it
 * rebuilds the run's plan from its recipe once per run and makes the rows a task asks for.
 * Typed arrays go back to the main thread by transfer, not by copy.
 */
import { kTransferable, kValue, markMovable } from 'tinypool'
import type { DatasetDef } from '../../schemas/language.ts'
import type { ColumnBlock } from '../core/blocks.ts'
import { createDataset, type Dataset } from '../engine/dataset.ts'
import type { WorkerResult, WorkerTask } from '../engine/parallel.ts'
import type { RunOptions } from '../engine/plan.ts'
import { planDataset } from './plan.ts'

/** What a worker rebuilds a plan from. */
export interface PlanRecipe {
  def: DatasetDef
  file?: string | undefined
  run: RunOptions
}

let current: { key: string; dataset: Dataset; rejected: number } | undefined

/**
 * Copies of a piece's typed arrays, each in a buffer of its own, so they can be transferred: the
 * source still caches the block they were sliced from.
 */
function detach(blocks: ColumnBlock[]): { blocks: ColumnBlock[]; buffers: ArrayBuffer[] } {
  const buffers: ArrayBuffer[] = []
  const own = <A extends Uint8Array | Int8Array | Int32Array | Float64Array>(
    a: A | undefined,
  ): A | undefined => {
    if (a === undefined) return undefined
    const copy = a.slice() as A
    buffers.push(copy.buffer as ArrayBuffer)
    return copy
  }
  const out = blocks.map((b) => {
    const marks = { validity: own(b.validity), missing: own(b.missing), edge: own(b.edge) }
    if (b.kind === 'utf8' || b.kind === 'json') return { ...b, ...marks }
    return { ...b, values: own(b.values as Float64Array), ...marks } as ColumnBlock
  })
  return { blocks: out, buffers }
}

export default function makeRows(task: WorkerTask): unknown {
  if (current?.key !== task.key) {
    const recipe = task.recipe as PlanRecipe
    const plan = planDataset(recipe.def, recipe.run, { file: recipe.file })
    current = { key: task.key, dataset: createDataset(plan), rejected: 0 }
  }
  const { blocks, buffers } = detach(current.dataset.read(task.start, task.length))
  const total = current.dataset.rejected?.() ?? 0
  const result: WorkerResult = { blocks, rejected: total - current.rejected }
  current.rejected = total
  // tinypool's movable wrapper: the buffers are transferred, the rest is cloned.
  const movable = { [kTransferable]: buffers, [kValue]: result }
  markMovable(movable)
  return movable
}
