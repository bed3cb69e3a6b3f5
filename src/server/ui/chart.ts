/**
 * Inline SVG charts drawn from a manifest's column statistics (nothing is read from the data):
 * bars of the most frequent categories, a min–mean–max strip for numbers and dates, and one
 * stacked bar of present, missing and edge-case values. Each is an accessible image with a title.
 */
import { html } from 'hono/html'
import type { CardColumn } from '../card/model.ts'
import { type Html, num } from './layout.ts'

const W = 300

let counter = 0
const chartId = (name: string) => `chart-${name.replace(/[^A-Za-z0-9_-]/g, '_')}-${++counter}`

/** Horizontal bars, one per item (at most `limit`), longest first. */
export function bars(title: string, items: { label: string; value: number }[], limit = 10): Html {
  const shown = items.slice(0, limit)
  const max = Math.max(1, ...shown.map((i) => i.value))
  const row = 18
  const height = shown.length * row + 4
  const id = chartId(title)
  return html`<svg class="chart" role="img" aria-labelledby="${id}" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}">
<title id="${id}">${title}: ${shown.map((i) => `${i.label} ${i.value}`).join(', ')}${items.length > limit ? ` (and ${items.length - limit} more)` : ''}</title>
${shown.map((item, i) => {
  const w = Math.max(1, Math.round((item.value / max) * 150))
  const y = i * row + 2
  return html`<text x="0" y="${y + 13}" font-size="12" fill="#1b1f24">${item.label.length > 16 ? `${item.label.slice(0, 15)}…` : item.label}</text><rect x="110" y="${y + 2}" width="${w}" height="13" fill="#0b57d0"></rect><text x="${114 + w}" y="${y + 13}" font-size="12" fill="#1b1f24">${item.value}</text>`
})}
</svg>`
}

/** A strip from min to max with the mean marked (numbers), or just the span (dates). */
export function range(title: string, min: number | string, max: number | string, mean?: number): Html {
  const id = chartId(title)
  const markMean =
    typeof min === 'number' && typeof max === 'number' && mean !== undefined && max > min
      ? 20 + ((mean - min) / (max - min)) * (W - 40)
      : undefined
  return html`<svg class="chart" role="img" aria-labelledby="${id}" width="${W}" height="46" viewBox="0 0 ${W} 46">
<title id="${id}">${title}: from ${num(min)} to ${num(max)}${mean !== undefined ? `, mean ${num(mean)}` : ''}</title>
<line x1="20" y1="14" x2="${W - 20}" y2="14" stroke="#0b57d0" stroke-width="6"></line>
${markMean !== undefined ? html`<line x1="${markMean}" y1="4" x2="${markMean}" y2="24" stroke="#a40e26" stroke-width="3"></line>` : ''}
<text x="20" y="40" font-size="12" fill="#1b1f24">${num(min)}</text>
<text x="${W - 20}" y="40" font-size="12" text-anchor="end" fill="#1b1f24">${num(max)}</text>
${markMean !== undefined ? html`<text x="${W / 2}" y="40" font-size="12" text-anchor="middle" fill="#a40e26">mean ${num(mean)}</text>` : ''}
</svg>`
}

/** One bar split into present, missing and edge-case values. */
export function composition(column: CardColumn): Html {
  const total = Math.max(column.count, 1)
  const edge = column.edgeCases.reduce((s, e) => s + e.count, 0)
  const missing = column.missingCount
  const present = Math.max(total - missing - edge, 0)
  const parts = [
    { label: 'ordinary', value: present, color: '#0b57d0' },
    { label: 'edge cases', value: edge, color: '#e37400' },
    { label: 'missing', value: missing, color: '#57606a' },
  ]
  const id = chartId(`${column.name}-composition`)
  let x = 0
  return html`<svg class="chart" role="img" aria-labelledby="${id}" width="${W}" height="40" viewBox="0 0 ${W} 40">
<title id="${id}">${column.name} values: ${parts.map((p) => `${p.value} ${p.label}`).join(', ')}</title>
${parts.map((p) => {
  const w = (p.value / total) * W
  const r = html`<rect x="${x}" y="0" width="${w}" height="14" fill="${p.color}"></rect>`
  x += w
  return r
})}
<text x="0" y="32" font-size="12" fill="#1b1f24">${parts.map((p) => `${p.label} ${p.value}`).join(' · ')}</text>
</svg>`
}

/** The chart a column's statistics allow. */
export function columnChart(c: CardColumn): Html {
  if (c.top.length > 0)
    return bars(
      `${c.name}: most frequent values`,
      c.top.map((t) => ({ label: t.value, value: t.count })),
    )
  if (c.min !== undefined && c.max !== undefined)
    return html`${range(`${c.name}: range`, c.min, c.max, c.mean)}${composition(c)}`
  return composition(c)
}
