/**
 * A data card as Markdown: a README.md with Hugging Face-style YAML front matter (pretty_name,
 * license, tags, size category, dataset_info features and splits) and then the card's content —
 * description, recipe, per-column statistics, coverage, privacy, bound models, files, first rows.
 */
import { stringify } from 'yaml'
import type { CardColumn, DataCard } from './model.ts'

/** The Hugging Face `datasets` dtype of a column. */
export function hfDtype(c: Pick<CardColumn, 'type' | 'arrowType'>): string {
  const t = (c.arrowType ?? c.type).toLowerCase()
  if (t.startsWith('bool')) return 'bool'
  if (/^(int|uint)(8|16|32|64)/.test(t)) return t.replace(/^(u?int)(\d+).*/, '$1$2')
  if (t === 'int' || t === 'id' || t === 'integer') return 'int64'
  if (/^float(16|32|64)/.test(t)) return t.replace(/^float(\d+).*/, 'float$1')
  if (t === 'float' || t === 'double' || t === 'number') return 'float64'
  if (t.startsWith('date32') || t === 'date') return 'date32'
  if (t.startsWith('timestamp') || t === 'datetime') return 'timestamp[ms]'
  return 'string'
}

function sizeCategory(rows: number): string {
  if (rows < 1_000) return 'n<1K'
  if (rows < 10_000) return '1K<n<10K'
  if (rows < 100_000) return '10K<n<100K'
  if (rows < 1_000_000) return '100K<n<1M'
  return 'n>1M'
}

const cell = (v: unknown) =>
  (v === null || v === undefined ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v))
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ')
const num = (v: number | string | undefined) =>
  v === undefined
    ? '—'
    : typeof v === 'string' || Number.isInteger(v)
      ? String(v)
      : String(Number(v.toPrecision(6)))

function columnLines(c: CardColumn): string[] {
  const lines = [`### \`${c.name}\` (${c.type}${c.arrowType !== undefined ? `, ${c.arrowType}` : ''})`, '']
  if (c.description !== undefined) lines.push(c.description, '')
  lines.push(
    `- values: ${c.count - c.missingCount} present of ${c.count}`,
    `- nulls / missing: ${c.nullCount} null, ${c.missingCount} missing${c.missingAs !== undefined ? ` (written as ${JSON.stringify(c.missingAs)})` : ''}${c.mechanism !== null ? ` — ${c.mechanism}` : ''}`,
  )
  if (c.min !== undefined) lines.push(`- min / max: ${num(c.min)} … ${num(c.max)}`)
  if (c.mean !== undefined) lines.push(`- mean: ${num(c.mean)}`)
  if (c.minLength !== undefined) lines.push(`- length: ${c.minLength} … ${c.maxLength}`)
  if (c.top.length > 0)
    lines.push(
      `- top values: ${c.top
        .slice(0, 10)
        .map((t) => `${t.value} (${t.count})`)
        .join(', ')}`,
    )
  lines.push(
    `- edge cases: ${c.edgeCases.length === 0 ? 'none' : c.edgeCases.map((e) => `${e.kind} (${e.count})`).join(', ')}`,
    '',
  )
  return lines
}

/** The README.md of a data card. `links.croissant` names the Croissant file beside it. */
export function cardMarkdown(card: DataCard, links: { croissant: string; license: string }): string {
  const front = {
    pretty_name: card.ref,
    license: links.license,
    tags: ['goldgen', 'golden-dataset', ...(card.recipe !== null ? ['synthetic'] : [])],
    size_categories: [sizeCategory(card.rows)],
    dataset_info: {
      features: card.columns.map((c) => ({ name: c.name, dtype: hfDtype(c) })),
      splits: [{ name: 'test', num_examples: card.rows }],
    },
    goldgen: {
      ref: card.ref,
      sha256: card.sha256,
      format: card.format,
      ...(card.recipe !== null ? { seed: card.recipe.seed, version: card.recipe.goldgen } : {}),
    },
  }
  const out = [`---\n${stringify(front, { lineWidth: 0 })}---`, '', `# ${card.ref}`, '']
  out.push(card.description ?? '_No description._', '')
  out.push(
    `${card.rows} rows, stored as ${card.format} (sha256 \`${card.sha256}\`), published ${card.createdAt}${card.createdBy === null ? '' : ` by ${card.createdBy}`}.${card.aliases.length > 0 ? ` Aliases: ${card.aliases.join(', ')}.` : ''}`,
    '',
    `Croissant metadata: [${links.croissant}](${links.croissant}).`,
    '',
    '## Recipe',
    '',
  )
  if (card.recipe === null)
    out.push(`Imported from the file \`${card.imported ?? 'unknown'}\`; no recipe.`, '')
  else {
    const r = card.recipe
    out.push(
      `- seed: ${r.seed}`,
      `- rows: ${r.rows}`,
      `- goldgen: ${r.goldgen}${r.algorithm !== undefined ? ` (algorithm ${r.algorithm})` : ''}`,
      `- value libraries: ${Object.entries(r.libraries)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
      ...(r.schemaSha256 !== undefined ? [`- schema sha256: \`${r.schemaSha256}\``] : []),
      '',
      '```yaml',
      stringify(r.schema, { lineWidth: 100 }).trimEnd(),
      '```',
      '',
    )
  }
  out.push('## Columns', '', ...card.columns.flatMap(columnLines))
  out.push('## Coverage', '')
  const cov = card.coverage
  if (cov === null || cov === undefined) out.push('The schema asks for no coverage.', '')
  else {
    if (cov.minPerCategory !== undefined)
      out.push(
        `- at least ${cov.minPerCategory.required} rows per category: ${cov.minPerCategory.met ? 'met' : 'not met'}`,
      )
    for (const p of cov.pairwise)
      out.push(`- pairwise over ${p.columns.join(', ')}: ${p.pairsCovered} of ${p.pairsTotal} pairs covered`)
    out.push('')
  }
  out.push('## Privacy', '')
  const p = card.privacy
  out.push(
    p === null
      ? 'No privacy ledger entry: this version was not released from private data.'
      : `Release \`${p.releaseId}\` from ${p.source}: ${p.mechanism}, ε = ${num(p.epsilon)}, δ = ${p.delta}${p.rho !== null ? `, ρ = ${num(p.rho)}` : ''}; ${p.guarantee ? 'with a differential-privacy guarantee' : 'no guarantee (seeded noise)'}.`,
    '',
    '## Models and expected outputs',
    '',
  )
  if (card.bindings.length === 0) out.push('No model version has expected outputs on this version yet.', '')
  else {
    out.push('| model version | expected outputs | tolerances |', '|---|---|---|')
    for (const b of card.bindings)
      out.push(
        `| ${b.model}@${b.version} | ${b.rows} rows (${b.format}) | ${cell(Object.keys(b.tolerances).length === 0 ? 'exact' : b.tolerances)} |`,
      )
    out.push('')
  }
  out.push('## Files', '', '| file | format | bytes | sha256 |', '|---|---|---|---|')
  for (const f of card.files) out.push(`| ${f.path} | ${f.format} | ${f.bytes} | \`${f.sha256}\` |`)
  out.push('', '## First rows', '')
  if (card.head.length > 0) {
    const names = Object.keys(card.head[0]!)
    out.push(`| ${names.map(cell).join(' | ')} |`, `|${names.map(() => '---').join('|')}|`)
    for (const r of card.head) out.push(`| ${names.map((n) => cell(r[n])).join(' | ')} |`)
  } else out.push('The version has no rows.')
  return `${out.join('\n')}\n`
}
