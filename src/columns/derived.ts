/**
 * Columns whose values depend on other columns of the row: `cases` (the first case whose `when`
 * holds gives the row its value keys), `expr`, bool `p: { expr }`, and `sequence`. Each is planned
 * into a `Derived` that the columns source runs with the other columns' final blocks. A case's
 * values come from the column's keys overridden by the case's, drawn from streams of their own
 * (the case's key is `<column>\0case<k>`), so adding a case changes no other column.
 * Columns without these keys are not derived: their generator runs exactly as before.
 */
import { categoryValues } from '../../generators/category.ts'
import { generators } from '../../generators/index.ts'
import type { GeneratorPlugin } from '../../generators/types.ts'
import type { ColumnDef } from '../../schemas/language.ts'
import type { BlockKind, ColumnBlock } from '../core/blocks.ts'
import { type Expected, matcher } from '../features/when.ts'
import { type Derived, type DerivedContext, planExpr, planProbability } from './expr-column.ts'
import { type Groups, planSequence } from './sequence.ts'

export type { Derived, DerivedContext, DerivedGenerator } from './expr-column.ts'
export type { Groups } from './sequence.ts'

/** Keys of a column that are not value keys: a case never takes them over. */
const OWN = ['type', 'cases', 'missing', 'edge_cases', 'unique', 'sequence', 'description', 'dp'] as const

/** Whether a column spec is derived (needs other columns, or rows before it). */
export function isDerived(spec: ColumnDef): boolean {
  const s = spec as Record<string, unknown>
  return (
    s.cases !== undefined ||
    s.expr !== undefined ||
    s.sequence !== undefined ||
    (spec.type === 'bool' && typeof spec.p === 'object')
  )
}

/** Plans a derived column; undefined when it is not derived or has problems (in `ctx.issues`). */
export function planDerived(
  spec: ColumnDef,
  ctx: DerivedContext & { rows: number; groups?: Groups | undefined },
): Derived | undefined {
  const s = spec as Record<string, unknown>
  if (s.cases !== undefined) return planCases(spec, ctx)
  if (s.sequence !== undefined) return planSequence(spec, ctx, ctx.groups)
  return planValues(spec, ctx, ctx.path, ctx.rows)
}

/** How one set of value keys makes blocks: an expression, a probability expression, or the type's generator. */
function planValues(
  spec: ColumnDef,
  ctx: DerivedContext,
  path: (string | number)[],
  rows: number,
): Derived | undefined {
  if ((spec as { expr?: string }).expr !== undefined) return planExpr(spec, ctx, path)
  if (spec.type === 'bool' && typeof spec.p === 'object') return planProbability(spec, ctx, path)
  const plugin = generators[spec.type as keyof typeof generators] as GeneratorPlugin | undefined
  if (plugin === undefined) return undefined
  const before = ctx.issues.length
  for (const i of plugin.check?.(spec as never, { rows }) ?? [])
    ctx.issues.push({ path: [...path, ...i.path], message: i.message })
  if (ctx.issues.length > before) return undefined
  return {
    deps: [],
    kind: plugin.kind(spec as never),
    dictionary: plugin.dictionary?.(spec as never),
    create(seed, key) {
      const g = plugin.create(spec as never, { seed, column: key })
      return { block: (index, length) => g.block(index, length) }
    },
  }
}

interface PlannedCase {
  when: { column: string; expected: Expected }[]
  values: Derived
  /** Maps the case's dictionary codes to the column's (category columns). */
  remap?: Int32Array
}

/** The widest of the kinds cases give (int32 and int64 → int64). */
function widest(kinds: BlockKind[]): BlockKind {
  return kinds.includes('int64') ? 'int64' : kinds[0]!
}

