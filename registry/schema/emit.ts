/**
 * Writes the drizzle table definitions of one dialect (SQLite or PostgreSQL) from the one
 * schema module (`tables.ts`), as TypeScript source. `scripts/write-db-schema.mjs` formats the
 * text and writes `registry/<dialect>/schema.ts`; `test/schema-sync.test.ts` checks the written
 * files are what this gives today. Each dialect is a small table of how it spells a column kind.
 */
import type { ColumnKind, ColumnSpec, Extra, TableSpec } from './describe.ts'
import { tables as allTables } from './tables.ts'

export type Dialect = 'sqlite' | 'postgres'

interface Spelling {
  readonly module: string
  readonly tableFn: string
  /** The drizzle builder call for a column, before `.notNull()` and the rest. */
  column(spec: ColumnSpec): { fn: string; call: string }
  /** What `id` columns add after the builder (their primary key). */
  readonly idKey: string
  readonly now: string
}

const quote = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
const values = (spec: ColumnSpec) => (spec.values ? `, { enum: [${spec.values.map(quote).join(', ')}] }` : '')

const sqliteKinds: Record<ColumnKind, (s: ColumnSpec) => { fn: string; call: string }> = {
  id: (s) => ({ fn: 'integer', call: `integer(${quote(s.name)})` }),
  integer: (s) => ({ fn: 'integer', call: `integer(${quote(s.name)})` }),
  count: (s) => ({ fn: 'integer', call: `integer(${quote(s.name)})` }),
  float: (s) => ({ fn: 'real', call: `real(${quote(s.name)})` }),
  text: (s) => ({ fn: 'text', call: `text(${quote(s.name)}${values(s)})` }),
  json: (s) => ({ fn: 'text', call: `text(${quote(s.name)}, { mode: 'json' })` }),
  boolean: (s) => ({ fn: 'integer', call: `integer(${quote(s.name)}, { mode: 'boolean' })` }),
  timestamp: (s) => ({
    fn: 'createdAt',
    call: s.name === 'created_at' ? 'createdAt()' : `createdAt(${quote(s.name)})`,
  }),
}

const postgresKinds: Record<ColumnKind, (s: ColumnSpec) => { fn: string; call: string }> = {
  id: (s) => ({ fn: 'serial', call: `serial(${quote(s.name)})` }),
  integer: (s) => ({ fn: 'integer', call: `integer(${quote(s.name)})` }),
  count: (s) => ({ fn: 'bigint', call: `bigint(${quote(s.name)}, { mode: 'number' })` }),
  float: (s) => ({ fn: 'doublePrecision', call: `doublePrecision(${quote(s.name)})` }),
  text: (s) => ({ fn: 'text', call: `text(${quote(s.name)}${values(s)})` }),
  json: (s) => ({ fn: 'json', call: `json(${quote(s.name)})` }),
  boolean: (s) => ({ fn: 'boolean', call: `boolean(${quote(s.name)})` }),
  timestamp: sqliteKinds.timestamp,
}

const spellings: Record<Dialect, Spelling> = {
  sqlite: {
    module: 'drizzle-orm/sqlite-core',
    tableFn: 'sqliteTable',
    column: (s) => sqliteKinds[s.kind](s),
    idKey: '.primaryKey({ autoIncrement: true })',
    now: "text(name).notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`)",
  },
  postgres: {
    module: 'drizzle-orm/pg-core',
    tableFn: 'pgTable',
    column: (s) => postgresKinds[s.kind](s),
    idKey: '.primaryKey()',
    now: 'text(name).notNull().default(sql`to_char(clock_timestamp() at time zone \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\')`)',
  },
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  return [...lines, line]
}

/** A doc comment: on one line when it fits, else wrapped. */
function comment(text: string, indent: string): string {
  if (indent.length + text.length + 7 <= 110) return `${indent}/** ${text} */\n`
  const body = wrap(text, 100 - indent.length).map((l) => `${indent} * ${l}\n`)
  return `${indent}/**\n${body.join('')}${indent} */\n`
}

