/**
 * The commands on schemas and data files themselves: `generate`, `validate` and `inspect`.
 * Each parses its options, calls the front door (src/api/) and prints.
 */
import { type Command, Option } from 'commander'
import type { ValidationSummary } from '../api/validate.ts'
import { exitCodes, GoldgenError } from '../core/errors.ts'
import { type CliIo, collect, jsonSafe } from './io.ts'
import { jsonlNonFiniteOption, seedNumber, wholeNumber } from './options.ts'
import { generateScaled, partsSummary, scaleOptions } from './scale.ts'

const FORMATS = ['arrow', 'arrow-file', 'csv', 'jsonl', 'json', 'parquet']

const humanBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`

export function coreCommands(program: Command, io: CliIo, exitWith: (code: number) => never): void {
  generateCommand(program, io)
  validateCommand(program, io, exitWith)
  inspectCommand(program, io)
}

function generateCommand(program: Command, io: CliIo): void {
  const command = program
    .command('generate')
    .description(
      'generate a dataset from a schema (YAML or JSON, or a JSON Schema) and write it with its manifest',
    )
    .argument('<schema>', 'dataset schema file, or a JSON Schema (rows are its records)')
    .option(
      '-n, --rows <N>',
      "rows to generate (default: the schema's rows, else 1000)",
      wholeNumber('--rows'),
    )
    .option('-s, --seed <N>', "seed, 0 to 4294967295 (default: the schema's seed, else 0)", seedNumber)
    .option('--offset <K>', 'start at row K of the full dataset (rows K … K+N-1)', wholeNumber('--offset'))
    .option(
      '--total <T>',
      "rows in the full dataset an --offset slice is cut from (default: the schema's rows); exact counts and coverage are laid out over it",
      wholeNumber('--total'),
    )
    .option(
      '--tags',
      "add a _goldgen_tags column listing each row's edge cases and missing values (column:kind)",
    )
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format (default: from the -o extension, else arrow)',
      ).choices(FORMATS),
    )
    .option('-o, --out <path>', 'output file, or - for standard output (default: <name>.<ext>)')
    .option('--manifest <path>', 'manifest file (default: <out>.manifest.json)')
    .option('--no-manifest', 'write no manifest')
    .option(
      '--negative <N>',
      'also write N rows that each break the schema in one named way (JSONL)',
      wholeNumber('--negative', 1_000_000),
    )
    .option('--negative-out <path>', 'where negative rows go (default: <out>.negative.jsonl)')
    .option('--json', 'print the manifest as JSON instead of a summary')
    .addOption(jsonlNonFiniteOption())
    .option('--refs <dir>', "a JSON Schema's $refs: a folder of the documents they name; repeatable", collect)
    .option('--ref <file>', "a JSON Schema's $refs: one document they name; repeatable", collect)
    .option('--table <name>', 'tables schemas: write only this table (-o is then its file)')
  scaleOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  goldgen generate schemas/examples/churn.yaml -o churn.arrow\n  goldgen generate churn.yaml --rows 100 --format csv -o -\n  goldgen generate churn.yaml --offset 5000 --rows 100 -o slice.jsonl\n  goldgen generate churn.yaml --rows 100000000 --shards 8 -o churn-parts/\n  goldgen generate churn.yaml --rows 100000000 --shard 3/8 -o part-00003.parquet',
    )
    .action(async (schemaFile: string, opts) => {
      if (opts.json && opts.out === '-')
        throw new GoldgenError(
          'USAGE',
          '--json cannot be combined with -o - (both would use standard output)',
        )
      const { loadSchema } = await import('../api/load-schema.ts')
      const { progressBar } = await import('./progress.ts')
      const source = loadSchema(schemaFile, { refs: opts.refs, ref: opts.ref })
      for (const w of source.warnings ?? []) io.stderr.write(`goldgen: warning: ${schemaFile}: ${w}\n`)
      if (source.def.tables !== undefined) {
        const { generateTablesCommand } = await import('./tables.ts')
        await generateTablesCommand(io, source, opts)
        return
      }
      if (opts.table !== undefined)
        throw new GoldgenError('USAGE', `--table applies to schemas with tables; ${schemaFile} has columns`)
      const rows = opts.rows ?? source.def.rows ?? 1000
      const bar = progressBar(io.stderr, 'generating', rows)
      const result = await generateScaled(source, opts, {
        rows: opts.rows,
        seed: opts.seed,
        offset: opts.offset,
        total: opts.total,
        tags: opts.tags,
        format: opts.format,
        out: opts.out,
        manifest: opts.manifest === false ? false : opts.manifest,
        negative: opts.negative,
        negativeOut: opts.negativeOut,
        nonFinite: opts.jsonlNonfinite,
        onProgress: (done, of) => bar.update(done, of),
        stdout: opts.out === '-' ? io.stdoutSink?.() : undefined,
      })
      bar.done()
      const m = result.manifest
      if (opts.json) {
        io.stdout.write(`${JSON.stringify(m, null, 2)}\n`)
        return
      }
      const file = m.files[0]!
      const say = opts.out === '-' ? io.stderr : io.stdout
      const parts = partsSummary(result, humanBytes, opts.tags === true)
      if (parts !== undefined) return void say.write(parts)
      say.write(
        `wrote ${result.out === '-' ? 'standard output' : file.path} (${file.format}): ${m.rows.toLocaleString('en-US')} rows × ${Object.keys(m.columns).length + (opts.tags ? 1 : 0)} columns, ${humanBytes(file.bytes)}, sha256 ${file.sha256.slice(0, 16)}…, seed ${m.seed}${m.offset > 0 ? `, offset ${m.offset}` : ''}\n`,
      )
      if (m.negative !== undefined) say.write(`negative rows: ${m.negative.rows} in ${m.negative.path}\n`)
      if (result.manifestPath !== undefined) say.write(`manifest ${result.manifestPath}\n`)
    })
}

function validateCommand(program: Command, io: CliIo, exitWith: (code: number) => never): void {
  program
    .command('validate')
    .description('check a schema and report every problem with its path and line')
    .argument('<schema>', 'dataset schema file')
    .option('-n, --rows <N>', 'check feasibility (e.g. unique) for this many rows', wholeNumber('--rows'))
    .option('--json', 'print the result as JSON')
    .action(async (schemaFile: string, opts) => {
      const { validateSchemaFile } = await import('../api/validate.ts')
      let summary: ValidationSummary
      try {
        summary = validateSchemaFile(schemaFile, { rows: opts.rows })
      } catch (e) {
        if (opts.json && e instanceof GoldgenError) {
          io.stdout.write(
            `${JSON.stringify({ valid: false, file: schemaFile, code: e.code, message: e.message, issues: e.issues }, null, 2)}\n`,
          )
          return exitWith(exitCodes[e.code])
        }
        throw e
      }
      if (opts.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
      else
        io.stdout.write(
          `ok: ${schemaFile} is a valid goldgen schema (${
            summary.tables !== undefined
              ? `tables ${Object.entries(summary.tables)
                  .map(([t, n]) => `${t}: ${n} rows`)
                  .join(', ')}; `
              : ''
          }${summary.columns} ${summary.records !== undefined ? `record columns (${Object.values(summary.records).join(', ')})` : 'columns'}, ${summary.rows} rows, seed ${summary.seed})\n`,
        )
    })
}

function inspectCommand(program: Command, io: CliIo): void {
  program
    .command('inspect')
    .description('show the types, row count, per-column statistics and first rows of a data file')
    .argument('<file>', 'an Arrow (stream or file), CSV or JSONL file')
    .option('--head <N>', 'how many first rows to show', wholeNumber('--head'), 5)
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts) => {
      const { inspectFile } = await import('../api/inspect.ts')
      const { renderInspection } = await import('./render.ts')
      const result = await inspectFile(file, opts.head)
      io.stdout.write(opts.json ? `${JSON.stringify(result, jsonSafe, 2)}\n` : renderInspection(result))
    })
}
