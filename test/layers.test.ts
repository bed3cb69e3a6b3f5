/**
 * The layer order, written as data, and a test that every import follows it and that there is
 * no import cycle. A file's layer is the first entry whose folder (or file) holds it; a layer
 * may import itself and the layers it lists, nothing else. Type-only imports count too: a layer
 * that names another's types depends on it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')

/** Bottom first. `may` lists the layers a layer may import (besides itself). */
export const layers: { name: string; paths: string[]; may: string[] }[] = [
  { name: 'core', paths: ['src/core'], may: [] },
  { name: 'language', paths: ['schemas'], may: ['core'] },
  { name: 'expr', paths: ['src/expr'], may: ['core'] },
  { name: 'generators', paths: ['generators'], may: ['core', 'language'] },
  { name: 'formats', paths: ['src/formats'], may: ['core', 'language'] },
  { name: 'compare', paths: ['src/compare'], may: ['core', 'formats'] },
  { name: 'metrics', paths: ['src/metrics'], may: ['core'] },
  { name: 'features', paths: ['src/features'], may: ['core', 'language', 'generators', 'expr'] },
  { name: 'engine', paths: ['src/engine'], may: ['core', 'language', 'formats'] },
  {
    name: 'sources',
    paths: ['src/columns', 'src/jsonschema', 'src/privacy'],
    may: ['core', 'language', 'generators', 'formats', 'features', 'engine', 'expr'],
  },
  {
    name: 'tables',
    paths: ['src/tables'],
    may: ['core', 'language', 'generators', 'formats', 'features', 'engine', 'expr', 'sources'],
  },
  {
    name: 'api',
    paths: ['src/api', 'src/infer'],
    may: ['core', 'language', 'generators', 'formats', 'compare', 'features', 'engine', 'sources', 'tables'],
  },
  { name: 'client', paths: ['src/client'], may: ['core', 'formats', 'compare'] },
  { name: 'chaos', paths: ['src/chaos'], may: ['core'] },
  {
    name: 'registry',
    paths: ['registry'],
    may: ['core', 'language', 'formats', 'compare', 'metrics', 'api'],
  },
  {
    name: 'contract',
    paths: ['src/contract'],
    may: ['core', 'language', 'formats', 'compare', 'metrics', 'engine', 'api', 'registry', 'chaos'],
  },
  {
    name: 'parity',
    paths: ['src/parity'],
    may: ['core', 'language', 'formats', 'compare', 'api', 'registry', 'contract'],
  },
  {
    name: 'server',
    paths: ['src/server'],
    may: ['core', 'language', 'formats', 'compare', 'metrics', 'api', 'registry'],
  },
  { name: 'testing', paths: ['src/vitest.ts'], may: ['core', 'formats', 'compare', 'client', 'contract'] },
  {
    name: 'cli',
    paths: ['src/cli'],
    may: [
      'core',
      'language',
      'formats',
      'compare',
      'metrics',
      'api',
      'registry',
      'server',
      'client',
      'contract',
      'parity',
      'chaos',
    ],
  },
  {
    name: 'entry',
    paths: ['src/index.ts'],
    may: [
      'core',
      'language',
      'generators',
      'formats',
      'compare',
      'metrics',
      'features',
      'engine',
      'sources',
      'tables',
      'api',
      'registry',
      'client',
      'contract',
      'parity',
      'chaos',
    ],
  },
]

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(root, path)).isDirectory()) return name === 'examples' ? [] : sourceFiles(path)
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : []
  })
}

const files = ['src', 'generators', 'registry', 'schemas'].flatMap(sourceFiles)

function layerOf(file: string): string | undefined {
  return layers.find((l) => l.paths.some((p) => file === p || file.startsWith(`${p}/`)))?.name
}

/** Relative imports of a file (static, dynamic and re-exports), as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  const out: string[] = []
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.\.?\/[^']+)'/g)) {
    out.push(relative(root, resolve(root, dirname(file), m[1]!)))
  }
  return out
}

describe('layers', () => {
  it('puts every source file in a layer', () => {
    expect(files.filter((f) => layerOf(f) === undefined)).toEqual([])
  })

  it('imports only downward', () => {
    const wrong: string[] = []
    for (const file of files) {
      const from = layers.find((l) => l.name === layerOf(file))!
      for (const target of importsOf(file)) {
        const to = layerOf(target)
        if (to === undefined || to === from.name || from.may.includes(to)) continue
        wrong.push(`${file} (${from.name}) imports ${target} (${to})`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('has no import cycle', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))]))
    const state = new Map<string, 'open' | 'done'>()
    const cycles: string[] = []
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' → '))
        return
      }
      state.set(f, 'open')
      for (const t of graph.get(f) ?? []) visit(t, [...path, f])
      state.set(f, 'done')
    }
    for (const f of files) visit(f, [])
    expect(cycles).toEqual([])
  })

  it('can fail: a made-up upward import is caught', () => {
    const from = layers.find((l) => l.name === 'generators')!
    expect(from.may.includes(layerOf('src/engine/plan.ts')!)).toBe(false)
    expect(layerOf('src/core/errors.ts')).toBe('core')
  })
})
