/** The package's public surface: the `exports` map and the `bin`, as a consumer resolves them. */
import { spawnSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from './helpers.ts'

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

function node(code: string) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' })
  return { code: r.status, out: r.stdout.trim(), err: r.stderr }
}

describe('package exports', () => {
  it('resolves goldgen to the built library with its named API', () => {
    const r = node(
      "const m = await import('goldgen'); console.log(JSON.stringify(Object.keys(m).sort()), typeof m.createGoldgen, m.VERSION)",
    )
    expect(r.err).toBe('')
    const [names, kind, version] = r.out.split(' ')
    expect(kind).toBe('function')
    expect(version).toBe(pkg.version)
    expect(JSON.parse(names!)).toEqual(
      expect.arrayContaining([
        'createGoldgen',
        'GoldgenError',
        'defineGenerator',
        'defineFormat',
        'formats',
        'languageJsonSchema',
      ]),
    )
  })
  it('exposes the language JSON Schema and package.json', () => {
    const r = node(
      "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); console.log(require('goldgen/schema.json').title, require('goldgen/package.json').name)",
    )
    expect(r.out).toBe('goldgen dataset schema, language version 1 goldgen')
  })
  it('names one bin, goldgen, pointing at the built CLI', () => {
    expect(pkg.bin).toEqual({ goldgen: './dist/src/cli/bin.js' })
    expect(readFileSync(join(ROOT, pkg.bin.goldgen), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true)
    // Executable, so `npx goldgen` runs it directly.
    expect(statSync(join(ROOT, pkg.bin.goldgen)).mode & 0o111).not.toBe(0)
  })
})