const lineComment = (text: string, indent: string) =>
  wrap(text, 100 - indent.length)
    .map((l) => `${indent}// ${l}\n`)
    .join('')

function columnSource(
  key: string,
  col: ColumnSpec,
  spelling: Spelling,
  names: Map<string, string>,
): { fn: string; line: string } {
  const { fn, call } = spelling.column(col)
  let chain = call
  if (col.kind === 'id') chain += spelling.idKey
  else {
    if (col.notNull && col.kind !== 'timestamp') chain += '.notNull()'
    if (col.primaryKey) chain += '.primaryKey()'
    if (col.unique) chain += '.unique()'
  }
  if (col.references) {
    const [table, column] = col.references.split('.') as [string, string]
    if (!names.has(table)) throw new Error(`${key} references the unknown table ${table}`)
    chain += `.references(() => ${table}.${column})`
  }
  return { fn, line: `${col.doc ? comment(col.doc, '    ') : ''}    ${key}: ${chain},\n` }
}

function extraSource(extra: Extra): { fn: string; text: string } {
  const cols = extra.columns.map((c) => `t.${c}`).join(', ')
  if (extra.type === 'primaryKey') return { fn: 'primaryKey', text: `primaryKey({ columns: [${cols}] })` }
  return { fn: extra.type, text: `${extra.type}(${quote(extra.name)}).on(${cols})` }
}

function tableSource(key: string, spec: TableSpec, spelling: Spelling, names: Map<string, string>) {
  const used = new Set<string>()
  let body = ''
  for (const [colKey, col] of Object.entries(spec.columns)) {
    const { fn, line } = columnSource(colKey, col.spec, spelling, names)
    used.add(fn)
    body += line
  }
  let extras = ''
  if (spec.extras.length > 0) {
    const parts = spec.extras.map(extraSource)
    for (const p of parts) used.add(p.fn)
    const note = spec.extrasNote ? lineComment(spec.extrasNote, '  ') : ''
    extras = `,\n${note}  (t) => [${parts.map((p) => p.text).join(', ')}]`
  }
  const doc = spec.doc ? comment(spec.doc, '') : ''
  const text = `${doc}export const ${key} = ${spelling.tableFn}(\n  ${quote(spec.name)},\n  {\n${body}  }${extras},\n)\n`
  return { text, used }
}

/** The TypeScript source of one dialect's drizzle schema, before formatting. */
export function emitSchema(
  dialect: Dialect,
  tables: Readonly<Record<string, TableSpec>> = allTables,
): string {
  const spelling = spellings[dialect]
  const names = new Map(Object.entries(tables).map(([k, t]) => [k, t.name]))
  const used = new Set<string>([spelling.tableFn])
  const parts: string[] = []
  for (const [key, spec] of Object.entries(tables)) {
    const t = tableSource(key, spec, spelling, names)
    for (const fn of t.used) used.add(fn)
    parts.push(t.text)
  }
  const timestamps = used.delete('createdAt')
  if (timestamps) used.add('text')
  const imports = [...used].sort((a, b) => a.localeCompare(b))
  const lines = [
    '/**',
    ` * The registry's metadata tables in the ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} dialect, written by`,
    ' * `npm run db:generate` from the one schema module, registry/schema/tables.ts: edit that file,',
    ' * not this one (test/schema-sync.test.ts fails when this file is not what it gives).',
    ' */',
  ]
  if (timestamps) lines.push("import { sql } from 'drizzle-orm'")
  lines.push(`import { ${imports.join(', ')} } from '${spelling.module}'`, '')
  if (timestamps) lines.push(`const createdAt = (name = 'created_at') => ${spelling.now}`, '')
  return `${lines.join('\n')}\n${parts.join('\n')}`
}
