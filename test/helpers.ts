/**
 * Shared test helpers: run the CLI in-process through its entry function (`runGoldgen`) or the
 * built binary in a child process (`cli`, for process behaviour), temp folders, in-memory generation.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'
import type { ByteSink } from '../src/api/sink.ts'
import { runCli } from '../src/cli/main.ts'
import { type ColumnBlock, createGoldgen, type RunOptions, type SchemaSource } from '../src/index.ts'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const BIN = join(ROOT, 'dist/src/cli/bin.js')
export const EXAMPLES = join(ROOT, 'schemas/examples')
export const goldgen = createGoldgen()

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  raw: SpawnSyncReturns<Buffer>
}

/** Runs `goldgen ARGS` as a separate process (the built CLI). */
export function cli(args: string[], options: { cwd?: string; input?: string } = {}): CliResult {
  const raw = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    env: { ...process.env, GOLDGEN_DEBUG: '' },
    maxBuffer: 1 << 30,
  })
  return {
    code: raw.status ?? -1,
    stdout: raw.stdout.toString('utf8'),
    stderr: raw.stderr.toString('utf8'),
    raw,
  }
}

/**
 * Runs `goldgen ARGS` in this process through the CLI's entry function, with standard output
 * and error captured (binary `-o -` output included). `cwd` changes the working folder for the
 * call (test files run one at a time in their own process, so this is safe).
 */
export async function runGoldgen(
  args: string[],
  options: { cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: Buffer[] = []
  const err: string[] = []
  const stdoutSink = (): ByteSink => {
    const hash = createHash('sha256')
    let bytes = 0
    return {
      write(data) {
        const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)
        out.push(b)
        hash.update(b)
        bytes += b.length
      },
      commit: () => ({ bytes, sha256: hash.digest('hex') }),
      abort() {},
    }
  }
  const before = process.cwd()
  if (options.cwd !== undefined) process.chdir(options.cwd)
  try {
    const code = await runCli(args, {
      stdout: { write: (text: string) => out.push(Buffer.from(text, 'utf8')) },
      stderr: { write: (text: string) => err.push(text) },
      stdoutSink,
    })
    return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: err.join('') }
  } finally {
    process.chdir(before)
  }
}

/** A fresh temporary folder, removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'goldgen-test-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export function schema(def: unknown): SchemaSource {
  return goldgen.defineSchema(def)
}

/** One column's values as plain JS values (null for nulls), for comparisons. */
export function blockValues(block: ColumnBlock): unknown[] {
  const out: unknown[] = []
  for (let i = 0; i < block.values.length; i++) {
    if (block.validity !== undefined && block.validity[i] === 0) out.push(null)
    else if (block.kind === 'dict') out.push(block.dictionary[block.values[i] as number])
    else out.push(block.values[i])
  }
  return out
}

/** Every column's values for rows [0, rows) of a schema, keyed by column name. */
export function columnValues(source: SchemaSource, options: RunOptions = {}): Record<string, unknown[]> {
  const dataset = goldgen.dataset(source, options)
  const rows = dataset.plan.rows
  const columns = dataset.plan.source.columns.filter((c) => c.describe !== undefined)
  if (rows === 0) return Object.fromEntries(columns.map((c) => [c.name, []]))
  const blocks = dataset.read(0, rows)
  return Object.fromEntries(columns.map((c, i) => [c.name, blockValues(blocks[i]!)]))
}
