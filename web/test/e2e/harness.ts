import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { build } from 'vite'
import { startStack, type Stack } from '../../../packages/client/test/helpers/stack.js'
import { artifacts, shot } from './page-actions.js'

/**
 * The web app in a real browser against the real services. Two auth instances (replicas on one
 * Redis with the same secrets and signing key) each tell their pages to use a different chat
 * instance through `/config.json`, so the two browser contexts, each loading the app from its own
 * auth instance, chat through two different chat instances on one Redis. The app is built from
 * the current source into a temporary folder first.
 */

const webDir = fileURLToPath(new URL('../..', import.meta.url))
export const CHROMIUM_MISSING = 'chromium is not installed: run `sudo apt-get install -y --no-install-recommends chromium` (Debian/Ubuntu) or set CHROMIUM_PATH'
/** The key a backend posts into rooms with (`POST /api/rooms/:room/messages`). */
export const SERVICE_KEY = 'web-e2e-service-key-0123456789'

/** Posts into a room as a backend does, under any user it likes; the answer's status. */
export async function postAs (stack: Stack, room: string, user: { id: string, name: string }, text: string): Promise<number> {
  const posted = await fetch(`http://127.0.0.1:${stack.chats[0]!.port}/api/rooms/${room}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SERVICE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user, text })
  })
  return posted.status
}

export const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 }

export function chromiumPath (): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv !== undefined && fromEnv !== '') return existsSync(fromEnv) ? fromEnv : undefined
  const found = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' })
  const path = found.stdout.trim().split('\n')[0]
  return found.status === 0 && path !== undefined && path !== '' ? path : undefined
}

export interface Watched { page: Page, problems: string[], dialogs: string[] }

/** A page whose script errors, CSP violations and dialogs are all recorded. */
export async function watchedPage (context: BrowserContext, name: string): Promise<Watched> {
  const page = await context.newPage()
  const watched: Watched = { page, problems: [], dialogs: [] }
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)
    })
  })
  page.on('pageerror', (err) => watched.problems.push(`${name} page error: ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const text = msg.text()
    const url = msg.location().url
    // Chromium logs failed socket attempts while a chat instance is down, and every 4xx answer:
    // 401 from /auth/me before sign-in and from /auth/verify for the wrong code typed on purpose.
    if (/WebSocket connection to .* failed/.test(text)) return
    if (/status of 401/.test(text) && /\/auth\/(me|verify)$/.test(url)) return
    watched.problems.push(`${name} console error: ${text} (${url})`)
  })
  page.on('dialog', (dialog) => {
    watched.dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  return watched
}

export interface Harness {
  stack: Stack
  /** Ana's page loads the app from auth instance 0 (chat instance 0), Ben's from 1 (chat 1). */
  a: Watched
  b: Watched
  phone: Watched
  ana: Page
  ben: Page
  anaContext: BrowserContext
  benContext: BrowserContext
  /** A step of the story; after a failed one the rest fail at once instead of timing out. */
  step (name: string, fn: (t: Test) => Promise<void>): Promise<void>
  /** The closing check: no script errors and no CSP violations on any page. */
  finish (): void
}

/** Builds the app, starts the services and a browser with Ana's, Ben's and a phone's pages; or fails saying chromium is missing. */
export async function startHarness (t: Test, options: { authEnv?: Record<string, string>, chatEnv?: Record<string, string> } = {}): Promise<Harness | undefined> {
  const executablePath = chromiumPath()
  if (executablePath === undefined) {
    t.fail(CHROMIUM_MISSING)
    return undefined
  }
  mkdirSync(artifacts, { recursive: true })
  const webRoot = mkdtempSync(join(tmpdir(), 'webchat-web-'))
  t.teardown(() => { rmSync(webRoot, { recursive: true, force: true }) })
  await build({ root: webDir, configFile: join(webDir, 'vite.config.ts'), logLevel: 'silent', build: { outDir: webRoot, emptyOutDir: true, sourcemap: false } })

  const stack = await startStack(t, { auths: 2, chats: 2, webRoot, chatEnv: { CHAT_SERVICE_KEYS: SERVICE_KEY, ...options.chatEnv }, ...(options.authEnv === undefined ? {} : { authEnv: options.authEnv }) })
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(async () => { await browser.close() })
  const anaContext = await browser.newContext(DESKTOP)
  const benContext = await browser.newContext(DESKTOP)
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
  const a = await watchedPage(anaContext, 'Ana')
  const b = await watchedPage(benContext, 'Ben')
  const phone = await watchedPage(phoneContext, 'phone')
  const [ana, ben] = [a.page, b.page]

  let broken = false
  const step = async (name: string, fn: (t: Test) => Promise<void>): Promise<void> => {
    await t.test(name, async (t) => {
      if (broken) { t.fail('not run: an earlier step failed'); return }
      try {
        await fn(t)
      } catch (err) {
        broken = true
        // What each page showed when the step failed, to see why.
        for (const [who, page] of [['ana', ana], ['ben', ben]] as const) {
          await shot(page, `failed-${who}.png`).catch(() => {})
          t.comment(`${who} page: ${(await page.locator('body').innerText().catch(() => '?')).replace(/\s+/g, ' ').slice(0, 600)}`)
        }
        throw err
      }
      if (!t.passing()) broken = true
    })
  }
  const finish = (): void => {
    t.same([...a.problems, ...b.problems, ...phone.problems], [], 'no script errors and no CSP violations')
  }
  return { stack, a, b, phone, ana, ben, anaContext, benContext, step, finish }
}
