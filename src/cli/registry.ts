/**
 * Registry commands: argument parsing and printing only; the work is in registry/service.ts.
 * Each opens the registry in --registry DIR (default: $GOLDGEN_REGISTRY, else ./.goldgen).
 */
import type { Command } from 'commander'
import { GoldgenError } from '../core/errors.ts'
import type { CliIo } from './main.ts'
import { seedNumber, wholeNumber } from './options.ts'

type Registry = Awaited<ReturnType<typeof import('../../registry/service.ts').openRegistry>>

const FORMATS = ['arrow', 'arrow-file', 'csv', 'jsonl', 'json'] as const

async function withRegistry<T>(opts: { registry?: string }, f: (r: Registry) => Promise<T>): Promise<T> {
  const { openRegistry } = await import('../../registry/service.ts')
  const registry = await openRegistry({ dir: opts.registry })
  try {
    return await f(registry)
  } finally {
    registry.close()
  }
}

function json(io: CliIo, value: unknown): void {
  io.stdout.write(
    `${JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`,
  )
}
const collect = (value: string, previous: string[] = []) => [...previous, value]

function keyValues(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of pairs) {
    const at = p.indexOf('=')
    if (at <= 0) throw new GoldgenError('USAGE', `malformed --meta ${JSON.stringify(p)}: expected KEY=VALUE`)
    out[p.slice(0, at)] = p.slice(at + 1)
  }
  return out
}

