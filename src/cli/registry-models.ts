/**
 * Models and their expected outputs: `model add`, `expect` (expected outputs and/or metric
 * expectations), `fixtures` and `check` (exit 1 on a regression or a metric out of bounds).
 */
import type { Command } from 'commander'
import { GoldgenError } from '../core/errors.ts'
import { type CliIo, collect, printJson } from './io.ts'
import { keyValues, registryOption, withRegistry } from './registry-shared.ts'

export function modelCommands(program: Command, io: CliIo, exitWith: (code: number) => never): void {
  const model = program.command('model').description('model versions')
  registryOption(
    model
      .command('add')
      .description('register a model version')
      .argument('<model@version>', 'e.g. churn@1.2.0')
      .option('--meta <key=value>', 'metadata (repeatable)', collect, [])
      .option(
        '--sla <spec>',
        'the SLA its contract load stage is judged by, e.g. "p99<=50ms,error_rate<=0.001"',
      ),
  ).action(async (ref: string, opts) => {
    const { formatSla, parseSla } = await import('../contract/sla.ts')
    const sla = opts.sla === undefined ? undefined : formatSla(parseSla(opts.sla))
    const { record, created } = await withRegistry(opts, async (r) => {
      const added = await r.addModel(ref, keyValues(opts.meta))
      return sla === undefined ? added : { ...added, record: await r.setSla(ref, sla) }
    })
    const stored = record.metadata.sla === undefined ? '' : `, SLA ${record.metadata.sla}`
    io.stdout.write(`${record.model}@${record.version}${created ? '' : ' (already registered)'}${stored}\n`)
  })

  registryOption(
    program
      .command('expect')
      .description(
        'attach the outputs a model version is expected to produce on a dataset version, and/or the metrics it must reach',
      )
      .argument('<model@version>', 'model version')
      .argument('<dataset-ref>', 'dataset version')
      .argument('[outputs-file]', 'one row per input row (Arrow, CSV or JSONL); optional with --metric')
      .option(
        '-t, --tolerance <col=exact|atol:X|rtol:X>',
        'tolerance per output column (repeatable; default exact)',
        collect,
        [],
      )
      .option(
        '--metric <expr>',
        'a metric bound, e.g. "roc_auc(label, churn_prob) >= 0.80" (repeatable)',
        collect,
        [],
      )
      .option(
        '--slice <col|col:bins=[a,b,c]>',
        'also compute the metrics per value or bin of a column (repeatable)',
        collect,
        [],
      )
      .option(
        '--baseline <model@version>',
        "fail when a metric falls below this model version's, on its expected outputs",
      )
      .option('--max-drop <x>', 'how far a metric may fall below the baseline (overall and per slice)'),
  ).action(async (modelRef: string, datasetRef: string, outputs: string | undefined, opts) => {
    const { parseTolerances } = await import('../compare/rows.ts')
    const { printMetricChecks } = await import('./metrics.ts')
    const { metricExpectation } = await import('../metrics/spec.ts')
    const tolerances = parseTolerances(opts.tolerance)
    const spec = metricExpectation(opts)
    if (outputs === undefined && spec === undefined)
      throw new GoldgenError(
        'USAGE',
        'give an outputs file, or at least one --metric "NAME(truth, prediction) OP bound"',
      )
    if (outputs === undefined && opts.tolerance.length > 0)
      throw new GoldgenError('USAGE', '--tolerance applies to an outputs file; give one')
    await withRegistry(opts, async (r) => {
      // Metrics are checked first, so bad ones leave nothing attached.
      const plan = spec === undefined ? undefined : await r.planMetrics(modelRef, datasetRef, spec, outputs)
      if (outputs !== undefined) {
        const e = await r.expect(modelRef, datasetRef, outputs, tolerances)
        io.stdout.write(
          `${e.model}@${e.version} expects ${outputs} on ${e.dataset}${e.created ? '' : ' (already attached)'}\n`,
        )
      }
      if (plan === undefined || spec === undefined) return
      const { created } = await plan.commit()
      const slices =
        spec.slices.length === 0 ? '' : `, per slice of ${spec.slices.map((s) => s.column).join(', ')}`
      const base =
        spec.baseline === undefined ? '' : `, at most ${spec.baseline.maxDrop} below ${spec.baseline.model}`
      io.stdout.write(
        `${plan.model}@${plan.version} expects ${spec.metrics.length} metric${spec.metrics.length === 1 ? '' : 's'} on ${plan.dataset}${slices}${base}${created ? '' : ' (already attached)'}\n`,
      )
      if (plan.evaluation !== undefined) {
        io.stdout.write(`  values on ${outputs ?? `the expected outputs of ${spec.baseline?.model}`}:\n`)
        printMetricChecks(io, plan.evaluation.checks, false)
      }
    })
  })

  registryOption(
    program
      .command('fixtures')
      .description('the datasets bound to a model version, with their tolerances')
      .argument('<model@version>', 'model version')
      .option('--json', 'print as JSON'),
  ).action(async (ref: string, opts) => {
    const list = await withRegistry(opts, (r) => r.fixtures(ref))
    if (opts.json) return printJson(io, list)
    if (list.length === 0)
      io.stdout.write(`${ref} has no fixtures yet; attach expected outputs with goldgen expect\n`)
    for (const e of list) {
      const tol = Object.entries(e.tolerances).map(
        ([c, t]) => `${c}=${t.kind}${t.value === undefined ? '' : `:${t.value}`}`,
      )
      io.stdout.write(
        `${e.dataset.dataset}@${e.dataset.version}  ${e.rows} rows  outputs ${e.format} sha256 ${e.sha256.slice(0, 12)}…  ${tol.join(' ') || 'exact'}\n`,
      )
    }
  })

  registryOption(
    program
      .command('check')
      .description(
        "compare a model's actual outputs with its expected outputs and judge its metric expectations; exit 1 on a regression",
      )
      .argument('<model@version>', 'model version')
      .option('--outputs <file>', 'actual outputs (one row per input row)')
      .option('--run <command>', 'run "CMD {input} {output}" on each fixture; goldgen fills in the paths')
      .option('--dataset <ref>', 'which fixture --outputs is for, when there are several')
      .option('--input-format <format>', 'format of {input} for --run (arrow, csv, jsonl; default arrow)')
      .option('--json', 'print the report as JSON'),
  ).action(async (ref: string, opts) => {
    const report = await withRegistry(opts, (r) =>
      r.check(ref, {
        outputs: opts.outputs,
        run: opts.run,
        dataset: opts.dataset,
        inputFormat: opts.inputFormat,
      }),
    )
    if (opts.json) printJson(io, report)
    else {
      for (const r of report.results) {
        const ok = r.rowsFailing === 0 && r.problems.length === 0
        io.stdout.write(
          `${ok ? 'PASS' : 'FAIL'} ${report.model}@${report.version} on ${r.dataset}: ${r.rowsCompared} rows compared, ${r.rowsFailing} failing\n`,
        )
        for (const p of r.problems) io.stdout.write(`  ${p}\n`)
        const worst = Object.entries(r.worst).filter(([, d]) => d !== null && d > 0)
        if (worst.length > 0)
          io.stdout.write(`  worst deviation: ${worst.map(([c, d]) => `${c} ${d}`).join(', ')}\n`)
        for (const f of r.firstFailures) {
          const cols = f.columns
            .map(
              (c) => `${c.column}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(c.actual)}`,
            )
            .join('; ')
          io.stdout.write(`  row ${f.row}: ${cols}${f.tags.length > 0 ? `  [${f.tags.join(', ')}]` : ''}\n`)
        }
      }
      if (report.metrics.length > 0) {
        const { printMetricReport } = await import('./metrics.ts')
        for (const m of report.metrics) printMetricReport(io, `${report.model}@${report.version}`, m)
      }
    }
    if (!report.passed) exitWith(1)
  })
}
