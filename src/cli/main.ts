/**
 * The `goldgen` command: parses arguments, calls the core, prints, and maps error codes to exit
 * codes (0 ok, 1 runtime failure, 2 bad input or usage, 70 internal error). Heavy modules are
 * imported inside the commands that need them, so `goldgen --help` stays fast.
 */
import { Command, CommanderError, Option } from 'commander'
import { exitCodes, formatError, GoldgenError, toGoldgenError } from '../core/errors.ts'
import { VERSION } from '../core/version.ts'
import { dataCommands } from './data.ts'
import { collect, seedNumber, wholeNumber } from './options.ts'
import { privacyCommands } from './privacy.ts'
import { registryCommands } from './registry.ts'

export interface CliIo {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
}

const FORMATS = ['arrow', 'arrow-file', 'csv', 'jsonl', 'json']

const humanBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`

export function buildProgram(io: CliIo): Command {
  const program = new Command('goldgen')
    .description('Deterministic golden datasets for end-to-end tests of ML systems.')
    .version(VERSION, '-V, --version', 'print the goldgen version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`goldgen: ${s.replace(/^error: /, '')}`),
    })
    .exitOverride()

  program
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
      wholeNumber('--negative'),
    )
    .option('--negative-out <path>', 'where negative rows go (default: <out>.negative.jsonl)')
    .option('--json', 'print the manifest as JSON instead of a summary')
    .option('--refs <dir>', "a JSON Schema's $refs: a folder of the documents they name; repeatable", collect)
    .option('--ref <file>', "a JSON Schema's $refs: one document they name; repeatable", collect)
    .addHelpText(
      'after',
      '\nExamples:\n  goldgen generate schemas/examples/churn.yaml -o churn.arrow\n  goldgen generate churn.yaml --rows 100 --format csv -o -\n  goldgen generate churn.yaml --offset 5000 --rows 100 -o slice.jsonl',
    )
    .action(async (schemaFile: string, opts) => {
      if (opts.json && opts.out === '-')
        throw new GoldgenError(
          'USAGE',
          '--json cannot be combined with -o - (both would use standard output)',
        )
      const { loadSchema } = await import('../api/load-schema.ts')
      const { generate } = await import('../api/generate.ts')
      const { progressBar } = await import('./progress.ts')
      const source = loadSchema(schemaFile, { refs: opts.refs, ref: opts.ref })
      for (const w of source.warnings ?? []) io.stderr.write(`goldgen: warning: ${schemaFile}: ${w}\n`)
      const rows = opts.rows ?? source.def.rows ?? 1000
      const bar = progressBar(io.stderr, 'generating', rows)
      const result = await generate(source, {
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
        onProgress: (done) => bar.update(done),
      })
      bar.done()
      const m = result.manifest
      if (opts.json) {
        io.stdout.write(`${JSON.stringify(m, null, 2)}\n`)
        return
      }
      const file = m.files[0]!
      const say = opts.out === '-' ? io.stderr : io.stdout
      say.write(
        `wrote ${result.out === '-' ? 'standard output' : file.path} (${file.format}): ${m.rows.toLocaleString('en-US')} rows × ${Object.keys(m.columns).length} columns, ${humanBytes(file.bytes)}, sha256 ${file.sha256.slice(0, 16)}…, seed ${m.seed}${m.offset > 0 ? `, offset ${m.offset}` : ''}\n`,
      )
      if (m.negative !== undefined) say.write(`negative rows: ${m.negative.rows} in ${m.negative.path}\n`)
      if (result.manifestPath !== undefined) say.write(`manifest ${result.manifestPath}\n`)
    })

  program
    .command('validate')
    .description('check a schema and report every problem with its path and line')
    .argument('<schema>', 'dataset schema file')
    .option('-n, --rows <N>', 'check feasibility (e.g. unique) for this many rows', wholeNumber('--rows'))
    .option('--json', 'print the result as JSON')
    .action(async (schemaFile: string, opts) => {
      const { loadSchema } = await import('../api/load-schema.ts')
      const { planDataset } = await import('../api/plan.ts')
      const { schemaSha256 } = await import('../../schemas/canonical.ts')
      let plan: ReturnType<typeof planDataset>
      try {
        const source = loadSchema(schemaFile)
        plan = planDataset(source.def, { rows: opts.rows }, source)
      } catch (e) {
        if (opts.json && e instanceof GoldgenError) {
          io.stdout.write(
            `${JSON.stringify({ valid: false, file: schemaFile, code: e.code, message: e.message, issues: e.issues }, null, 2)}\n`,
          )
          return exitWith(exitCodes[e.code])
        }
        throw e
      }
      const columnCount = plan.source.columns.filter((c) => c.describe !== undefined).length
      const records = plan.source.info
      const summary = {
        valid: true,
        file: schemaFile,
        name: plan.def.name ?? null,
        columns: columnCount,
        ...(records !== undefined ? { records } : {}),
        rows: plan.rows,
        seed: plan.seed,
        schemaSha256: schemaSha256(plan.def),
      }
      if (opts.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
      else
        io.stdout.write(
          `ok: ${schemaFile} is a valid goldgen schema (${columnCount} ${records !== undefined ? `record columns (${Object.values(records).join(', ')})` : 'columns'}, ${plan.rows} rows, seed ${plan.seed})\n`,
        )
    })

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

  dataCommands(program, io, exitWith)
  privacyCommands(program, io)
  registryCommands(program, io, exitWith)
  return program
}

/** JSON has no NaN or Infinity: write them as strings, as the JSONL format does. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return value
}

class ExitRequest extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`)
  }
}
const exitWith = (code: number): never => {
  throw new ExitRequest(code)
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const program = buildProgram(io)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return 0
  } catch (e) {
    if (e instanceof ExitRequest) return e.exitCode
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0
      return 2
    }
    const error = toGoldgenError(e)
    io.stderr.write(`goldgen: ${formatError(error)}\n`)
    if (error.code === 'INTERNAL') {
      io.stderr.write(
        process.env.GOLDGEN_DEBUG
          ? `${(e as Error).stack}\n`
          : 'This is a bug in goldgen; set GOLDGEN_DEBUG=1 to see where it happened.\n',
      )
    }
    return exitCodes[error.code]
  }
}
