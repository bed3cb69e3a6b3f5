/**
 * Running one feature pipeline of `goldgen parity` on the fixture and reading back the feature
 * rows it makes. A command gets `{input}` (the fixture written in --input-format) and `{output}`
 * (where it writes its features, read by the extension it gives the file) replaced by paths;
 * without `{input}` it reads the fixture as CSV on stdin, without `{output}` it writes its
 * features as CSV on stdout. A URL gets the rows POSTed as a JSON array and answers a JSON array
 * of feature rows. A crash, a timeout or an unreadable answer is reported in the pipeline's
 * summary (`error`, naming the pipeline and, for a crash, the end of its stderr).
 */
import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { GoldgenError } from '../core/errors.ts'
import { type CellValue, fromJson } from '../core/values.ts'
import { type DataRow, openRows, sniffFormat } from '../formats/read.ts'
import type { InputFormat, PipelineSummary } from './types.ts'

export interface PipelineInput {
  /** The side, `a` or `b`, for file names and messages. */
  side: 'a' | 'b'
  /** The command or URL as given. */
  pipeline: string
  /** The fixture rows (sent to a URL). */
  rows: DataRow[]
  /** The fixture written in `format` (made once, shared by both sides). */
  inputFile(format: InputFormat): Promise<string>
  inputFormat: InputFormat
  /** A private folder for this run's files. */
  dir: string
  timeout: number
}

export interface PipelineOutput {
  summary: PipelineSummary
  rows: DataRow[]
}

export const isUrl = (pipeline: string): boolean => /^https?:\/\//i.test(pipeline.trim())

const SAFE_PATH = /^[A-Za-z0-9_./:-]+$/
const shellPath = (path: string) => (SAFE_PATH.test(path) ? path : JSON.stringify(path))
const label = (p: PipelineInput) => `pipeline ${p.side} (${p.pipeline})`

/** The last lines of a command's stderr, for an error message. */
function tail(stderr: string, lines = 8): string {
  const kept = stderr.trimEnd().split('\n').slice(-lines).join('\n')
  return kept.length > 2000 ? `…${kept.slice(-2000)}` : kept
}

/** Runs a shell command with these stdin/stdout file descriptors; rejects on a crash or a timeout. */
function runCommand(p: PipelineInput, command: string, stdin: number | 'ignore', stdout: number | 'ignore') {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, { shell: true, stdio: [stdin, stdout, 'pipe'], detached: true })
    let stderr = ''
    let timedOut = false
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-16384)
    })
    let done = false
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
      // A process that left the group may hold stderr open: give up waiting for it.
      setTimeout(() => finish(null, 'SIGKILL'), 2000).unref()
    }, p.timeout)
    child.on('error', (e) => {
      if (done) return
      done = true
      clearTimeout(timer)
      reject(new GoldgenError('IO', `${label(p)} could not be started: ${e.message}`))
    })
    child.on('close', (code, signal) => finish(code, signal))
    function finish(code: number | null, signal: NodeJS.Signals | null) {
      if (done) return
      done = true
      clearTimeout(timer)
      const err = tail(stderr)
      const said = err === '' ? ' (it wrote nothing to stderr)' : `; the end of its stderr:\n${err}`
      if (timedOut)
        reject(
          new GoldgenError(
            'IO',
            `${label(p)} did not finish within ${p.timeout} ms (--timeout) and was stopped${said}`,
          ),
        )
      else if (code !== 0)
        reject(
          new GoldgenError(
            'IO',
            `${label(p)} failed with ${signal === null ? `exit code ${code}` : `signal ${signal}`}${said}`,
          ),
        )
      else resolve()
    }
  })
}

/** Reads the feature rows a pipeline wrote; an unreadable file is the pipeline's failure. */
async function readFeatures(p: PipelineInput, file: string, what: string): Promise<DataRow[]> {
  try {
    const rows: DataRow[] = []
    for await (const row of (await openRows(file, sniffFormat(file))).rows) rows.push(row)
    return rows
  } catch (e) {
    const message = e instanceof GoldgenError ? e.message : String(e)
    throw new GoldgenError('IO', `${label(p)} wrote ${what} that goldgen cannot read: ${message}`)
  }
}

/** The file a command wrote at `{output}` (as it is, or with an extension it added). */
function writtenOutput(p: PipelineInput, base: string): string {
  if (existsSync(base)) return base
  const prefix = `${base.slice(p.dir.length + 1)}.`
  const found = readdirSync(p.dir).filter((n) => n.startsWith(prefix))
  if (found.length === 0)
    throw new GoldgenError(
      'IO',
      `${label(p)} exited 0 but wrote no features at {output} (${base}, or that path with an extension such as .csv, .jsonl, .arrow or .parquet)`,
    )
  return join(p.dir, found.sort()[0]!)
}

