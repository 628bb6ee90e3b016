import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

/** The repository root (this file is deploy/test/helpers/repo.ts). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const repoPath = (...parts: string[]): string => join(ROOT, ...parts)
