/**
 * What every CLI command shares: the streams it writes to (`CliIo`), the exit request a command
 * raises for a non-zero exit without an error message, and writing text to a file or stdout.
 */
import type { ByteSink } from '../api/sink.ts'

/** Somewhere text goes: process.stdout/stderr, or a buffer in tests. */
export interface CliWriter {
  write(text: string): unknown
  /** True when it is a terminal (progress bars are drawn only then). */
  isTTY?: boolean
}

export interface CliIo {
  stdout: CliWriter
  stderr: CliWriter
  /** Standard input, for commands that read it. */
  stdin?: NodeJS.ReadableStream
  /**
   * Where binary data for `-o -` goes. Default: file descriptor 1, written synchronously (the
   * real standard output); in-process callers pass a sink of their own.
   */
  stdoutSink?: () => ByteSink
}

/** Thrown by a command to end with `exitCode` after it has printed what it had to say. */
export class ExitRequest extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`)
  }
}

export const exitWith = (code: number): never => {
  throw new ExitRequest(code)
}

/** Writes text to a file atomically, or to standard output for "-" or no path. */
export async function writeOut(io: CliIo, out: string | undefined, text: string): Promise<void> {
  if (out === undefined || out === '-') {
    io.stdout.write(text)
    return
  }
  const { fileSink } = await import('../api/sink.ts')
  const sink = fileSink(out)
  sink.write(text)
  sink.commit()
}

/** JSON for people and scripts: NaN and ±Infinity become strings (JSON has none). */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, jsonSafe, 2)}\n`)
}

export function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return value
}

/** A repeatable option's values, in order. */
export const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
]
