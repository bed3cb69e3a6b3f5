/**
 * Calendar checks for dates written as text. `Date.parse('2024-02-30')` is 2024-03-01: JavaScript
 * rolls an impossible day over to the next month, so goldgen checks the fields itself and an
 * impossible date is an error (schemas) or not a date at all (inference), never the next day.
 */

const daysIn = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31

/** Whether text starting YYYY-MM-DD names a day that exists (month 1–12, day within the month). */
export function isRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text)
  if (m === null) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)
}

/**
 * Whether an ISO 8601 date-time (`YYYY-MM-DD`, then `T` or a space, `HH:MM[:SS[.fff]]` and an
 * offset) names an instant that exists: a real date, hours 0–23, minutes and seconds 0–59, an
 * offset within ±23:59.
 */
export function isRealDateTime(text: string): boolean {
  if (!isRealDate(text)) return false
  const time = /^.{10}[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?$/.exec(text)
  if (time === null) return text.length === 10
  const [h, min, s, oh, om] = time.slice(1).map((x) => (x === undefined ? 0 : Number(x)))
  return (
    h! <= 23 &&
    min! <= 59 &&
    s! <= 59 &&
    oh! <= 23 &&
    om! <= 59 &&
    !Number.isNaN(Date.parse(text.replace(' ', 'T')))
  )
}
