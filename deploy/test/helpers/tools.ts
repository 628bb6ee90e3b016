import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import type { Test } from 'tap'

/** The one line a developer needs when a Debian tool the deployment tests use is missing. */
export const INSTALL: Record<'nginx' | 'docker-compose' | 'openssl', string> = {
  nginx: 'nginx is not installed: sudo apt-get install -y --no-install-recommends nginx (macOS: brew install nginx)',
  'docker-compose': 'docker-compose is not installed: sudo apt-get install -y --no-install-recommends docker-compose (without --no-install-recommends it pulls a whole Docker engine)',
  openssl: 'openssl is not installed: sudo apt-get install -y --no-install-recommends openssl'
}

/** The tool's path: on PATH, or in the sbin folders Debian puts nginx in (not on a user's PATH). */
export function findTool (name: keyof typeof INSTALL): string | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin']
  for (const folder of folders) {
    if (folder === '') continue
    const path = join(folder, name)
    if (existsSync(path) && spawnSync(path, [name === 'openssl' ? 'version' : '-v'], { stdio: 'ignore' }).status === 0) return path
  }
  return undefined
}

/** The tool's path, or an error whose message is the install line. */
export function requireTool (name: keyof typeof INSTALL): string {
  const path = findTool(name)
  if (path === undefined) throw new Error(INSTALL[name])
  return path
}

/**
 * Whether the tools are installed; for each missing one, a failure whose whole text is the
 * install line (no stack). Wrap a file's tests in `if (haveTools(t, [...])) { ... }`.
 */
export function haveTools (t: Test, names: Array<keyof typeof INSTALL>): boolean {
  const missing = names.filter((name) => findTool(name) === undefined)
  for (const name of missing) t.fail(INSTALL[name], { diagnostic: false })
  return missing.length === 0
}
