/** The contract report for people: one line per stage and fixture, then its details. */
import type { ContractReport } from '../types.ts'

const LABEL = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const

export function renderReport(r: ContractReport, maxDetails = 10): string {
  const lines = [
    `goldgen contract ${r.model}@${r.version} against ${r.endpoint} (${r.protocol}, model ${r.modelName})`,
  ]
  for (const s of r.stages) {
    lines.push(`${LABEL[s.status]} ${s.stage}${s.fixture === undefined ? '' : ` ${s.fixture}`}: ${s.reason}`)
    for (const d of s.details.slice(0, maxDetails)) lines.push(`     ${d}`)
    if (s.details.length > maxDetails) lines.push(`     … and ${s.details.length - maxDetails} more`)
  }
  const failed = r.stages.filter((s) => s.status === 'fail').length
  lines.push(
    failed === 0
      ? `passed: ${r.stages.filter((s) => s.status === 'pass').length} stages in ${r.seconds} s`
      : `failed: ${failed} of ${r.stages.length} stages in ${r.seconds} s`,
  )
  if (r.runId !== undefined) lines.push(`recorded as run ${r.runId}`)
  return `${lines.join('\n')}\n`
}
