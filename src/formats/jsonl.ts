import { cellRenderer, emitLines, renderRecords } from '../core/text.ts'
import { defineFormat } from './types.ts'

/**
 * JSON Lines: one object per row, keys in column order; NaN and ±Infinity as strings (or null with
 * `nonFinite: 'null'`), -0 as -0.
 */
export const jsonlFormat = defineFormat({
  name: 'jsonl',
  extensions: ['.jsonl', '.ndjson'],
  mediaType: 'application/x-ndjson',
  async open(columns, emit, meta) {
    const special = meta?.nonFinite === 'null' ? () => 'null' : (s: string) => `"${s}"`
    const cells = columns.map((c) => cellRenderer(c.kind, c.dictionary, JSON.stringify, special))
    const prefixes = columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`)
    const shape = { prefixes, nullText: 'null', suffix: '}', newline: '\n' }
    const records = columns.length > 0 && columns.every((c) => c.kind === 'json')
    const names = columns.map((c) => c.name)
    return {
      write(blocks) {
        if (!records) return emitLines(blocks, cells, shape, emit)
        const text = renderRecords(blocks, names, '\n')
        if (text !== '') emit(text)
      },
      end() {},
    }
  },
})
