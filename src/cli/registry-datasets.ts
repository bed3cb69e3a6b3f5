/**
 * Registry commands on dataset versions: `publish`, `alias`, `history`, `list`, `show`, `fetch`
 * and `diff`. Argument parsing and printing only; the work is in the registry (multi-table
 * versions: registry-tables.ts).
 */
import type { Command } from 'commander'
import { type CliIo, printJson } from './io.ts'
import { jsonlNonFiniteOption, seedNumber, wholeNumber } from './options.ts'
import { registryOption, withRegistry } from './registry-shared.ts'

const FORMATS = ['arrow', 'arrow-file', 'csv', 'jsonl', 'json'] as const

export function datasetCommands(program: Command, io: CliIo): void {
  storeCommands(program, io)
  readCommands(program, io)
}

/** `publish`, `alias`, `history` and `list`. */
function storeCommands(program: Command, io: CliIo): void {
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
    if (opts.json) return printJson(io, result)
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
    if (opts.json) return printJson(io, moves)
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
    if (opts.json) return printJson(io, datasets)
    if (datasets.length === 0)
      io.stdout.write('the registry has no datasets yet; add one with goldgen publish\n')
    for (const d of datasets)
      io.stdout.write(`${d.name}  ${d.versions} version${d.versions === 1 ? '' : 's'}, latest @${d.latest}\n`)
  })
}

/** `show`, `fetch` and `diff`. */
function readCommands(program: Command, io: CliIo): void {
  registryOption(
    program
      .command('show')
      .description("a version's manifest summary")
      .argument('<ref>', 'dataset reference')
      .option('--json', 'print the manifest as JSON'),
  ).action(async (ref: string, opts) => {
    const shown = await withRegistry(opts, (r) => r.show(ref))
    if (opts.json) return printJson(io, shown)
    const { version: v, aliases, manifest } = shown
    if (v.format === 'tables') {
      const { showTables } = await import('./registry-tables.ts')
      return showTables(io, shown)
    }
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
      io.stdout.write(`  ${name}: ${String(col.type ?? col.arrowType)}${columnFacts(col)}\n`)
    }
  })

  registryOption(
    program
      .command('fetch')
      .description('write a version (or one table of a multi-table version) to a file, converting the format')
      .argument('<ref>', 'dataset reference')
      .requiredOption(
        '-o, --out <file>',
        'output file (a multi-table version without --table: a folder, written as TABLE.EXT each)',
      )
      .option(
        '-f, --format <format>',
        `output format (${FORMATS.join(', ')}; default: from the extension, else as stored)`,
      )
      .option('--table <name>', 'one table of a multi-table version')
      .addOption(jsonlNonFiniteOption()),
  ).action(async (ref: string, opts) => {
    const { fetchCommand } = await import('./registry-tables.ts')
    await fetchCommand(io, ref, opts)
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
    if (opts.json) return printJson(io, d)
    io.stdout.write(`${d.a} → ${d.b}\n`)
    if (!d.sameDataset) io.stdout.write('  two different datasets: compared by column name\n')
    io.stdout.write(`  rows: ${d.rows.a} → ${d.rows.b}\n`)
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
    if (d.byKey === undefined) io.stdout.write('  rows by key: no key column (id) both versions have\n')
    else
      io.stdout.write(
        `  rows by ${d.byKey.key} (on ${d.byKey.columns.length} shared columns): ${d.byKey.added} added, ${d.byKey.removed} removed, ${d.byKey.changed} changed\n`,
      )
  })
}

/**
 * A column's range and counts as `show` prints them: the range of its finite values (none when
 * every value is NaN, ±Infinity or null), then how many nulls, NaN, Infinity and -Infinity.
 */
function columnFacts(col: Record<string, unknown>): string {
  const finite = (v: unknown) => v !== undefined && v !== null
  const range = finite(col.min) && finite(col.max) ? ` [${col.min}, ${col.max}]` : ''
  const counts = [
    [col.nullCount, 'null'],
    [col.nanCount, 'NaN'],
    [col.infinityCount, 'Infinity'],
    [col.negativeInfinityCount, '-Infinity'],
  ]
    .filter(([n]) => typeof n === 'number' && n > 0)
    .map(([n, what]) => `, ${n} ${what}`)
  return `${range}${counts.join('')}`
}
