/**
 * The parity report for people (text) and for CI (JUnit XML, written with the contract
 * report's XML escaping and layout: one testsuite per run, one testcase per pipeline, one for the
 * rows and one per column, a failure carrying the reason and the first differing rows).
 */
import { xmlEscape } from '../contract/report/junit.ts'
import type { ParityReport } from './types.ts'

const show = (v: unknown) =>
  typeof v === 'number' && !Number.isFinite(v) ? String(v) : Object.is(v, -0) ? '-0' : JSON.stringify(v)

/** One differing row as a line: where, what each side wrote, and the row's tags. */
function rowLine(report: ParityReport, r: ParityReport['firstDiffering'][number], only?: string): string {
  const where = `row ${r.row ?? '?'}${r.key === undefined ? '' : ` (${report.key} ${show(r.key)})`}`
  const cells = r.columns
    .filter((c) => only === undefined || c.column === only)
    .map((c) => `${c.column}: a ${show(c.a)}, b ${show(c.b)}`)
    .join('; ')
  return `${where}: ${cells}${r.tags.length > 0 ? `  [${r.tags.join(', ')}]` : ''}`
}

function rowsReason(r: ParityReport): string {
  const how = r.key === null ? 'by position' : `by ${r.key}`
  return r.problems.length > 0
    ? r.problems[0]!
    : `${r.rowsCompared} row pairs (${how}) from ${r.fixtureRows} fixture rows`
}

export function renderParity(r: ParityReport, maxRows = 10): string {
  const side = (name: string, p: ParityReport['a']) =>
    p.error === undefined
      ? `  ${name}: ${p.pipeline} (${p.mode}, ${p.rows} rows, ${p.seconds} s)`
      : `  ${name}: ${p.pipeline} (${p.mode}) FAILED after ${p.seconds} s: ${p.error.split('\n')[0]}`
  const lines = [
    `goldgen parity ${r.dataset}: ${r.fixtureRows} fixture rows, features paired ${r.key === null ? 'by position' : `by ${r.key}`}`,
    side('a', r.a),
    side('b', r.b),
  ]
  const failed = [r.a, r.b].filter((p) => p.error !== undefined).length
  if (failed > 0) {
    lines.push(`failed: ${failed === 2 ? 'both pipelines' : 'a pipeline'} failed, nothing was compared`)
    return `${lines.join('\n')}\n`
  }
  for (const p of r.problems) lines.push(`  ${p}`)
  if (r.onlyInA.length > 0) lines.push(`  columns only in a: ${r.onlyInA.join(', ')}`)
  if (r.onlyInB.length > 0) lines.push(`  columns only in b: ${r.onlyInB.join(', ')}`)
  for (const c of r.columns) {
    const worst = c.worst === null || c.worst === 0 ? '' : `, worst |a − b| ${c.worst}`
    lines.push(
      `${c.differing === 0 ? 'PASS' : 'FAIL'} ${c.column} (${c.tolerance}): ${c.differing === 0 ? 'equal' : `${c.differing} of ${r.rowsCompared} rows differ`}${worst}`,
    )
  }
  if (r.firstDiffering.length > 0) {
    lines.push(`first differing rows (${r.rowsDiffering} in all):`)
    for (const d of r.firstDiffering.slice(0, maxRows)) lines.push(`  ${rowLine(r, d)}`)
  }
  lines.push(
    r.passed
      ? `passed: ${r.columns.length} columns equal on ${r.rowsCompared} rows in ${r.seconds} s`
      : `failed: ${r.differingColumns.length} of ${r.columns.length} columns differ${r.differingColumns.length > 0 ? ` (${r.differingColumns.join(', ')})` : ''}, ${r.rowsDiffering} of ${r.rowsCompared} rows${r.onlyInA.length + r.onlyInB.length > 0 ? `, ${r.onlyInA.length + r.onlyInB.length} columns on one side only` : ''} in ${r.seconds} s`,
  )
  return `${lines.join('\n')}\n`
}

interface Case {
  name: string
  failure?: string
  body: string
}

function pipelineCase(name: string, p: ParityReport['a']): Case {
  const body = `${p.pipeline} (${p.mode}): ${p.rows} rows, columns ${p.columns.join(', ') || 'none'}, ${p.seconds} s`
  return p.error === undefined
    ? { name: `pipeline ${name}`, body }
    : { name: `pipeline ${name}`, failure: p.error.split('\n')[0]!, body: p.error }
}

function cases(r: ParityReport): Case[] {
  const out: Case[] = [pipelineCase('a', r.a), pipelineCase('b', r.b)]
  if (r.a.error !== undefined || r.b.error !== undefined) return out
  out.push(
    r.problems.length > 0
      ? { name: 'rows', failure: r.problems[0]!, body: r.problems.join('\n') }
      : { name: 'rows', body: rowsReason(r) },
  )
  for (const c of r.columns) {
    const rows = r.firstDiffering.filter((d) => d.columns.some((x) => x.column === c.column))
    out.push(
      c.differing === 0
        ? { name: `column ${c.column}`, body: `equal on ${r.rowsCompared} rows (${c.tolerance})` }
        : {
            name: `column ${c.column}`,
            failure: `${c.differing} of ${r.rowsCompared} rows differ (${c.tolerance})`,
            body: rows.map((d) => rowLine(r, d, c.column)).join('\n'),
          },
    )
  }
  for (const [side, list] of [
    ['a', r.onlyInA],
    ['b', r.onlyInB],
  ] as const)
    for (const c of list)
      out.push({ name: `column ${c}`, failure: `only ${side} writes ${c}`, body: `only ${side} writes ${c}` })
  return out
}

/** The report as a JUnit XML document. */
export function parityJunit(r: ParityReport): string {
  const list = cases(r)
  const failures = list.filter((c) => c.failure !== undefined).length
  const counts = `tests="${list.length}" failures="${failures}" errors="0" skipped="0" time="${r.seconds.toFixed(3)}"`
  const classname = xmlEscape(`goldgen.parity.${r.dataset}`)
  const testcase = (c: Case) => {
    const open = `    <testcase classname="${classname}" name="${xmlEscape(c.name)}" time="0.000"`
    return c.failure === undefined
      ? `${open}>\n      <system-out>${xmlEscape(c.body)}</system-out>\n    </testcase>`
      : `${open}>\n      <failure message="${xmlEscape(c.failure)}" type="parity">${xmlEscape(c.body)}</failure>\n    </testcase>`
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="goldgen parity" ${counts}>`,
    `  <testsuite name="${xmlEscape(`goldgen parity ${r.dataset} (a ${r.a.pipeline} vs b ${r.b.pipeline})`)}" ${counts} timestamp="${xmlEscape(r.startedAt)}">`,
    ...list.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
