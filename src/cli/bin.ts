#!/usr/bin/env node
import { runCli } from './main.ts'

// A reader that stops early (`goldgen … | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw e
  })
}

process.exitCode = await runCli(process.argv.slice(2))
