import { cellRenderer } from './text.ts'
import { defineFormat } from './types.ts'

/** JSON Lines: one object per row, keys in column order; NaN and ±Infinity as strings, -0 as -0. */
export const jsonlFormat = defineFormat({
  name: 'jsonl',
  extensions: ['.jsonl', '.ndjson'],
  mediaType: 'application/x-ndjson',
  async open(columns, emit) {
    const cells = columns.map((c) => cellRenderer(c.kind, c.dictionary, JSON.stringify, (s) => `"${s}"`))
    const keys = columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`)
    return {
      write(blocks) {
        const n = blocks[0]?.values.length ?? 0
        const lines: string[] = new Array(n)
        for (let r = 0; r < n; r++) {
          let line = ''
          for (let c = 0; c < blocks.length; c++) {
            const b = blocks[c]!
            line += keys[c]
            line += b.validity === undefined || b.validity[r] === 1 ? cells[c]!(b, r) : 'null'
          }
          lines[r] = `${line}}`
        }
        if (n > 0) emit(`${lines.join('\n')}\n`)
      },
      end() {},
    }
  },
})
