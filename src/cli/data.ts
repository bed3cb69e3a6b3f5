/**
 * Commands that start from what users already have: `import` (JSON Schema → goldgen schema),
 * `export-jsonschema`, `infer` (data sample → goldgen schema) and `compare` (fidelity report).
 */
import type { Command } from 'commander'
import { GoldgenError } from '../core/errors.ts'
import { compareCommand } from './compare.ts'
import { type CliIo, collect, writeOut } from './io.ts'
import { wholeNumber } from './options.ts'

export function dataCommands(program: Command, io: CliIo, exitWith: (code: number) => never): void {
  jsonSchemaCommands(program, io)
  sampleCommands(program, io, exitWith)
}

/** `import` and `export-jsonschema`. */
function jsonSchemaCommands(program: Command, io: CliIo): void {
  program
    .command('import')
    .description('turn a JSON Schema (draft 04, 06, 07, 2019-09, 2020-12) into a goldgen schema of records')
    .argument('<file>', 'a JSON Schema file')
    .option(
      '--pointer <fragment>',
      "the subschema one record follows, e.g. '#/$defs/Order' (default: the whole document)",
    )
    .option('--name <name>', "dataset name (default: from the schema's title or the file name)")
    .option(
      '--refs <dir>',
      'a folder of JSON Schema documents its $refs may name (by $id or path); repeatable',
      collect,
    )
    .option('--ref <file>', 'a JSON Schema document its $refs may name; repeatable', collect)
    .option('-n, --rows <N>', 'rows the schema asks for', wholeNumber('--rows'))
    .option('-o, --out <path>', 'where the goldgen schema goes (default: standard output)')
    .option('--json', 'print columns and warnings as JSON (the schema still goes to --out)')
    .addHelpText(
      'after',
      "\nExamples:\n  goldgen import order.schema.json -o order.yaml\n  goldgen import api.json --pointer '#/$defs/Order' -o order.yaml\n  goldgen import order.schema.json --refs schemas/ -o order.yaml",
    )
    .action(async (file: string, opts) => {
      const { importJsonSchemaAsRecords } = await import('../api/jsonschema.ts')
      const result = importJsonSchemaAsRecords(file, {
        pointer: opts.pointer,
        name: opts.name,
        rows: opts.rows,
        refs: opts.refs,
        ref: opts.ref,
      })
      const columns = result.columns
      if (opts.json && (opts.out === undefined || opts.out === '-')) {
        throw new GoldgenError(
          'USAGE',
          '--json needs -o PATH for the schema (both would use standard output)',
        )
      }
      await writeOut(io, opts.out, result.yaml)
      const summary = {
        file,
        out: opts.out ?? '-',
        columns,
        warnings: result.warnings,
      }
      if (opts.json) {
        io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
        return
      }
      for (const w of result.warnings)
        io.stderr.write(`goldgen: warning: ${file}: ${w.pointer}: ${w.message}\n`)
      if (opts.out !== undefined && opts.out !== '-') {
        io.stdout.write(
          `wrote ${opts.out}: records with ${columns.length} columns (${result.warnings.length} warnings)\n`,
        )
      }
    })

  program
    .command('export-jsonschema')
    .description('print the JSON Schema (draft 2020-12) that every generated JSONL row validates against')
    .argument('<schema>', 'a goldgen schema file')
    .option('-o, --out <path>', 'where it goes (default: standard output)')
    .action(async (schemaFile: string, opts) => {
      const { exportJsonSchemaOf } = await import('../api/jsonschema.ts')
      await writeOut(io, opts.out, `${JSON.stringify(exportJsonSchemaOf(schemaFile), null, 2)}\n`)
    })
}

/** `infer` and `compare`: commands on a sample of real data. */
function sampleCommands(program: Command, io: CliIo, exitWith: (code: number) => never): void {
  program
    .command('infer')
    .description('infer a goldgen schema from a sample of real data (CSV, JSONL, Arrow)')
    .argument('<data...>', 'a data file, or several: one table each (keys, foreign keys, lookups)')
    .option('-o, --out <path>', 'where the schema goes (default: standard output)')
    .option('--delimiter <char>', 'CSV field delimiter (default: detected)')
    .option(
      '--null <token>',
      'a cell text that means missing; repeat for several (default: "", NA, N/A, null, NULL, None, ?)',
      collect,
    )
    .option(
      '--max-categories <N>',
      'text columns with at most N distinct values become categories (default 50)',
      wholeNumber('--max-categories'),
    )
    .option(
      '--bins <N>',
      'histogram bins for numbers with many distinct values (default 40)',
      wholeNumber('--bins'),
    )
    .option('--name <name>', 'dataset name (default: from the file name)')
    .option(
      '--json',
      'print the inferred definition as JSON instead of a summary (the YAML still goes to --out)',
    )
    .addHelpText(
      'after',
      '\nExample:\n  goldgen infer adult.csv -o adult.yaml\n  goldgen infer export.csv --delimiter ";" --null "-" -o export.yaml',
    )
    .action(async (files: string[], opts) => {
      if (files.length > 1) {
        const { inferTables } = await import('../infer/tables.ts')
        const result = await inferTables(files, {
          delimiter: opts.delimiter,
          nullTokens: opts.null,
          maxCategories: opts.maxCategories,
          bins: opts.bins,
          name: opts.name,
        })
        await writeOut(io, opts.out, result.yaml)
        if (opts.json) io.stdout.write(`${JSON.stringify(result.def, null, 2)}\n`)
        else if (opts.out !== undefined && opts.out !== '-') {
          const refs = result.refs.map(
            (r) => `${r.table}.${r.column} → ${r.references}${r.parent ? ' (parent)' : ''}`,
          )
          io.stdout.write(
            `wrote ${opts.out}: ${files.length} tables; keys ${Object.entries(result.keys)
              .map(([t, k]) => `${t}.${k}`)
              .join(', ')}; refs ${refs.join(', ') || 'none'}; ${result.lookups.length} lookups\n`,
          )
        }
        return
      }
      const file = files[0]!
      const { inferSchema } = await import('../infer/infer.ts')
      const { validateDef } = await import('../../schemas/parse.ts')
      if (opts.delimiter !== undefined && [...opts.delimiter].length !== 1) {
        throw new GoldgenError(
          'USAGE',
          `--delimiter must be one character, got ${JSON.stringify(opts.delimiter)}`,
        )
      }
      const result = await inferSchema(file, {
        delimiter: opts.delimiter,
        nullTokens: opts.null,
        maxCategories: opts.maxCategories,
        bins: opts.bins,
        name: opts.name,
      })
      validateDef(result.def, opts.out ?? `the schema inferred from ${file}`)
      if (opts.json && (opts.out === undefined || opts.out === '-')) {
        throw new GoldgenError(
          'USAGE',
          '--json needs -o PATH for the schema (both would use standard output)',
        )
      }
      await writeOut(io, opts.out, result.yaml)
      if (opts.json) io.stdout.write(`${JSON.stringify(result.def, null, 2)}\n`)
      else if (opts.out !== undefined && opts.out !== '-') {
        io.stdout.write(
          `wrote ${opts.out}: ${result.columns.length} columns from ${result.rows} rows (${result.columns.map((c) => `${c.name}: ${c.spec.type}`).join(', ')})\n`,
        )
      }
    })

  compareCommand(program, io, exitWith)
}
