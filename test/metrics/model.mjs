// A model for the metric-expectation tests, run as `node model.mjs INPUT.csv OUTPUT.csv VARIANT`:
// pred = 2x + 1 and prob = sigmoid(x − 5); variant v2 is 1.5 off on the enterprise segment only.
import { readFileSync, writeFileSync } from 'node:fs'

const [, , input, output, variant] = process.argv
const [head, ...lines] = readFileSync(input, 'utf8').trim().split(/\r?\n/)
const columns = head.split(',')
const at = (cells, name) => cells[columns.indexOf(name)]
const out = ['pred,prob']
for (const line of lines) {
  const cells = line.split(',')
  const x = Number(at(cells, 'x'))
  const off = variant === 'v2' && at(cells, 'segment') === 'enterprise' ? 1.5 : 0
  out.push(`${2 * x + 1 + off},${1 / (1 + Math.exp(-(x - 5)))}`)
}
writeFileSync(output, `${out.join('\n')}\n`)
