/**
 * `goldgen contract` (run the contract stages against a served model) and `goldgen runs` (the
 * recorded runs of a model version): argument parsing and printing only; the runner is
 * src/contract/run.ts.
 */
import { type Command, InvalidArgumentError, Option } from 'commander'
import { type CliIo, printJson, writeOut } from './io.ts'
import { wholeNumber } from './options.ts'

const positiveNumber = (name: string) => (value: string) => {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`${name} must be a number > 0, got ${JSON.stringify(value)}`)
  return n
}

export function contractCommands(program: Command, io: CliIo, exitWith: (code: number) => never): void {
  program
    .command('contract')
    .description(
      "test a served model against a model version's goldens: health, metadata, replay, errors, smoke, load",
    )
    .argument('<model@version>', 'the model version whose fixtures are replayed')
    .requiredOption('--endpoint <url>', "the served model's base URL (json: the URL rows are POSTed to)")
    .addOption(
      new Option(
        '--protocol <protocol>',
        'oip (Open Inference Protocol / KServe v2), kserve-v1, mlflow or json',
      )
        .choices(['oip', 'kserve-v1', 'mlflow', 'json'])
        .default('oip'),
    )
    .option('--model-name <name>', "the model's name on the server (default: the registry's model name)")
    .option('--inputs <spec>', 'pack columns into one [batch, k] input: "x=age,income,score" (several: ";")')
    .option('--outputs <spec>', 'which output answers which expected column: "probability=churn_prob"')
    .option('--batch <N>', 'rows per replay request (default 32)', wholeNumber('--batch'))
    .option('--stages <list>', 'stages to run (default all): health,metadata,replay,errors,smoke,load')
    .option(
      '--concurrency <C>',
      'load and chaos stages: concurrent connections (default 8)',
      wholeNumber('--concurrency'),
    )
    .option('--duration <S>', 'load stage: seconds (default 10)', positiveNumber('--duration'))
    .option(
      '--sla <spec>',
      'load stage SLA, e.g. "p99<=50ms,p50<=10ms,error_rate<=0.001,rps>=200" (default: the model version\'s, else error_rate<=0.001)',
    )
    .option(
      '--timeout <MS>',
      'milliseconds before a request counts as timed out (default 5000)',
      wholeNumber('--timeout'),
    )
    .option(
      '--chaos <plan.yaml>',
      'also replay while a chaos plan switches faults through a goldgen chaos proxy (without --stages only health runs first)',
    )
    .option('--junit <file>', 'also write the result as JUnit XML (one testcase per stage and fixture)')
    .option('--json', 'print the whole report as JSON')
    .option('--record', 'store the run in the registry (see goldgen runs)')
    .option('--registry <dir>', 'registry folder (default: $GOLDGEN_REGISTRY, else ./.goldgen)')
    .addHelpText(
      'after',
      '\nExit code: 0 when every stage passes, 1 when one fails (an unreachable endpoint fails health), 2 for bad input.\n\nExample:\n  goldgen contract churn-model@1.0.0 --endpoint http://127.0.0.1:8080 --sla "p99<=50ms" --junit contract.xml',
    )
    .action(async (model: string, opts) => {
      const { runContract } = await import('../contract/run.ts')
      const report = await runContract({
        model,
        endpoint: opts.endpoint,
        protocol: opts.protocol,
        modelName: opts.modelName,
        inputs: opts.inputs,
        outputs: opts.outputs,
        batch: opts.batch,
        stages: opts.stages,
        concurrency: opts.concurrency,
        duration: opts.duration,
        sla: opts.sla,
        timeout: opts.timeout,
        chaos: opts.chaos,
        record: opts.record === true,
        registry: opts.registry,
      })
      if (opts.junit !== undefined) {
        const { toJunit } = await import('../contract/report/junit.ts')
        await writeOut(io, opts.junit, toJunit(report))
      }
      if (opts.json) printJson(io, report)
      else {
        const { renderReport } = await import('../contract/report/text.ts')
        io.stdout.write(renderReport(report))
      }
      if (!report.passed) exitWith(1)
    })

  program
    .command('runs')
    .description('the recorded contract runs of a model version (goldgen contract --record), oldest first')
    .argument('<model@version>', 'model version')
    .option('--json', 'print as JSON')
    .option('--registry <dir>', 'registry folder (default: $GOLDGEN_REGISTRY, else ./.goldgen)')
    .action(async (ref: string, opts) => {
      const { openRegistry } = await import('../../registry/service.ts')
      const registry = await openRegistry({ dir: opts.registry })
      try {
        const runs = await registry.runs(ref)
        if (opts.json) return printJson(io, runs)
        if (runs.length === 0)
          io.stdout.write(`${ref} has no recorded runs; record one with goldgen contract --record\n`)
        for (const r of runs) {
          const stages = (r.stages as { stage: string; fixture?: string; window?: string; status: string }[])
            .map((s) => {
              const of = s.window ?? s.fixture
              return `${s.stage}${of === undefined ? '' : `(${of})`}:${s.status}`
            })
            .join(' ')
          const f = r.figures as { p99?: number; rps?: number } | null
          const load = f === null ? '' : `  p99 ${f.p99} ms, ${f.rps} rps`
          io.stdout.write(
            `#${r.id}  ${r.at}  ${r.passed ? 'PASS' : 'FAIL'}  ${r.protocol} ${r.endpoint}  on ${r.datasets.join(', ')}  ${stages}${load}  goldgen ${r.goldgen}\n`,
          )
        }
      } finally {
        registry.close()
      }
    })
}