function planCases(spec: ColumnDef, ctx: DerivedContext & { rows: number }): Derived | undefined {
  const base = Object.fromEntries(
    Object.entries(spec).filter(([k]) => !(OWN as readonly string[]).includes(k)),
  )
  const list = (spec as { cases: ({ when?: Record<string, Expected> } & Record<string, unknown>)[] }).cases
  const path = [...ctx.path, 'cases']
  const dictionary = spec.type === 'category' ? categoryValues(spec).values : undefined
  const planned: PlannedCase[] = []
  list.forEach((c, k) => {
    const { when, ...keys } = c
    if (when === undefined && k < list.length - 1) {
      ctx.issues.push({
        path: [...path, k],
        message: `a case without when matches every row, so cases after it (${k + 1}…) never apply; make it the last case`,
      })
    }
    if (when !== undefined && k === list.length - 1) {
      ctx.issues.push({
        path: [...path, k, 'when'],
        message:
          'rows that match no case would have no value: end the cases with a case without when (the default)',
      })
    }
    const conditions: PlannedCase['when'] = []
    for (const [column, expected] of Object.entries(when ?? {})) {
      if (ctx.typeOf(column) === undefined) {
        ctx.issues.push({
          path: [...path, k, 'when', column],
          message: `no column named ${JSON.stringify(column)}; when names other columns of the table`,
        })
      } else conditions.push({ column, expected })
    }
    const merged = { ...base, ...keys, type: spec.type } as ColumnDef
    // A case that gives value keys of its own but no expr is drawn, not computed.
    if (!('expr' in keys) && Object.keys(keys).length > 0) delete (merged as { expr?: string }).expr
    const values = planValues(merged, ctx, [...path, k], ctx.rows)
    if (values === undefined) return
    const out: PlannedCase = { when: conditions, values }
    if (dictionary !== undefined && values.dictionary !== undefined) {
      out.remap = Int32Array.from(values.dictionary, (v) => dictionary.indexOf(v))
    }
    planned.push(out)
  })
  if (planned.length !== list.length) return undefined
  const kind = widest(planned.map((c) => c.values.kind))
  const deps = [...new Set(planned.flatMap((c) => [...c.when.map((w) => w.column), ...c.values.deps]))]
  return {
    deps,
    kind,
    dictionary,
    create(seed, key) {
      const makers = planned.map((c, k) => c.values.create(seed, `${key}\0case${k}`))
      return {
        block(index, length, other) {
          const choice = new Int32Array(length).fill(-1)
          planned.forEach((c, k) => {
            const tests = c.when.map((w) => matcher(other(w.column), w.expected))
            for (let i = 0; i < length; i++) if (choice[i] === -1 && tests.every((t) => t(i))) choice[i] = k
          })
          return combine(kind, dictionary, length, choice, (k) => {
            const block = makers[k]!.block(index, length, other)
            return { block, remap: planned[k]!.remap }
          })
        },
      }
    },
  }
}

/** Takes each row's value from the block of the case it chose (blocks made only for cases in use). */
function combine(
  kind: BlockKind,
  dictionary: readonly string[] | undefined,
  length: number,
  choice: Int32Array,
  make: (k: number) => { block: ColumnBlock; remap?: Int32Array | undefined },
): ColumnBlock {
  const used = [...new Set(choice)].filter((k) => k >= 0).sort((a, b) => a - b)
  const text = kind === 'utf8'
  const values: Float64Array | Int32Array | Uint8Array | string[] = text
    ? new Array<string>(length).fill('')
    : kind === 'int64' || kind === 'float64' || kind === 'timestamp'
      ? new Float64Array(length)
      : kind === 'bool'
        ? new Uint8Array(length)
        : new Int32Array(length)
  let validity: Uint8Array | undefined
  for (const k of used) {
    const { block, remap } = make(k)
    const src = block.values as ArrayLike<number | string>
    for (let i = 0; i < length; i++) {
      if (choice[i] !== k) continue
      const v = src[i]!
      ;(values as (number | string)[])[i] = remap !== undefined ? remap[v as number]! : v
      if (block.validity?.[i] === 0) {
        validity ??= new Uint8Array(length).fill(1)
        validity[i] = 0
      }
    }
  }
  const marks = validity === undefined ? {} : { validity }
  if (kind === 'dict') return { kind, values: values as Int32Array, dictionary: dictionary!, ...marks }
  return { kind, values, ...marks } as ColumnBlock
}
