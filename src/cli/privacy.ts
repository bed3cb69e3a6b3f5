/**
 * Differential-privacy commands: `fit` (a private generator model), `privatize` (noise on the
 * `dp:` columns of a data file) and `ledger` (cumulative spend per source).
 */
import type { Command } from 'commander'
import type { PrivacyRecord } from '../api/privacy.ts'
import { GoldgenError } from '../core/errors.ts'
import { type CliIo, writeOut } from './io.ts'
import { BLOBS_HELP, REGISTRY_HELP } from './registry-shared.ts'

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value)
    if (!(Number.isFinite(n) && n > 0))
      throw new GoldgenError('USAGE', `${name} must be a number > 0, got ${JSON.stringify(value)}`)
    return n
  }
}

async function recordInRegistry(dir: string | undefined, privacy: PrivacyRecord, produced: string) {
  const { openRegistry, ledgerEntryOf } = await import('../../registry/service.ts')
  const registry = await openRegistry({ dir })
  try {
    await registry.recordPrivacy(ledgerEntryOf(privacy, produced))
  } finally {
    registry.close()
  }
}

export function privacyCommands(program: Command, io: CliIo): void {
  fitCommand(program, io)
  privatizeCommand(program, io)
  ledgerCommand(program, io)
}

function fitCommand(program: Command, io: CliIo): void {
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
      const { fitPrivateModel } = await import('../api/privacy.ts')
      const result = await fitPrivateModel(file, {
        budget: opts.pure
          ? { mode: 'pure', epsilon: opts.epsilon }
          : { mode: 'zcdp', epsilon: opts.epsilon, delta: opts.delta },
        domain: opts.domain,
        method: opts.method,
        name: opts.name,
        insecureSeed: opts.insecureSeededNoise,
        onInsecure: (warning) => io.stderr.write(`goldgen: ${warning}\n`),
      })
      const p = result.privacy
      await writeOut(io, opts.out, result.yaml)
      if (opts.registry !== undefined) await recordInRegistry(opts.registry, p, opts.out ?? 'standard output')
      const say = opts.out === undefined || opts.out === '-' ? io.stderr : io.stdout
      if (opts.json) io.stdout.write(`${JSON.stringify(p, null, 2)}\n`)
      else {
        say.write(
          `fitted ${Object.keys(result.def.model!.columns).length} columns, ${result.def.rows} rows (noisy), spending ε = ${p.epsilon.toPrecision(4)}${p.rho !== null ? `, δ = ${p.delta}` : ''}${opts.out !== undefined && opts.out !== '-' ? ` → ${opts.out}` : ''}\n`,
        )
      }
    })
}

function privatizeCommand(program: Command, io: CliIo): void {
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
      const { privatizeFile } = await import('../api/privacy.ts')
      const result = await privatizeFile(file, {
        schema: opts.schema,
        out: opts.out,
        insecureSeed: opts.insecureSeededNoise,
        onInsecure: (warning) => io.stderr.write(`goldgen: ${warning}\n`),
      })
      if (opts.registry !== undefined) await recordInRegistry(opts.registry, result.privacy, opts.out)
      if (result.unprotected.length > 0) {
        io.stderr.write(
          `goldgen: warning: columns without dp: are copied as they are and are NOT protected: ${result.unprotected.join(', ')}\n`,
        )
      }
      const p = result.privacy
      io.stdout.write(
        `wrote ${opts.out}: ${result.rows.length} rows, noise on ${result.protectedColumns.join(', ')}; ε = ${p.epsilon.toPrecision(4)}${p.rho !== null ? `, δ = ${p.delta}` : ''} per row (${p.composition ?? 'basic composition'}); manifest ${opts.out}.manifest.json\n`,
      )
    })
}

function ledgerCommand(program: Command, io: CliIo): void {
  program
    .command('ledger')
    .description("show the privacy ledger: cumulative spend per source (from the registry's ledger)")
    .argument('[source]', 'a source file, its SHA-256 (or a prefix), or its file name')
    .option('--registry <dir|url>', REGISTRY_HELP)
    .option('--blobs <url|dir>', BLOBS_HELP)
    .option(
      '--delta <δ>',
      'report ε at this δ (default: the smallest δ recorded for the source)',
      positiveNumber('--delta'),
    )
    .option('--json', 'print the ledger as JSON')
    .action(async (source: string | undefined, opts) => {
      const { existsSync, statSync } = await import('node:fs')
      const { openRegistry } = await import('../../registry/service.ts')
      const { sourceOf } = await import('../api/privacy.ts')
      const key =
        source !== undefined && existsSync(source) && statSync(source).isFile()
          ? sourceOf(source).sha256
          : source
      const registry = await openRegistry({ dir: opts.registry, blobsAt: opts.blobs })
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
            `${s.source.name} (sha256 ${s.source.sha256.slice(0, 16)}…): ${s.releases} release${s.releases === 1 ? '' : 's'}, cumulative ρ = ${s.rho.toPrecision(4)}; ε = ${s.epsilon.toPrecision(4)} at δ = ${s.delta} by ${s.composition}${s.pureEpsilon !== undefined ? ` (pure ε sum ${s.pureEpsilon.toPrecision(4)})` : ''}${s.withoutGuarantee > 0 ? `; ${s.withoutGuarantee} without guarantee (insecure test noise), not counted` : ''}\n`,
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
