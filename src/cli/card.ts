/**
 * `goldgen card <ref> [-o DIR]`: writes a dataset version's card — README.md with Hugging
 * Face-style YAML front matter and the data-card content, and croissant.json (Croissant 1.1
 * JSON-LD) beside it. Links point at a goldgen server: relative ones unless --base-url is given.
 */
import type { Command } from 'commander'
import type { CliIo } from './io.ts'

export function cardCommand(program: Command, io: CliIo): void {
  program
    .command('card')
    .description('write a dataset card: README.md (Hugging Face-style front matter) and croissant.json')
    .argument('<ref>', 'a dataset version: NAME, NAME@N, NAME@ALIAS, NAME@latest or NAME@sha256:PREFIX')
    .option('-o, --out <dir>', 'folder to write into (default: ./<name>-v<version>)')
    .option('--base-url <url>', 'the goldgen server the links point at (default: relative links)')
    .option('--registry <dir>', 'registry folder (default: $GOLDGEN_REGISTRY, else ./.goldgen)')
    .option('--json', 'print what was written as JSON')
    .action(async (ref: string, opts) => {
      const { mkdirSync, writeFileSync } = await import('node:fs')
      const { join, resolve } = await import('node:path')
      const { GoldgenError } = await import('../core/errors.ts')
      const { openRegistry } = await import('../../registry/service.ts')
      const { buildCard, licenseOf } = await import('../server/card/model.ts')
      const { cardMarkdown } = await import('../server/card/markdown.ts')
      const { croissantFor } = await import('../server/croissant/document.ts')
      const baseUrl = String(opts.baseUrl ?? '').replace(/\/+$/, '')
      if (baseUrl !== '' && !/^https?:\/\/[^/]+/.test(baseUrl))
        throw new GoldgenError('USAGE', `--base-url ${JSON.stringify(opts.baseUrl)}: expected an http(s) URL`)
      const registry = await openRegistry({ dir: opts.registry })
      try {
        const card = await buildCard(registry, ref)
        const dir = resolve(opts.out ?? `${card.dataset}-v${card.version}`)
        try {
          mkdirSync(dir, { recursive: true })
        } catch (e) {
          throw new GoldgenError('IO', `cannot create the folder ${dir}: ${(e as Error).message}`)
        }
        const croissant = await croissantFor(registry, card.ref, baseUrl)
        const files = { readme: join(dir, 'README.md'), croissant: join(dir, 'croissant.json') }
        writeFileSync(files.croissant, `${JSON.stringify(croissant, null, 2)}\n`)
        writeFileSync(
          files.readme,
          cardMarkdown(card, { croissant: 'croissant.json', license: licenseOf(card).hf }),
        )
        if (opts.json) io.stdout.write(`${JSON.stringify({ ref: card.ref, ...files }, null, 2)}\n`)
        else io.stdout.write(`wrote the card of ${card.ref}: ${files.readme}, ${files.croissant}\n`)
      } finally {
        registry.close()
      }
    })
}
