/** Plain cell values as goldgen's text formats carry them. */
export type CellValue = string | number | boolean | null

/** A JSON value from goldgen's JSONL/JSON output: "NaN" and "±Infinity" strings become numbers. */
export const fromJson = (v: unknown): CellValue =>
  v === 'NaN'
    ? Number.NaN
    : v === 'Infinity'
      ? Number.POSITIVE_INFINITY
      : v === '-Infinity'
        ? Number.NEGATIVE_INFINITY
        : (v as CellValue)
