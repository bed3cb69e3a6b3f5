/**
 * `when`: conditions on other columns' values (and, with `self`, on the column's own value) that
 * select the rows a feature applies to. Conditions are checked against the named columns' final
 * blocks for the same rows; the columns named must not depend on each other in a cycle.
 */
import type { ColumnBlock } from '../core/blocks.ts'
import { formatDate, formatTimestamp } from '../core/text.ts'
import type { FeatureIssue } from './types.ts'

type Scalar = string | number | boolean
export interface Comparison {
  gt?: number | undefined
  gte?: number | undefined
  lt?: number | undefined
  lte?: number | undefined
}
/** An expected value, a list of them, or a comparison. */
export type Expected = Scalar | Scalar[] | Comparison

export interface WhenPlan {
  /** The other columns' values that select rows (all must hold). */
  when: { column: string; expected: Expected }[]
  /** A comparison on the column's own value. */
  self?: Comparison
}

/** Checks a `when` map of one column and returns its plan; problems go to `issues`. */
export function planWhen(
  column: { name: string; type: string; numeric: boolean },
  when: Record<string, Expected>,
  known: (name: string) => boolean,
  path: (string | number)[],
  issues: FeatureIssue[],
): WhenPlan {
  const plan: WhenPlan = { when: [] }
  for (const [other, expected] of Object.entries(when)) {
    if (other === 'self') {
      const cmp = expected as Comparison
      if (
        typeof expected !== 'object' ||
        Array.isArray(expected) ||
        !['gt', 'gte', 'lt', 'lte'].some((op) => op in cmp)
      ) {
        issues.push({
          path: [...path, 'self'],
          message: 'expected a comparison such as { gt: 100000 } (gt, gte, lt, lte)',
        })
      } else if (!column.numeric) {
        issues.push({
          path: [...path, 'self'],
          message: `self comparisons apply to int and float columns; ${column.name} is ${column.type}`,
        })
      } else plan.self = cmp
      continue
    }
    if (!known(other)) {
      issues.push({
        path: [...path, other],
        message: `no column named ${JSON.stringify(other)}; when names other columns (or self)`,
      })
    } else if (other === column.name) {
      issues.push({
        path: [...path, other],
        message: 'a column cannot depend on itself by name; use self',
      })
    } else plan.when.push({ column: other, expected })
  }
  return plan
}

/** Reports dependency cycles among columns (`dependsOn(i)` lists the column indices i names). */
export function checkCycles(
  names: readonly string[],
  dependsOn: (i: number) => number[],
  path: (name: string) => (string | number)[],
  issues: FeatureIssue[],
  what = 'missing values depend on each other in a cycle',
): void {
  const visiting = new Set<number>()
  const done = new Set<number>()
  const visit = (i: number, trail: string[]): void => {
    if (done.has(i)) return
    if (visiting.has(i)) {
      issues.push({
        path: path(names[i]!),
        message: `${what}: ${[...trail, names[i]!].join(' → ')}`,
      })
      return
    }
    visiting.add(i)
    for (const j of dependsOn(i)) visit(j, [...trail, names[i]!])
    visiting.delete(i)
    done.add(i)
  }
  for (let i = 0; i < names.length; i++) visit(i, [])
}

/** Whether row i of a final block matches an expected value, list or comparison. */
export function matcher(block: ColumnBlock, expected: Expected): (i: number) => boolean {
  const text = (i: number): string | number => {
    switch (block.kind) {
      case 'dict':
        return block.dictionary[block.values[i]!]!
      case 'bool':
        return block.values[i] === 1 ? 'true' : 'false'
      case 'date32':
        return formatDate(block.values[i]!)
      case 'timestamp':
        return formatTimestamp(block.values[i]!)
      case 'utf8':
        return block.values[i]!
      case 'json':
        return String(block.values[i])
      default:
        return block.values[i]!
    }
  }
  const present = (i: number) => block.missing?.[i] !== 1 && block.validity?.[i] !== 0
  if (typeof expected === 'object' && !Array.isArray(expected)) {
    const c = expected
    return (i) => {
      if (!present(i)) return false
      const v = Number(text(i))
      return (
        (c.gt === undefined || v > c.gt) &&
        (c.gte === undefined || v >= c.gte) &&
        (c.lt === undefined || v < c.lt) &&
        (c.lte === undefined || v <= c.lte)
      )
    }
  }
  const options = (Array.isArray(expected) ? expected : [expected]).map(String)
  return (i) => present(i) && options.includes(String(text(i)))
}