export function registryCommands(program: Command, io: CliIo, exitWith: (code: number) => never): void {
  const registryOption = (c: Command) =>
    c.option('--registry <dir>', 'registry folder (default: $GOLDGEN_REGISTRY, else ./.goldgen)')

  registryOption(
    program
      .command('publish')
      .description(
        'store a new immutable dataset version: generated from a schema, or an existing Arrow/CSV/JSONL file',
      )
      .argument('<source>', 'a dataset schema (YAML/JSON) or a data file (.arrow, .feather, .csv, .jsonl)')
      .requiredOption('-d, --dataset <name>', 'dataset name')
      .option('-n, --rows <N>', 'rows to generate (schemas only)', wholeNumber('--rows'))
      .option('-s, --seed <N>', 'seed (schemas only)', seedNumber)
      .option('--json', 'print the result as JSON'),
  ).action(async (source: string, opts) => {
    const { formatForPath } = await import('../formats/index.ts')
    const { readFileSync } = await import('node:fs')
    // A .json file is data when it holds an array of rows, else a schema.
    const format = formatForPath(source)
    const isData =
      format !== undefined && (format !== 'json' || readFileSync(source, 'utf8').trimStart().startsWith('['))
    const result = await withRegistry(opts, async (r) => {
      if (isData) return r.publishFile(source, { dataset: opts.dataset })
      const { loadSchema } = await import('../api/load-schema.ts')
      return r.publishSchema(loadSchema(source), { dataset: opts.dataset, seed: opts.seed, rows: opts.rows })
    })
    if (opts.json) return json(io, result)
    io.stdout.write(`${result.ref}\n`)
    if (!result.created)
      io.stderr.write(`identical content was already published as ${result.ref}; nothing new was stored\n`)
  })

  registryOption(
    program
      .command('alias')
      .description('point an alias (e.g. prod) at a dataset version; every move is kept in the history')
      .argument('<ref>', 'dataset version, e.g. churn@3')
      .argument('<alias>', 'alias name'),
  ).action(async (ref: string, alias: string, opts) => {
    const move = await withRegistry(opts, (r) => r.alias(ref, alias))
    io.stdout.write(
      `${move.dataset}@${move.name} → ${move.dataset}@${move.to}${move.from === null ? ' (new alias)' : ` (was @${move.from})`}\n`,
    )
  })

  registryOption(
    program
      .command('history')
      .description("a dataset's alias moves, oldest first")
      .argument('<dataset>', 'dataset name')
      .option('--json', 'print as JSON'),
  ).action(async (dataset: string, opts) => {
    const moves = await withRegistry(opts, (r) => r.history(dataset))
    if (opts.json) return json(io, moves)
    if (moves.length === 0) io.stdout.write(`${dataset} has no alias moves\n`)
    for (const m of moves)
      io.stdout.write(
        `${m.movedAt}  ${m.name}: ${m.from === null ? '(new)' : `@${m.from}`} → @${m.to}${m.movedBy ? `  by ${m.movedBy}` : ''}\n`,
      )
  })

  registryOption(
    program.command('list').description('datasets in the registry').option('--json', 'print as JSON'),
  ).action(async (opts) => {
    const datasets = await withRegistry(opts, (r) => r.list())
    if (opts.json) return json(io, datasets)
    if (datasets.length === 0)
      io.stdout.write('the registry has no datasets yet; add one with goldgen publish\n')
    for (const d of datasets)
      io.stdout.write(`${d.name}  ${d.versions} version${d.versions === 1 ? '' : 's'}, latest @${d.latest}\n`)
  })

  registryOption(
    program
      .command('show')
      .description("a version's manifest summary")
      .argument('<ref>', 'dataset reference')
      .option('--json', 'print the manifest as JSON'),
  ).action(async (ref: string, opts) => {
    const shown = await withRegistry(opts, (r) => r.show(ref))
    if (opts.json) return json(io, shown)
    const { version: v, aliases, manifest } = shown
    const names = Object.entries(aliases)
      .filter(([, n]) => n === v.version)
      .map(([a]) => a)
    io.stdout.write(`${v.dataset}@${v.version}${names.length > 0 ? ` (${names.join(', ')})` : ''}\n`)
    io.stdout.write(
      `  ${v.rows} rows, ${v.format}, sha256 ${v.sha256}\n  created ${v.createdAt}${v.createdBy ? ` by ${v.createdBy}` : ''}\n`,
    )
    io.stdout.write(
      v.recipe === null
        ? `  imported from ${(manifest as { imported?: string }).imported}\n`
        : `  generated: seed ${manifest.seed}, goldgen ${manifest.goldgen.version}\n`,
    )
    for (const [name, c] of Object.entries(manifest.columns ?? {})) {
      const col = c as unknown as Record<string, unknown>
      const range = col.min === undefined ? '' : ` [${col.min}, ${col.max}]`
      io.stdout.write(
        `  ${name}: ${String(col.type ?? col.arrowType)}${range}${col.nullCount ? `, ${col.nullCount} null` : ''}\n`,
      )
    }
  })

  registryOption(
    program
      .command('fetch')
      .description('write a version to a file, converting the format on the way out')
      .argument('<ref>', 'dataset reference')
      .requiredOption('-o, --out <file>', 'output file')
      .option(
        '-f, --format <format>',
        `output format (${FORMATS.join(', ')}; default: from the extension, else as stored)`,
      ),
  ).action(async (ref: string, opts) => {
    const got = await withRegistry(opts, (r) => r.fetch(ref, opts.out, opts.format))
    io.stdout.write(`wrote ${got.path} (${got.format}) from ${got.ref}, ${got.bytes} bytes\n`)
  })

  registryOption(
    program
      .command('diff')
      .description('how two versions differ: schema, rows, column statistics, rows by key')
      .argument('<a>', 'dataset reference')
      .argument('<b>', 'dataset reference')
      .option('--json', 'print as JSON'),
  ).action(async (a: string, b: string, opts) => {
    const d = await withRegistry(opts, (r) => r.diff(a, b))
    if (opts.json) return json(io, d)
    io.stdout.write(`${d.a} → ${d.b}\n  rows: ${d.rows.a} → ${d.rows.b}\n`)
    if (d.schema)
      io.stdout.write(
        `  columns added: ${d.schema.added.join(', ') || '-'}; removed: ${d.schema.removed.join(', ') || '-'}; changed: ${d.schema.changed.join(', ') || '-'}\n`,
      )
    for (const [column, changes] of Object.entries(d.stats)) {
      io.stdout.write(
        `  ${column}: ${Object.entries(changes)
          .map(([k, c]) => `${k} ${JSON.stringify(c.a)} → ${JSON.stringify(c.b)}`)
          .join(', ')}\n`,
      )
    }
    if (d.byKey)
      io.stdout.write(
        `  rows by ${d.byKey.key}: ${d.byKey.added} added, ${d.byKey.removed} removed, ${d.byKey.changed} changed\n`,
      )
  })

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
    if (opts.json) json(io, results)
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
    const registry = await openRegistry({ dir: opts.registry })
    const server = await listen(registry, {
      host: opts.host,
      port: opts.port,
      readTokenRequired: opts.readTokenRequired === true,
      bodyLimit: opts.bodyLimit,
    })
    io.stderr.write(`goldgen serving ${registry.dir} at ${server.url} (Ctrl-C to stop)\n`)
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

  const model = program.command('model').description('model versions')
  registryOption(
    model
      .command('add')
      .description('register a model version')
      .argument('<model@version>', 'e.g. churn@1.2.0')
      .option('--meta <key=value>', 'metadata (repeatable)', collect, []),
  ).action(async (ref: string, opts) => {
    const { record, created } = await withRegistry(opts, (r) => r.addModel(ref, keyValues(opts.meta)))
    io.stdout.write(`${record.model}@${record.version}${created ? '' : ' (already registered)'}\n`)
  })

  registryOption(
    program
      .command('expect')
      .description('attach the outputs a model version is expected to produce on a dataset version')
      .argument('<model@version>', 'model version')
      .argument('<dataset-ref>', 'dataset version')
      .argument('<outputs-file>', 'one row per input row (Arrow, CSV or JSONL)')
      .option(
        '-t, --tolerance <col=exact|atol:X|rtol:X>',
        'tolerance per output column (repeatable; default exact)',
        collect,
        [],
      ),
  ).action(async (modelRef: string, datasetRef: string, outputs: string, opts) => {
    const { parseTolerances } = await import('../compare/rows.ts')
    const tolerances = parseTolerances(opts.tolerance)
    const e = await withRegistry(opts, (r) => r.expect(modelRef, datasetRef, outputs, tolerances))
    io.stdout.write(
      `${e.model}@${e.version} expects ${outputs} on ${e.dataset}${e.created ? '' : ' (already attached)'}\n`,
    )
  })

  registryOption(
    program
      .command('fixtures')
      .description('the datasets bound to a model version, with their tolerances')
      .argument('<model@version>', 'model version')
      .option('--json', 'print as JSON'),
  ).action(async (ref: string, opts) => {
    const list = await withRegistry(opts, (r) => r.fixtures(ref))
    if (opts.json) return json(io, list)
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
      .description("compare a model's actual outputs with its expected outputs; exit 1 on a regression")
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
    if (opts.json) json(io, report)
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
    }
    if (!report.passed) exitWith(1)
  })
}
