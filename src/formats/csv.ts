import { cellRenderer, emitLines } from '../core/text.ts'
import { defineFormat } from './types.ts'

const NEEDS_QUOTES = /[",\r\n]/

/**
 * RFC 4180 quoting: fields with a comma, quote, CR or LF are quoted, quotes doubled. The empty
 * string is written as "" so that it stays distinct from null, which is an empty field.
 */
export function csvQuote(s: string): string {
  if (s === '') return '""'
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** CSV (RFC 4180): a header row, CRLF line endings, UTF-8 without a byte-order mark. */
export const csvFormat = defineFormat({
  name: 'csv',
  extensions: ['.csv'],
  mediaType: 'text/csv; charset=utf-8',
  async open(columns, emit) {
    const cells = columns.map((c) => cellRenderer(c.kind, c.dictionary, csvQuote, (s) => s))
    const shape = {
      prefixes: columns.map((_, i) => (i === 0 ? '' : ',')),
      nullText: '',
      suffix: '',
      newline: '\r\n',
    }
    emit(`${columns.map((c) => csvQuote(c.name)).join(',')}\r\n`)
    return {
      write(blocks) {
        emitLines(blocks, cells, shape, emit)
      },
      end() {},
    }
  },
})
