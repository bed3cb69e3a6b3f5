/**
 * `goldgen expectations MODEL@VERSION`: every expected-outputs record of a model version, the
 * superseded ones included (an update from `--goldgen-update` or `GOLDGEN_UPDATE=1` adds a record
 * and keeps the old one). Argument parsing and printing only; the work is in registry/models.ts.
 */
import type { Command } from 'commander'
import { type CliIo, printJson } from './io.ts'
import { registryOption, withRegistry } from './registry-shared.ts'

export function expectationsCommand(program: Command, io: CliIo): void {
  registryOption(
    program
      .command('expectations')
      .description(
        'every expected-outputs record of a model version, oldest first, with the current one of each dataset marked',
      )
      .argument('<model@version>', 'model version')
      .option('--json', 'print as JSON'),
  ).action(async (ref: string, opts: { registry?: string; json?: boolean }) => {
    const records = await withRegistry(opts, async (r) => {
      const current = new Set((await r.fixtures(ref)).map((e) => e.id))
      return (await r.expectationHistory(ref)).map((e) => ({
        id: e.id,
        dataset: `${e.dataset.dataset}@${e.dataset.version}`,
        rows: e.rows,
        format: e.format,
        sha256: e.sha256,
        tolerances: e.tolerances,
        createdAt: e.createdAt,
        current: current.has(e.id),
      }))
    })
    if (opts.json === true) return printJson(io, records)
    if (records.length === 0)
      io.stdout.write(`${ref} has no expected outputs yet; attach them with goldgen expect\n`)
    for (const r of records) {
      const tol = Object.entries(r.tolerances).map(
        ([c, t]) => `${c}=${t.kind}${t.value === undefined ? '' : `:${t.value}`}`,
      )
      io.stdout.write(
        `#${r.id}  ${r.dataset}  ${r.rows} rows  ${r.format} sha256 ${r.sha256.slice(0, 12)}…  ${tol.join(' ') || 'exact'}  ${r.createdAt}  ${r.current ? 'current' : 'superseded'}\n`,
      )
    }
  })
}
