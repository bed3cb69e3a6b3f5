/**
 * `goldgen compare`: two files (real, synthetic) give the fidelity report; real files (or a folder
 * of them) followed by a folder of synthetic files give it per table, matched by file name, with
 * key integrity. Exit 1 when a threshold is passed or a key is broken, 2 on bad input.
 */
import type { Command } from 'commander'
import { GoldgenError } from '../core/errors.ts'
import type { CliIo } from './io.ts'
import { wholeNumber } from './options.ts'

const limitOf = (flag: string, value: unknown): number | undefined => {
  if (value === undefined) return undefined
  const limit = Number(value)
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(limit))
    throw new GoldgenError('USAGE', `${flag} must be a number, got ${JSON.stringify(value)}`)
  return limit
}

export function compareCommand(program: Command, io: CliIo, exitWith: (code: number) => never): void {
  program
    .command('compare')
    .description(
      'report how closely synthetic data follows real data (TVD, missing rates, categories, correlations; per table with key integrity)',
    )
    .argument(
      '<data...>',
      'real data then synthetic data (CSV, JSONL, Arrow, Parquet): two files, or real files (or a folder) then the folder of synthetic tables',
    )
    .usage('[options] <real> <synthetic> | <real files...> <synthetic folder>')
    .option(
      '--bins <N>',
      'equal-width bins for numbers with many distinct values (default 20)',
      wholeNumber('--bins'),
    )
    .option('--max-tvd <x>', "exit 1 when the mean TVD (of a table set: any table's) is above x")
    .option('--max-count-tvd <x>', 'table sets: exit 1 when the TVD of rows per referenced row is above x')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  goldgen compare adult.csv adult-synthetic.csv --max-tvd 0.05\n  goldgen compare real/customers.csv real/orders.csv synthetic/ --json',
    )
    .action(async (files: string[], opts) => {
      const maxTvd = limitOf('--max-tvd', opts.maxTvd)
      const maxCountTvd = limitOf('--max-count-tvd', opts.maxCountTvd)
      if (files.length < 2)
        throw new GoldgenError(
          'USAGE',
          'compare needs real data and synthetic data: <real> <synthetic>, or <real files...> <synthetic folder>',
        )
      const synthetic = files[files.length - 1]!
      const real = files.slice(0, -1)
      const { statSync } = await import('node:fs')
      const stat = statSync(synthetic, { throwIfNoEntry: false })
      if (stat === undefined && real.length > 1)
        throw new GoldgenError(
          'NOT_FOUND',
          `${synthetic}: no such folder (expected the folder of synthetic tables)`,
        )
      if (stat?.isDirectory() !== true) {
        if (real.length > 1)
          throw new GoldgenError(
            'USAGE',
            `${synthetic} is not a folder: with several real files, the last argument is the folder of synthetic tables (one file per table, named like the real files)`,
          )
        if (maxCountTvd !== undefined)
          throw new GoldgenError(
            'USAGE',
            '--max-count-tvd applies to table sets (a folder of synthetic tables)',
          )
        return compareTwo(io, exitWith, real[0]!, synthetic, opts, maxTvd)
      }
      const { compareTables } = await import('../compare/tables.ts')
      const { renderTableSet } = await import('../compare/tables-render.ts')
      const report = await compareTables(real, synthetic, { bins: opts.bins })
      io.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderTableSet(report))
      let failed = false
      for (const p of report.integrity.problems) {
        io.stderr.write(`goldgen: key integrity: ${p}\n`)
        failed = true
      }
      for (const [name, t] of Object.entries(report.tables)) {
        if (maxTvd !== undefined && t.meanTvd > maxTvd) {
          io.stderr.write(
            `goldgen: table ${name}: mean TVD ${t.meanTvd.toFixed(4)} is above --max-tvd ${maxTvd}\n`,
          )
          failed = true
        }
        for (const r of t.refs) {
          if (maxCountTvd !== undefined && r.counts.tvd > maxCountTvd) {
            io.stderr.write(
              `goldgen: table ${name}: rows per ${r.references} (${name}.${r.column}) TVD ${r.counts.tvd.toFixed(4)} is above --max-count-tvd ${maxCountTvd}\n`,
            )
            failed = true
          }
        }
      }
      if (failed) exitWith(1)
    })
}

async function compareTwo(
  io: CliIo,
  exitWith: (code: number) => never,
  realFile: string,
  syntheticFile: string,
  opts: { bins?: number; json?: boolean },
  maxTvd: number | undefined,
): Promise<void> {
  const { compareFiles, renderFidelity } = await import('../compare/fidelity.ts')
  const report = await compareFiles(realFile, syntheticFile, { bins: opts.bins })
  io.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderFidelity(report))
  if (report.onlyReal.length > 0 || report.onlySynthetic.length > 0) {
    const sides = [
      report.onlyReal.length > 0 ? `only in ${realFile}: ${report.onlyReal.join(', ')}` : '',
      report.onlySynthetic.length > 0 ? `only in ${syntheticFile}: ${report.onlySynthetic.join(', ')}` : '',
    ].filter((x) => x !== '')
    io.stderr.write(`goldgen: warning: columns not compared (${sides.join('; ')})\n`)
  }
  if (maxTvd !== undefined && report.meanTvd > maxTvd) {
    io.stderr.write(`goldgen: mean TVD ${report.meanTvd.toFixed(4)} is above --max-tvd ${maxTvd}\n`)
    exitWith(1)
  }
}
