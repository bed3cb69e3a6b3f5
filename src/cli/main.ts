/**
 * The `goldgen` command: parses arguments, calls the core, prints, and maps error codes to exit
 * codes (0 ok, 1 runtime failure, 2 bad input or usage, 70 internal error). Heavy modules are
 * imported inside the commands that need them, so `goldgen --help` stays fast. `runCli` is the
 * entry function: the binary (bin.ts) and in-process tests call it with their own streams.
 */
import { Command, CommanderError } from 'commander'
import { exitCodes, formatError, OutputClosed, toGoldgenError } from '../core/errors.ts'
import { VERSION } from '../core/version.ts'
import { cardCommand } from './card.ts'
import { chaosCommand } from './chaos.ts'
import { contractCommands } from './contract.ts'
import { coreCommands } from './core.ts'
import { dataCommands } from './data.ts'
import { type CliIo, ExitRequest, exitWith } from './io.ts'
import { parityCommand } from './parity.ts'
import { privacyCommands } from './privacy.ts'
import { registryCommands } from './registry.ts'

export type { CliIo, CliWriter } from './io.ts'

export function buildProgram(io: CliIo): Command {
  const program = new Command('goldgen')
    .description('Deterministic golden datasets for end-to-end tests of ML systems.')
    .version(VERSION, '-V, --version', 'print the goldgen version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`goldgen: ${s.replace(/^error: /, '')}`),
    })
    .exitOverride()

  coreCommands(program, io, exitWith)
  dataCommands(program, io, exitWith)
  privacyCommands(program, io)
  registryCommands(program, io, exitWith)
  contractCommands(program, io, exitWith)
  parityCommand(program, io, exitWith)
  cardCommand(program, io)
  chaosCommand(program, io)
  return program
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code; it never calls
 * process.exit, so it can run in-process.
 */
export async function runCli(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const program = buildProgram(io)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return 0
  } catch (e) {
    if (e instanceof ExitRequest) return e.exitCode
    if (e instanceof OutputClosed) return 0
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0
      return 2
    }
    const error = toGoldgenError(e)
    io.stderr.write(`goldgen: ${formatError(error)}\n`)
    if (error.code === 'INTERNAL') {
      io.stderr.write(
        process.env.GOLDGEN_DEBUG
          ? `${(e as Error).stack}\n`
          : 'This is a bug in goldgen; set GOLDGEN_DEBUG=1 to see where it happened.\n',
      )
    }
    return exitCodes[error.code]
  }
}
