import { cellRenderer, renderLines, renderRecords } from '../core/text.ts'
import { defineFormat } from './types.ts'

/** A JSON array of row objects (for HTTP clients that want one JSON document); values as in JSONL. */
export const jsonFormat = defineFormat({
  name: 'json',
  extensions: ['.json'],
  mediaType: 'application/json',
  async open(columns, emit, meta) {
    const special = meta?.nonFinite === 'null' ? () => 'null' : (s: string) => `"${s}"`
    const cells = columns.map((c) => cellRenderer(c.kind, c.dictionary, JSON.stringify, special))
    const prefixes = columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`)
    const shape = { prefixes, nullText: 'null', suffix: '}', newline: ',\n' }
    let first = true
    const records = columns.length > 0 && columns.every((c) => c.kind === 'json')
    const names = columns.map((c) => c.name)
    emit('[')
    return {
      write(blocks) {
        const text = records ? renderRecords(blocks, names, ',\n') : renderLines(blocks, cells, shape)
        if (text === '') return
        emit(`${first ? '\n' : ',\n'}${text.slice(0, -2)}`)
        first = false
      },
      end() {
        emit(first ? ']\n' : '\n]\n')
      },
    }
  },
})
