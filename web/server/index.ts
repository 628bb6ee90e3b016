import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Where the built web app is (`vite build` output), for a server that wants to serve it. */
export const webRoot = fileURLToPath(new URL('../dist', import.meta.url))

/** Whether the web app has been built. */
export const isBuilt = (): boolean => existsSync(fileURLToPath(new URL('../dist/index.html', import.meta.url)))