async function runShell(p: PipelineInput): Promise<DataRow[]> {
  const usesInput = p.pipeline.includes('{input}')
  const usesOutput = p.pipeline.includes('{output}')
  const inputFile = await p.inputFile(usesInput ? p.inputFormat : 'csv')
  const base = join(p.dir, `${p.side}-features`)
  const stdoutFile = join(p.dir, `${p.side}-stdout.csv`)
  const command = p.pipeline
    .replaceAll('{input}', shellPath(inputFile))
    .replaceAll('{output}', shellPath(base))
  const stdin = usesInput ? 'ignore' : openSync(inputFile, 'r')
  const stdout = usesOutput ? 'ignore' : openSync(stdoutFile, 'w')
  try {
    await runCommand(p, command, stdin, stdout)
  } finally {
    if (stdin !== 'ignore') closeSync(stdin)
    if (stdout !== 'ignore') closeSync(stdout)
  }
  return usesOutput
    ? readFeatures(p, writtenOutput(p, base), 'features at {output}')
    : readFeatures(p, stdoutFile, 'CSV on stdout')
}

/** JSON text of rows: NaN and ±Infinity as the strings goldgen's JSON formats use, -0 kept. */
export function rowsToJson(rows: readonly DataRow[]): string {
  const cell = (v: unknown): string =>
    Object.is(v, -0)
      ? '-0'
      : typeof v === 'number' && !Number.isFinite(v)
        ? JSON.stringify(String(v))
        : (JSON.stringify(v) ?? 'null')
  return `[${rows.map((r) => `{${Object.entries(r).map(([k, v]) => `${JSON.stringify(k)}:${cell(v)}`)}}`).join(',')}]`
}

const asCell = (v: unknown): CellValue =>
  v !== null && typeof v === 'object' ? JSON.stringify(v) : fromJson(v === undefined ? null : v)

async function runUrl(p: PipelineInput): Promise<DataRow[]> {
  let answer: Response
  let text: string
  try {
    answer = await fetch(p.pipeline, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: rowsToJson(p.rows),
      signal: AbortSignal.timeout(p.timeout),
    })
    text = await answer.text()
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } }
    const why =
      err.name === 'TimeoutError'
        ? `no answer within ${p.timeout} ms (--timeout)`
        : (err.cause?.code ?? err.cause?.message ?? err.message)
    throw new GoldgenError('IO', `${label(p)} cannot be reached: ${why}`)
  }
  if (!answer.ok)
    throw new GoldgenError('IO', `${label(p)} answered HTTP ${answer.status}: ${tail(text, 5).slice(0, 500)}`)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new GoldgenError('IO', `${label(p)} answered something that is not JSON: ${text.slice(0, 200)}`)
  }
  if (!Array.isArray(parsed))
    throw new GoldgenError(
      'IO',
      `${label(p)} answered JSON that is not an array: expected a JSON array of feature rows (objects), one per row sent`,
    )
  return parsed.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      throw new GoldgenError(
        'IO',
        `${label(p)} answered a non-object at [${i}]: expected a JSON array of feature rows (objects)`,
      )
    return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, asCell(v)]))
  })
}

/** How a pipeline is run, from its text. */
export const modeOf = (pipeline: string): PipelineSummary['mode'] =>
  isUrl(pipeline)
    ? 'url'
    : pipeline.includes('{input}') || pipeline.includes('{output}')
      ? 'placeholders'
      : 'stdio'

/**
 * Runs one pipeline on the fixture and returns its feature rows. A pipeline that fails (an IO
 * error: a crash, a timeout, an unreadable answer) gives no rows and its summary says why.
 */
export async function runPipeline(p: PipelineInput): Promise<PipelineOutput> {
  const t0 = performance.now()
  const seconds = () => Math.round(performance.now() - t0) / 1000
  const summary = { pipeline: p.pipeline, mode: modeOf(p.pipeline) }
  let rows: DataRow[]
  try {
    rows = summary.mode === 'url' ? await runUrl(p) : await runShell(p)
  } catch (e) {
    if (!(e instanceof GoldgenError) || e.code !== 'IO') throw e
    return { rows: [], summary: { ...summary, rows: 0, columns: [], seconds: seconds(), error: e.message } }
  }
  const columns = new Set<string>()
  for (const r of rows) for (const c of Object.keys(r)) columns.add(c)
  return { rows, summary: { ...summary, rows: rows.length, columns: [...columns], seconds: seconds() } }
}
