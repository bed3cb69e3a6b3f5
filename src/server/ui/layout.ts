/**
 * The browser UI's page shell and small shared pieces: the HTML document (a skip link, a header
 * with the site navigation, one main landmark, inline CSS; no JavaScript), pagination links,
 * number and byte formatting, and the URLs of the UI's pages. Text is escaped by hono's `html`.
 */
import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>

const CSS = `
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#fff}
a{color:#0b57d0}a:focus-visible,input:focus-visible,button:focus-visible{outline:3px solid #e37400;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:2}
header{background:#16233a;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center}
header a{color:#fff;font-weight:600;text-decoration:none}header nav a{font-weight:400;margin-right:16px;text-decoration:underline}
main{max-width:1100px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:1.6rem;margin:.6em 0 .3em}h2{font-size:1.25rem;margin:1.6em 0 .4em;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:1.05rem;margin:1.2em 0 .3em}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em;font-size:14px}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f5f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}
pre{background:#f3f5f8;padding:8px;overflow:auto;max-height:320px}
.muted{color:#57606a}.ok{color:#116329}.bad{color:#a40e26}
.tag{display:inline-block;background:#ddf4ff;color:#0a3069;border-radius:10px;padding:0 8px;margin-right:4px;font-size:13px}
.cols{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}
.col{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px}
.col h3{margin-top:0}
form.inline{display:flex;gap:8px;align-items:end;flex-wrap:wrap;margin:.5em 0}
label{display:flex;flex-direction:column;font-size:13px}
input{font:inherit;padding:3px 6px;border:1px solid #8c959f;border-radius:4px}
button{font:inherit;padding:3px 12px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;border-radius:4px}
nav.pages{margin:.5em 0}nav.pages a,nav.pages span{margin-right:12px}
.note{border-left:4px solid #8c959f;padding:4px 12px;background:#f6f8fa}
`

/** A whole page. */
export function page(title: string, body: Html, opts: { base: string }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · goldgen</title>
<link rel="icon" href="data:,">
<style>${raw(CSS)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><a href="${opts.base}/">goldgen registry</a><nav aria-label="Site"><a href="${opts.base}/">Datasets</a><a href="${opts.base}/openapi.json">API</a></nav></header>
<main id="main">
${body}
</main>
</body>
</html>`
}

/** Links to the previous and next pages of a list, keeping the other query parameters. */
export function pager(
  path: string,
  pageNumber: number,
  pages: number,
  query: Record<string, string | undefined> = {},
): Html {
  if (pages <= 1) return html``
  const href = (n: number) => {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v)
    q.set('page', String(n))
    return `${path}?${q}`
  }
  return html`<nav class="pages" aria-label="Pages">${
    pageNumber > 1 ? html`<a href="${href(pageNumber - 1)}" rel="prev">Previous page</a>` : ''
  }<span>Page ${pageNumber} of ${pages}</span>${
    pageNumber < pages ? html`<a href="${href(pageNumber + 1)}" rel="next">Next page</a>` : ''
  }</nav>`
}

/** The page number asked for (1-based), within 1 … pages. */
export function pageOf(query: string | undefined, pages: number): number {
  const n = Number(query ?? 1)
  return Number.isInteger(n) && n >= 1 ? Math.min(n, Math.max(pages, 1)) : 1
}

export const bytes = (n: number | undefined) =>
  n === undefined
    ? '—'
    : n < 1024
      ? `${n} B`
      : n < 1024 ** 2
        ? `${(n / 1024).toFixed(1)} KiB`
        : `${(n / 1024 ** 2).toFixed(1)} MiB`

/** A number for people: integers as they are, others to 6 significant digits. */
export const num = (v: number | string | undefined) =>
  v === undefined
    ? '—'
    : typeof v === 'string'
      ? v
      : Number.isInteger(v)
        ? String(v)
        : String(Number(v.toPrecision(6)))

/** The UI's URLs. */
export const ui = {
  dataset: (base: string, name: string) => `${base}/datasets/${encodeURIComponent(name)}`,
  version: (base: string, name: string, version: number | string) =>
    `${base}/datasets/${encodeURIComponent(name)}/versions/${encodeURIComponent(String(version))}`,
  diff: (base: string, name: string, a: number, b: number) =>
    `${base}/datasets/${encodeURIComponent(name)}/diff?a=${a}&b=${b}`,
  model: (base: string, name: string, version: string) =>
    `${base}/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`,
  api: (base: string, name: string, version: number) =>
    `${base}/v1/datasets/${encodeURIComponent(name)}/versions/${version}`,
}
