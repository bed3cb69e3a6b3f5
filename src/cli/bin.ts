#!/usr/bin/env node
// The goldgen command: runs the CLI, and removes temporary files when interrupted.
import { removeTemporaryFiles } from '../api/sink.ts'
import { runCli } from './main.ts'

// An interrupted run leaves no temporary file behind; then the signal ends the process as usual.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    removeTemporaryFiles()
    process.kill(process.pid, signal)
  })
}

// A reader that stops early (`goldgen … | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw e
  })
}

process.exitCode = await runCli(process.argv.slice(2))
