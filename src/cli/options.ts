/** Option parsers shared by the CLI's commands: clear messages, exit code 2 through commander. */
import { InvalidArgumentError, Option } from 'commander'

/** A whole number ≥ 0 (underscores allowed: 1_000_000), at most `max` when given. */
export function wholeNumber(name: string, max?: number) {
  return (value: string): number => {
    const n = Number(value.replaceAll('_', ''))
    if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) {
      throw new InvalidArgumentError(`${name} must be a whole number ≥ 0, got ${JSON.stringify(value)}`)
    }
    if (max !== undefined && n > max)
      throw new InvalidArgumentError(`${name} must be at most ${max.toLocaleString('en-US')}, got ${value}`)
    return n
  }
}

export function seedNumber(value: string): number {
  const n = wholeNumber('--seed')(value)
  if (n > 0xffffffff) throw new InvalidArgumentError(`--seed must be at most 4294967295, got ${value}`)
  return n
}

/** `--jsonl-nonfinite string|null`: how JSONL and JSON write NaN and ±Infinity. */
export function jsonlNonFiniteOption(): Option {
  return new Option(
    '--jsonl-nonfinite <how>',
    'JSONL/JSON: write NaN and ±Infinity as strings ("NaN", the default) or as null (for typed readers)',
  ).choices(['string', 'null'])
}
