import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Creates DATA_DIR (owner-only) and returns its path. */
export async function ensureDataDir (dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  return dataDir
}

/**
 * Reads `name` from DATA_DIR, or writes `create()` there first. The file appears atomically
 * (written aside, then hard-linked into place, which fails when it exists), so two processes
 * starting together on one folder end up with the same content.
 */
export async function readOrCreate (dataDir: string, name: string, create: () => Promise<string> | string): Promise<string> {
  const path = join(await ensureDataDir(dataDir), name)
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const content = await create()
  const aside = `${path}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(aside, content, { flag: 'wx', mode: 0o600 })
  try {
    await link(aside, path)
    return content
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    return await readFile(path, 'utf8')
  } finally {
    await unlink(aside)
  }
}

/** A configured secret, or one generated once and kept in DATA_DIR. */
export async function secretOrPersisted (configured: string, dataDir: string, name: string): Promise<{ secret: string, generated: boolean }> {
  if (configured !== '') return { secret: configured, generated: false }
  const secret = (await readOrCreate(dataDir, name, () => randomBytes(32).toString('base64url'))).trim()
  if (secret.length < 32) throw new Error(`${join(dataDir, name)} holds a secret shorter than 32 characters`)
  return { secret, generated: true }
}
