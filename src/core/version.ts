/** Versions recorded in every manifest: goldgen's own and those of the libraries that shape values. */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findPackageJson(start: string, name: string): { version: string; root: string } {
  let dir = start
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string
        version: string
      }
      if (pkg.name === name) return { version: pkg.version, root: dir }
    } catch {
      // no package.json here; keep walking up
    }
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`cannot find the package.json of ${name}`)
    dir = parent
  }
}

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)

const own = findPackageJson(here, 'goldgen')

/** goldgen's package version. */
export const VERSION: string = own.version

/** The folder holding goldgen's package.json (whether running from source or from dist/). */
export const PACKAGE_ROOT: string = own.root

/** The installed version of a dependency, read from its package.json. */
export function libraryVersion(name: string): string {
  return findPackageJson(dirname(require.resolve(name)), name).version
}
