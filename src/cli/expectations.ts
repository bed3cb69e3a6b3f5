/**
 * `goldgen expectations MODEL@VERSION`: every expected-outputs record of a model version, the
 * superseded ones included (an update from `--goldgen-update` or `GOLDGEN_UPDATE=1` adds a record
 * and keeps the old one). Argument parsing and printing only; the work is in registry/service.ts.
 */
import type { Command } from 'commander'

export function expectationsCommand(
  program: Command,
  io: { stdout: { write(text: string): unknown } },
): void {
  program
    .command('expectations')
    .description(
      'every expected-outputs record of a model version, oldest first, with the current one of each dataset marked',
    )
    .argument('<model@version>', 'model version')
    .option('--registry <dir>', 'registry folder (default: $GOLDGEN_REGISTRY, else ./.goldgen)')
    .option('--json', 'print as JSON')
    .action(async (ref: string, opts: { registry?: string; json?: boolean }) => {
      const { openRegistry } = await import('../../registry/service.ts')
      const registry = await openRegistry({ dir: opts.registry })
      try {
        const history = await registry.expectationHistory(ref)
        const current = new Set((await registry.fixtures(ref)).map((e) => e.id))
        const records = history.map((e) => ({
          id: e.id,
          dataset: `${e.dataset.dataset}@${e.dataset.version}`,
          rows: e.rows,
          format: e.format,
          sha256: e.sha256,
          tolerances: e.tolerances,
          createdAt: e.createdAt,
          current: current.has(e.id),
        }))
        if (opts.json === true) {
          io.stdout.write(`${JSON.stringify(records, null, 2)}\n`)
          return
        }
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
      } finally {
        registry.close()
      }
    })
}
