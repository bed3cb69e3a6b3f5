/**
 * `goldgen registry copy --from DIR --to postgres://… --blobs s3://…`: moves a registry to
 * another place (a local one to the shared PostgreSQL + S3 one) with its history, every digest
 * checked (registry/copy.ts does the work).
 */
import type { Command } from 'commander'
import { GoldgenError } from '../core/errors.ts'
import { type CliIo, printJson } from './io.ts'

export function copyCommand(program: Command, io: CliIo): void {
  const group =
    program.commands.find((c) => c.name() === 'registry') ??
    program.command('registry').description('move a registry between places')
  group
    .command('copy')
    .description(
      'copy a registry (versions, aliases and their history, models, expectations, ledger) into another, every digest checked',
    )
    .requiredOption('--from <dir|url>', 'the registry to copy: a folder or postgres:// URL')
    .option('--from-blobs <url|dir>', "the source's blob store, when not in its folder")
    .requiredOption('--to <dir|url>', 'the destination registry: a folder or postgres://user@host:port/db')
    .option(
      '--blobs <url|dir>',
      "the destination's blob store: s3://bucket/prefix or a folder (default: $GOLDGEN_BLOBS)",
    )
    .option('--json', 'print the counts as JSON')
    .action(async (opts) => {
      const { openStores, isPostgresUrl } = await import('../../registry/open-url.ts')
      const { existsSync } = await import('node:fs')
      const { join } = await import('node:path')
      if (!isPostgresUrl(opts.from) && !existsSync(join(opts.from, 'registry.db')))
        throw new GoldgenError(
          'NOT_FOUND',
          `no registry to copy at ${opts.from} (${join(opts.from, 'registry.db')} does not exist)`,
        )
      const { copyRegistry } = await import('../../registry/copy.ts')
      const from = await openStores({ registry: opts.from, blobs: opts.fromBlobs ?? '' })
      try {
        const to = await openStores({ registry: opts.to, blobs: opts.blobs })
        try {
          const report = await copyRegistry(from, to)
          if (opts.json) printJson(io, report)
          else
            io.stdout.write(
              `copied ${report.versions} version${report.versions === 1 ? '' : 's'} of ${report.datasets} dataset${report.datasets === 1 ? '' : 's'}, ${report.aliasMoves} alias move${report.aliasMoves === 1 ? '' : 's'}, ${report.modelVersions} model version${report.modelVersions === 1 ? '' : 's'}, ${report.expectations} expectation${report.expectations === 1 ? '' : 's'}, ${report.ledgerEntries} ledger entr${report.ledgerEntries === 1 ? 'y' : 'ies'} and ${report.blobs} blob${report.blobs === 1 ? '' : 's'} to ${to.location}; every digest checked\n`,
            )
        } finally {
          to.close()
        }
      } finally {
        from.close()
      }
    })
}
