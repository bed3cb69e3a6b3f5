/**
 * Registry commands: argument parsing and printing only; the work is in registry/service.ts.
 * Each opens the registry in --registry DIR|URL and --blobs URL|DIR (registry/open-url.ts).
 */
import type { Command } from 'commander'
import { expectationsCommand } from './expectations.ts'
import type { CliIo } from './io.ts'
import { adminCommands } from './registry-admin.ts'
import { copyCommand } from './registry-copy.ts'
import { datasetCommands } from './registry-datasets.ts'
import { modelCommands } from './registry-models.ts'

export function registryCommands(program: Command, io: CliIo, exitWith: (code: number) => never): void {
  datasetCommands(program, io)
  adminCommands(program, io, exitWith)
  modelCommands(program, io, exitWith)
  expectationsCommand(program, io)
  copyCommand(program, io)
}
