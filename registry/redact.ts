/** A URL with its password left out, for messages and logs (`postgres://ann:secret@db/x` → `postgres://ann@db/x`). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password === '') return url
    u.password = ''
    return u.toString().replace(/:@/, '@')
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1@')
  }
}
