/**
 * Arrow types spelled one way: the names manifests use (`arrowTypeNames` in src/core/blocks.ts:
 * `Int32`, `Float64`, `Date32`, `Timestamp(ms, "UTC")`, `Dictionary<Int32, Utf8>`, …), for the
 * types of files read back (`inspect`, imports, conversions). apache-arrow's own `String(type)`
 * spells some differently (`Date32<DAY>`, `Timestamp<MILLISECOND, UTC>`).
 */
import type { DataType } from 'apache-arrow'

const UNITS = ['s', 'ms', 'us', 'ns']
const FLOATS = ['Float16', 'Float32', 'Float64']

/** The manifest's spelling of an apache-arrow type (its own spelling for types goldgen never writes). */
export function arrowTypeName(type: DataType): string {
  const t = type as DataType & Record<string, unknown>
  switch (type.typeId) {
    case 2: // Int
      return `${t.isSigned ? '' : 'U'}Int${t.bitWidth}`
    case 3: // Float
      return FLOATS[t.precision as number] ?? String(type)
    case 5: // Utf8
      return 'Utf8'
    case 6: // Bool
      return 'Bool'
    case 8: // Date
      return t.unit === 0 ? 'Date32' : 'Date64'
    case 10: {
      // Timestamp
      const unit = UNITS[t.unit as number] ?? String(t.unit)
      return t.timezone ? `Timestamp(${unit}, ${JSON.stringify(t.timezone)})` : `Timestamp(${unit})`
    }
    case -1: {
      // Dictionary
      const d = type as unknown as { indices: DataType; dictionary: DataType }
      return `Dictionary<${arrowTypeName(d.indices)}, ${arrowTypeName(d.dictionary)}>`
    }
    default:
      return String(type)
  }
}
