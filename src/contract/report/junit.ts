/**
 * JUnit XML for CI: one testsuite per contract run, one testcase per stage and fixture
 * (or chaos window; failure or skipped elements carry the reason and the details).
 */
import type { ContractReport, StageResult } from '../types.ts'

/** Text safe in XML content and attributes (characters XML 1.0 forbids are dropped). */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

const caseName = (s: StageResult) => {
  const of = s.window ?? s.fixture
  return of === undefined ? s.stage : `${s.stage} ${of}`
}

function testcase(r: ContractReport, s: StageResult): string {
  const open = `    <testcase classname="${xmlEscape(`goldgen.contract.${r.model}@${r.version}`)}" name="${xmlEscape(caseName(s))}" time="${s.seconds.toFixed(3)}"`
  const body = [s.reason, ...s.details].join('\n')
  if (s.status === 'pass')
    return `${open}>\n      <system-out>${xmlEscape(body)}</system-out>\n    </testcase>`
  if (s.status === 'skip')
    return `${open}>\n      <skipped message="${xmlEscape(s.reason)}"/>\n    </testcase>`
  return `${open}>\n      <failure message="${xmlEscape(s.reason)}" type="${s.stage}">${xmlEscape(body)}</failure>\n    </testcase>`
}

/** The report as a JUnit XML document. */
export function toJunit(r: ContractReport): string {
  const failures = r.stages.filter((s) => s.status === 'fail').length
  const skipped = r.stages.filter((s) => s.status === 'skip').length
  const name = xmlEscape(`goldgen contract ${r.model}@${r.version} (${r.protocol} ${r.endpoint})`)
  const counts = `tests="${r.stages.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${r.seconds.toFixed(3)}"`
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="goldgen contract" ${counts}>`,
    `  <testsuite name="${name}" ${counts} timestamp="${xmlEscape(r.startedAt)}">`,
    ...r.stages.map((s) => testcase(r, s)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
