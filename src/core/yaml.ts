/**
 * YAML (a superset of JSON) parsed with positions: the plain value, and a locator that maps a
 * path inside the document to its 1-based line and column, so an error in any goldgen file
 * written in YAML (dataset schemas, chaos plans) can name the line. Syntax errors and aliases
 * that expand without bound are PARSE errors naming the file.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import { GoldgenError, type Issue } from './errors.ts'

/** Maps a path inside the document to a 1-based line and column, when the source has positions. */
export type Locator = (path: readonly (string | number)[]) => { line: number; column: number } | undefined

/** Parses YAML text; throws a PARSE GoldgenError naming `file` and the line of each syntax error. */
export function parseYamlWithPositions(text: string, file: string): { raw: unknown; locate: Locator } {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, version: '1.2' })
  if (doc.errors.length > 0) {
    const issues: Issue[] = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0])
      return {
        code: 'syntax',
        path: [],
        message: e.message.split('\n')[0] ?? e.message,
        line: pos.line,
        column: pos.col,
      }
    })
    throw new GoldgenError('PARSE', 'not valid YAML or JSON', { file, issues })
  }
  let raw: unknown
  try {
    raw = doc.toJS({ maxAliasCount: 100 })
  } catch (e) {
    // The yaml package refuses documents whose aliases expand without bound ("billion laughs").
    throw new GoldgenError(
      'PARSE',
      `its YAML aliases expand too far (${(e as Error).message}); write the repeated parts out or use fewer aliases`,
      { file },
    )
  }
  const locate: Locator = (path) => {
    // Walk to the deepest node that exists so an unknown key still points somewhere useful.
    let node: Node | null | undefined = doc.contents
    for (const key of path) {
      let next: unknown
      if (isMap(node))
        next = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key))?.value
      else if (isSeq(node) && typeof key === 'number') next = node.items[key]
      else break
      if (next === undefined || next === null) break
      node = next as Node
    }
    const offset = node?.range?.[0]
    if (offset === undefined) return undefined
    const pos = lineCounter.linePos(offset)
    return { line: pos.line, column: pos.col }
  }
  return { raw, locate }
}
