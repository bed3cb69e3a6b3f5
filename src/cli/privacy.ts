/**
 * Differential-privacy commands: `fit` (a private generator model), `privatize` (noise on the
 * `dp:` columns of a data file) and `ledger` (cumulative spend per source).
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { Command } from 'commander'
import { GoldgenError } from '../core/errors.ts'
import { writeOut } from './data.ts'
import type { CliIo } from './main.ts'

const NO_GUARANTEE =
  'WARNING: --insecure-seeded-noise is on: the noise is reproducible, so this output has NO differential-privacy guarantee. Use it only in tests.'

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value)
    if (!(Number.isFinite(n) && n > 0))
      throw new GoldgenError('USAGE', `${name} must be a number > 0, got ${JSON.stringify(value)}`)
    return n
  }
}

const sourceOf = (file: string) => ({
  name: basename(file),
  sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
})

async function recordInRegistry(
  dir: string | undefined,
  privacy: import('../privacy/fit.ts').PrivacyRecord,
  produced: string,
) {
  const { openRegistry, ledgerEntryOf } = await import('../../registry/service.ts')
  const registry = await openRegistry({ dir })
  try {
    await registry.recordPrivacy(ledgerEntryOf(privacy, produced))
  } finally {
    registry.close()
  }
}

export function privacyCommands(program: Command, io: CliIo): void {
  program
    .command('fit')
    .description('fit a generator model to sensitive data under differential privacy (MST-style)')
    .argument('<data>', 'the sensitive data (CSV, JSONL, Arrow)')
    .requiredOption('--epsilon <ε>', 'privacy budget ε', positiveNumber('--epsilon'))
    .option(
      '--delta <δ>',
      'privacy budget δ (zCDP accounting, discrete Gaussian noise)',
      positiveNumber('--delta'),
      1e-9,
    )
    .option('--pure', 'pure ε-DP (δ = 0): discrete Laplace noise only')
    .option('--domain <file>', 'the public domain: a domain YAML or a goldgen schema (required)')
    .option('--method <method>', 'tree (MST-style, default) or independent (1-way marginals only)', 'tree')
    .option('-o, --out <path>', 'where the fitted schema goes (default: standard output)')
    .option('--name <name>', 'dataset name for the fitted schema')
    .option('--registry <dir>', "also record the release in this registry's privacy ledger now")
    .option(
      '--insecure-seeded-noise <seed>',
      'reproducible noise for tests: the output has NO privacy guarantee',
    )
    .option('--json', 'print the privacy record as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  goldgen fit examples/data/adult.csv --epsilon 1 --delta 1e-9 --domain bench/adult-domain.yaml -o adult-dp.yaml',
    )
    .action(async (file: string, opts) => {
      if (opts.domain === undefined) {
        throw new GoldgenError(
          'USAGE',
          'fit needs --domain: the public values (or ranges) of every column. A domain read from the data would leak it; declare it in a domain YAML or a goldgen schema.',
        )
      }
      if (opts.method !== 'tree' && opts.method !== 'independent') {
        throw new GoldgenError(
          'USAGE',
          `--method must be tree or independent, got ${JSON.stringify(opts.method)}`,
        )
      }
      const { readCells } = await import('../infer/infer.ts')
      const { loadDomain } = await import('../privacy/domain.ts')
      const { parseSchemaText } = await import('../../schemas/parse.ts')
      const { fitModel } = await import('../privacy/fit.ts')
      const { insecureSeededBits, secureBits } = await import('../privacy/samplers.ts')
      const { stringify } = await import('yaml')
      const domain = loadDomain(opts.domain, parseSchemaText)
      const { names, rows } = await readCells(file, {})
      const absent = [...domain.keys()].filter((c) => !names.includes(c))
      if (absent.length > 0)
        throw new GoldgenError('USAGE', `the data has no column ${absent.join(', ')} named in the domain`, {
          file,
        })
      const insecure = opts.insecureSeededNoise !== undefined
      if (insecure) io.stderr.write(`goldgen: ${NO_GUARANTEE}\n`)
      const result = fitModel(names, rows, {
        budget: opts.pure
          ? { mode: 'pure', epsilon: opts.epsilon }
          : { mode: 'zcdp', epsilon: opts.epsilon, delta: opts.delta },
        domain,
        method: opts.method,
        bits: insecure ? insecureSeededBits(opts.insecureSeededNoise) : secureBits,
        name: opts.name,
        source: sourceOf(file),
      })
      const p = result.privacy
      const header = [
        `goldgen schema fitted by goldgen fit from ${basename(file)} (sha256 ${p.source.sha256.slice(0, 16)}…)`,
        p.guarantee
          ? `under ${p.rho === null ? `${p.epsilon}-DP` : `(ε = ${p.epsilon.toPrecision(4)}, δ = ${p.delta})-DP (ρ = ${p.rho.toPrecision(4)} zCDP)`}: ${p.mechanism}.`
          : NO_GUARANTEE,
        'Generating from it is post-processing: any seed, any number of rows, no further privacy cost.',
        `Tree: ${result.edges.map(([a, b]) => `${a} → ${b}`).join(', ') || 'none (independent columns)'}.`,
      ]
      const yaml = `${header.map((l) => `# ${l}`).join('\n')}\n${stringify(result.def, { lineWidth: 120, flowCollectionPadding: false })}`
      await writeOut(io, opts.out, yaml)
      if (opts.registry !== undefined) await recordInRegistry(opts.registry, p, opts.out ?? 'standard output')
      const say = opts.out === undefined || opts.out === '-' ? io.stderr : io.stdout
      if (opts.json) io.stdout.write(`${JSON.stringify(p, null, 2)}\n`)
      else {
        say.write(
          `fitted ${Object.keys(result.def.model!.columns).length} columns, ${result.def.rows} rows (noisy), spending ε = ${p.epsilon.toPrecision(4)}${p.rho !== null ? `, δ = ${p.delta}` : ''}${opts.out !== undefined && opts.out !== '-' ? ` → ${opts.out}` : ''}\n`,
        )
      }
    })

  program
    .command('privatize')
    .description('release a data file with calibrated noise on the columns whose schema spec has dp:')
    .argument('<data>', 'the data (CSV, JSONL, Arrow)')
    .requiredOption(
      '--schema <file>',
      'a goldgen schema describing the columns, with dp: on those to protect',
    )
    .requiredOption('-o, --out <path>', 'where the noised data goes (.csv or .jsonl)')
    .option('--registry <dir>', "also record the release in this registry's privacy ledger now")
    .option(
      '--insecure-seeded-noise <seed>',
      'reproducible noise for tests: the output has NO privacy guarantee',
    )
    .action(async (file: string, opts) => {
      const { readCells } = await import('../infer/infer.ts')
      const { loadSchema } = await import('../api/load-schema.ts')
      const { privatizeRows } = await import('../privacy/privatize.ts')
      const { insecureSeededBits, secureBits } = await import('../privacy/samplers.ts')
      const { csvQuote } = await import('../formats/csv.ts')
      const { fileSink } = await import('../api/sink.ts')
      const { writeJsonFile } = await import('../api/generate.ts')
      const source = loadSchema(opts.schema)
      const { names, rows } = await readCells(file, { nullTokens: [''] })
      const insecure = opts.insecureSeededNoise !== undefined
      if (insecure) io.stderr.write(`goldgen: ${NO_GUARANTEE}\n`)
      const result = privatizeRows(names, rows, source.def, {
        bits: insecure ? insecureSeededBits(opts.insecureSeededNoise) : secureBits,
        source: sourceOf(file),
        file: opts.schema,
      })
      const jsonl = String(opts.out).toLowerCase().endsWith('.jsonl')
      const sink = fileSink(opts.out)
      if (jsonl) {
        for (const row of result.rows)
          sink.write(`${JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row[i] ?? null])))}\n`)
      } else {
        sink.write(`${names.map(csvQuote).join(',')}\r\n`)
        for (const row of result.rows)
          sink.write(`${row.map((v) => (v === null ? '' : csvQuote(v))).join(',')}\r\n`)
      }
      const written = sink.commit()
      writeJsonFile(`${opts.out}.manifest.json`, {
        files: [{ path: basename(opts.out), ...written }],
        rows: result.rows.length,
        protected: result.protectedColumns,
        unprotected: result.unprotected,
        privacy: result.privacy,
      })
      if (opts.registry !== undefined) await recordInRegistry(opts.registry, result.privacy, opts.out)
      if (result.unprotected.length > 0) {
        io.stderr.write(
          `goldgen: warning: columns without dp: are copied as they are and are NOT protected: ${result.unprotected.join(', ')}\n`,
        )
      }
      const p = result.privacy
      io.stdout.write(
        `wrote ${opts.out}: ${result.rows.length} rows, noise on ${result.protectedColumns.join(', ')}; ε = ${p.epsilon.toPrecision(4)}${p.rho !== null ? `, δ = ${p.delta}` : ''} per row; manifest ${opts.out}.manifest.json\n`,
      )
    })

  program
    .command('ledger')
    .description("show the privacy ledger: cumulative spend per source (from the registry's ledger)")
    .argument('[source]', 'a source file, its SHA-256 (or a prefix), or its file name')
    .option('--registry <dir>', 'registry folder (default: $GOLDGEN_REGISTRY, else ./.goldgen)')
    .option(
      '--delta <δ>',
      'report ε at this δ (default: the smallest δ recorded for the source)',
      positiveNumber('--delta'),
    )
    .option('--json', 'print the ledger as JSON')
    .action(async (source: string | undefined, opts) => {
      const { existsSync, statSync } = await import('node:fs')
      const { openRegistry } = await import('../../registry/service.ts')
      const key =
        source !== undefined && existsSync(source) && statSync(source).isFile()
          ? sourceOf(source).sha256
          : source
      const registry = await openRegistry({ dir: opts.registry })
      try {
        const sources = await registry.ledger({ source: key, delta: opts.delta })
        if (opts.json) {
          io.stdout.write(`${JSON.stringify(sources, null, 2)}\n`)
          return
        }
        if (sources.length === 0) {
          io.stdout.write(
            source === undefined ? 'the privacy ledger is empty\n' : `no private releases of ${source}\n`,
          )
          return
        }
        for (const s of sources) {
          io.stdout.write(
            `${s.source.name} (sha256 ${s.source.sha256.slice(0, 16)}…): ${s.releases} release${s.releases === 1 ? '' : 's'}, cumulative ρ = ${s.rho.toPrecision(4)} → ε = ${s.epsilon.toPrecision(4)} at δ = ${s.delta}${s.pureEpsilon !== undefined ? ` (pure ε sum ${s.pureEpsilon.toPrecision(4)})` : ''}${s.withoutGuarantee > 0 ? `; ${s.withoutGuarantee} without guarantee (insecure test noise), not counted` : ''}\n`,
          )
          for (const e of s.entries) {
            io.stdout.write(
              `  ${e.at}  ε ${e.epsilon.toPrecision(4)}${e.rho !== null ? ` δ ${e.delta} ρ ${e.rho.toPrecision(4)}` : ''}  ${e.guarantee ? '' : '[no guarantee] '}${e.mechanism} → ${e.produced}\n`,
            )
          }
        }
      } finally {
        registry.close()
      }
    })
}
