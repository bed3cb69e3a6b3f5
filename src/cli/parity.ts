/**
 * `goldgen parity` (the same golden rows through two feature pipelines, compared column by
 * column): argument parsing and printing only; the runner is src/parity/run.ts.
 */
import { type Command, Option } from 'commander'
import { type CliIo, collect, printJson, writeOut } from './io.ts'
import { wholeNumber } from './options.ts'
import { registryOption } from './registry-shared.ts'

export function parityCommand(program: Command, io: CliIo, exitWith: (code: number) => never): void {
  registryOption(
    program
      .command('parity')
      .description(
        'feature parity: the same golden rows through two feature pipelines (commands or URLs), compared column by column',
      )
      .argument('<dataset@ref>', 'the fixture: a dataset version, e.g. churn@3 or churn@prod')
      .requiredOption(
        '--a <cmd|url>',
        'pipeline a: "CMD {input} {output}", a CMD reading CSV on stdin and writing CSV on stdout, or an http(s) URL rows are POSTed to',
      )
      .requiredOption('--b <cmd|url>', 'pipeline b, the same way')
      .option('--key <col>', 'pair feature rows by this column (default: by position)')
      .option(
        '--tolerance <col=exact|atol:X|rtol:X>',
        'tolerance per feature column (repeatable; default exact)',
        collect,
        [],
      )
      .addOption(
        new Option('--input-format <format>', 'how {input} is written (default csv)').choices([
          'csv',
          'jsonl',
          'arrow',
          'parquet',
        ]),
      )
      .option('--timeout <MS>', 'milliseconds a pipeline may take (default 120000)', wholeNumber('--timeout'))
      .option(
        '--junit <file>',
        'also write the result as JUnit XML (one testcase per pipeline, one for the rows, one per column)',
      )
      .option('--json', 'print the whole report as JSON'),
  )
    .addHelpText(
      'after',
      '\n{output} may be followed by an extension ({output}.parquet): the features are read by it (CSV, JSONL, Arrow, Parquet).\nExit code: 0 when the features agree, 1 when they differ or a pipeline fails (crash, timeout, unreadable answer), 2 for bad input.\n\nExample:\n  goldgen parity churn@prod --a "python3 train_features.py {input} {output}.parquet" --b http://127.0.0.1:8080/features --key customer_id --tolerance log_income=atol:1e-9 --junit parity.xml',
    )
    .action(async (dataset: string, opts) => {
      const { runParity } = await import('../parity/run.ts')
      const report = await runParity({
        dataset,
        a: opts.a,
        b: opts.b,
        key: opts.key,
        tolerances: opts.tolerance,
        inputFormat: opts.inputFormat,
        timeout: opts.timeout,
        registry: opts.registry,
        blobs: opts.blobs,
      })
      if (opts.junit !== undefined) {
        const { parityJunit } = await import('../parity/report.ts')
        await writeOut(io, opts.junit, parityJunit(report))
      }
      for (const p of [report.a, report.b])
        if (p.error !== undefined) io.stderr.write(`goldgen: ${p.error}\n`)
      if (opts.json) printJson(io, report)
      else {
        const { renderParity } = await import('../parity/report.ts')
        io.stdout.write(renderParity(report))
      }
      if (!report.passed) exitWith(1)
    })
}
