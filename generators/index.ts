/** The builtin generators, by column type. */
import type { ColumnType } from '../schemas/language.ts'
import { boolGenerator } from './bool.ts'
import { categoryGenerator } from './category.ts'
import { dateGenerator } from './date.ts'
import { datetimeGenerator } from './datetime.ts'
import { fakerGenerator } from './faker.ts'
import { floatGenerator } from './float.ts'
import { idGenerator } from './id.ts'
import { intGenerator } from './int.ts'
import { stringGenerator } from './string.ts'
import type { GeneratorPlugin } from './types.ts'
import { uuidGenerator } from './uuid.ts'

/** Column types that a generator makes on its own (`ref` and `lookup` read other tables). */
export type GeneratedType = Exclude<ColumnType, 'ref' | 'lookup'>

export const generators: { [T in GeneratedType]: GeneratorPlugin<T> } = {
  id: idGenerator,
  int: intGenerator,
  float: floatGenerator,
  category: categoryGenerator,
  bool: boolGenerator,
  date: dateGenerator,
  datetime: datetimeGenerator,
  uuid: uuidGenerator,
  string: stringGenerator,
  faker: fakerGenerator,
}

export type { ColumnGenerator, GeneratorPlugin, SpecIssue } from './types.ts'
export { defineGenerator } from './types.ts'
