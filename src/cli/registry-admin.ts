/**
 * Registry upkeep and serving: `gc`, `verify`, `serve` and `token create`.
 */
import type { Command } from 'commander'
import { GoldgenError } from '../core/errors.ts'
import { type CliIo, printJson } from './io.ts'
import { wholeNumber } from './options.ts'
import { registryOption, withRegistry } from './registry-shared.ts'

export function adminCommands(program: Command, io: CliIo, exitWith: (code: number) => never): void {
  registryOption(
    program
      .command('gc')
      .description('remove stored files that no version or expectation references')
      .option('--dry-run', 'only list them'),
  ).action(async (opts) => {
    const result = await withRegistry(opts, (r) => r.gc({ dryRun: opts.dryRun }))
    io.stdout.write(
      `${result.dryRun ? 'would remove' : 'removed'} ${result.removed.length} unreferenced blob${result.removed.length === 1 ? '' : 's'} and ${result.staging.length} leftover staging file${result.staging.length === 1 ? '' : 's'}\n`,
    )
  })

  registryOption(
    program
      .command('verify')
      .description(
        'regenerate versions from their recipes and compare digests (drift from a changed dependency or algorithm)',
      )
      .argument('[ref]', 'dataset reference')
      .option('--all', 'every version of every dataset')
      .option('--json', 'print as JSON'),
  ).action(async (ref: string | undefined, opts) => {
    if ((ref === undefined) === !opts.all)
      throw new GoldgenError('USAGE', 'give a dataset reference or --all')
    const results = await withRegistry(opts, (r) => r.verify(opts.all ? 'all' : ref!))
    if (opts.json) printJson(io, results)
    else for (const v of results) io.stdout.write(`${v.ok ? 'ok  ' : 'FAIL'} ${v.ref}: ${v.detail}\n`)
    if (results.some((v) => !v.ok)) exitWith(1)
  })

  registryOption(
    program
      .command('serve')
      .description(
        'serve the registry over HTTP (read API: datasets, versions, data, fixtures; /openapi.json, /healthz)',
      )
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--port <port>', 'port to listen on (0: any free port)', wholeNumber('--port'), 8787)
      .option('--read-token-required', 'require a token for reads too (writes always need one)')
      .option(
        '--body-limit <bytes>',
        'largest request body accepted (default 268435456)',
        wholeNumber('--body-limit'),
      ),
  ).action(async (opts) => {
    const { openRegistry } = await import('../../registry/service.ts')
    const { listen } = await import('../server/listen.ts')
    const registry = await openRegistry({ dir: opts.registry, blobsAt: opts.blobs })
    const server = await listen(registry, {
      host: opts.host,
      port: opts.port,
      readTokenRequired: opts.readTokenRequired === true,
      bodyLimit: opts.bodyLimit,
    }).catch((e: unknown) => {
      registry.close()
      throw e
    })
    io.stderr.write(`goldgen serving ${registry.location} at ${server.url} (Ctrl-C to stop)\n`)
    await new Promise<void>((done) => {
      const stop = () => {
        void server.close().then(() => {
          registry.close()
          done()
        })
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
  })

  const token = program.command('token').description('API tokens for the HTTP server')
  registryOption(
    token
      .command('create')
      .description('create a token; it is printed once and stored only as a hash')
      .requiredOption('--scope <scope>', 'read, write or admin')
      .option('--name <name>', 'a label for the audit log', 'token'),
  ).action(async (opts) => {
    const created = await withRegistry(opts, (r) => r.createToken(opts.scope, opts.name))
    io.stdout.write(`${created.token}\n`)
    io.stderr.write(
      `created ${created.scope} token ${JSON.stringify(created.name)}; keep it now, it is not shown again\n`,
    )
  })
}
