import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { build } from 'vite'
import { createAuthClient, createConnection } from '@webchat/client'
import { startStack, type Stack } from '../../packages/client/test/helpers/stack.js'

/**
 * The web app in a real browser against the real services. Two auth instances (replicas on one
 * Redis with the same secrets and signing key) each tell their pages to use a different chat
 * instance through `/config.json`, so the two browser contexts, each loading the app from its own
 * auth instance, chat through two different chat instances on one Redis. The app is built from
 * the current source into a temporary folder first.
 */

const webDir = fileURLToPath(new URL('..', import.meta.url))
const artifacts = fileURLToPath(new URL('../../artifacts/web-e2e/', import.meta.url))
export const CHROMIUM_MISSING = 'chromium is not installed: run `sudo apt-get install -y --no-install-recommends chromium` (Debian/Ubuntu) or set CHROMIUM_PATH'
const WAIT = 15_000
const ROOM = 'design-review'
const XSS = '<img src=x onerror=alert(1)>'

function chromiumPath (): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv !== undefined && fromEnv !== '') return existsSync(fromEnv) ? fromEnv : undefined
  const found = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' })
  const path = found.stdout.trim().split('\n')[0]
  return found.status === 0 && path !== undefined && path !== '' ? path : undefined
}

interface Watched { page: Page, problems: string[], dialogs: string[] }

/** A page whose script errors, CSP violations and dialogs are all recorded. */
async function watchedPage (context: BrowserContext, name: string): Promise<Watched> {
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

async function shot (page: Page, file: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, file), animations: 'disabled' })
}

/** Signs in through the page: email, a wrong code (its message), the right code, then a rename. */
async function signIn (page: Page, stack: Stack, email: string, name: string, atCodeStep: () => Promise<void> = async () => {}): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in to webchat' }).waitFor({ timeout: WAIT })
  await page.getByLabel('Email address').fill(email)
  await page.getByRole('button', { name: 'Send code' }).click()
  await page.getByRole('heading', { name: 'Check your email' }).waitFor({ timeout: WAIT })
  await atCodeStep()
  const code = await stack.sink.codeFor(email)
  await page.getByLabel('6-digit code').fill(code === '000000' ? '999999' : '000000')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByText(/That code is not right\. \d+ attempts? left\./).waitFor({ timeout: WAIT })
  await shot(page, `signin-wrong-code-${email.split('@')[0]!}.png`)
  await page.getByLabel('6-digit code').fill(code)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Rename' }).click()
  await page.getByLabel('Display name', { exact: true }).fill(name)
  await page.getByRole('button', { name: 'Save' }).click()
  await page.locator('.account-name', { hasText: new RegExp(`^${name}$`) }).waitFor({ timeout: WAIT })
}

async function joinRoom (page: Page, room: string): Promise<void> {
  await page.getByLabel('Join a room').fill(room)
  await page.getByLabel('Join a room').press('Enter')
  await page.locator('#room-title', { hasText: `#${room}` }).waitFor({ timeout: WAIT })
  await page.locator('.room-meta', { hasText: 'online' }).waitFor({ timeout: WAIT })
}

async function say (page: Page, text: string): Promise<void> {
  const box = page.locator('#composer-input')
  await box.fill(text)
  await box.press('Enter')
}

/** The message texts shown, in order. */
async function texts (page: Page): Promise<string[]> {
  return await page.locator('.rows:not(.pending-rows) .msg-text').allTextContents()
}

async function waitForText (page: Page, text: string): Promise<void> {
  await page.locator('.rows:not(.pending-rows) .msg-text').getByText(text, { exact: true }).waitFor({ timeout: WAIT })
}

t.test('two people sign in and chat through two chat instances', async (t) => {
  const executablePath = chromiumPath()
  if (executablePath === undefined) {
    t.fail(CHROMIUM_MISSING)
    return
  }
  mkdirSync(artifacts, { recursive: true })
  const webRoot = mkdtempSync(join(tmpdir(), 'webchat-web-'))
  t.teardown(() => { rmSync(webRoot, { recursive: true, force: true }) })
  await build({ root: webDir, configFile: join(webDir, 'vite.config.ts'), logLevel: 'silent', build: { outDir: webRoot, emptyOutDir: true, sourcemap: false } })

  const stack = await startStack(t, { auths: 2, chats: 2, webRoot })
  const browser: Browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(async () => { await browser.close() })
  const desktop = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 }
  const anaContext = await browser.newContext(desktop)
  const benContext = await browser.newContext(desktop)
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
  const a = await watchedPage(anaContext, 'Ana')
  const b = await watchedPage(benContext, 'Ben')
  const phone = await watchedPage(phoneContext, 'phone')
  const ana = a.page
  const ben = b.page
  // Each step needs the ones before it: after a failure the rest fail at once instead of timing out.
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

  await step('the pages carry a strict Content Security Policy', async (t) => {
    const response = await ana.goto(stack.auths[0]!.url + '/')
    const csp = response?.headers()['content-security-policy'] ?? ''
    t.match(csp, /script-src 'self'(;|$)/)
    t.match(csp, /style-src 'self'(;|$)/)
    t.ok(csp.includes(new URL(stack.chats[0]!.url).origin), 'connect-src names the chat origin')
    await ana.getByRole('heading', { name: 'Sign in to webchat' }).waitFor({ timeout: WAIT })
    await shot(ana, 'signin-desktop.png')
    await phone.page.goto(stack.auths[1]!.url + '/')
    await phone.page.getByRole('heading', { name: 'Sign in to webchat' }).waitFor({ timeout: WAIT })
    await shot(phone.page, 'signin-phone.png')
  })

  await step('sign in with codes read from the SMTP sink', async (t) => {
    await signIn(ana, stack, 'ana@example.com', 'Ana')
    t.equal(await ana.locator('.account-email').textContent(), 'ana@example.com')
    await ben.goto(stack.auths[1]!.url + '/')
    await signIn(ben, stack, 'ben@example.com', 'Ben', async () => {
      const resend = ben.getByRole('button', { name: /^Resend code in \d+ s$/ })
      await resend.waitFor({ timeout: WAIT })
      t.ok(await resend.isDisabled(), 'resend waits, counting down')
      await shot(ben, 'signin-code-desktop.png')
    })
    t.equal(await ben.locator('.account-name').textContent(), 'Ben')
  })

  await step('join one room on two chat instances and see each other', async (t) => {
    await joinRoom(ana, ROOM)
    await joinRoom(ben, ROOM)
    t.equal(new URL(ana.url()).pathname, `/r/${ROOM}`)
    await ana.locator('.members .member-list:not(.offline) .member-name', { hasText: 'Ben' }).waitFor({ timeout: WAIT })
    await ben.locator('.members .member-list:not(.offline) .member-name', { hasText: 'Ana' }).waitFor({ timeout: WAIT })
    t.pass('presence across instances')
  })

  await step('messages, typing and read markers', async (t) => {
    await say(ana, 'Morning! The new sign-in page is up for review.')
    await waitForText(ben, 'Morning! The new sign-in page is up for review.')
    await say(ana, 'Two things to check:\n1. the resend countdown\n2. the error for a wrong code')
    await waitForText(ben, 'Two things to check:\n1. the resend countdown\n2. the error for a wrong code')
    await ben.locator('#composer-input').pressSequentially('Looks good', { delay: 20 })
    await ana.locator('.typing', { hasText: 'Ben is typing…' }).waitFor({ timeout: WAIT })
    await ben.locator('#composer-input').press('Enter')
    await waitForText(ana, 'Looks good')
    await ana.locator('.typing', { hasText: /^$/ }).waitFor({ timeout: WAIT })
    await ana.locator('.msg-seen', { hasText: 'Seen by Ben' }).waitFor({ timeout: WAIT })
    await ben.locator('.msg-seen', { hasText: 'Seen by Ana' }).waitFor({ timeout: WAIT })
    const shift = ben.locator('#composer-input')
    await shift.fill('One line')
    await shift.press('Shift+Enter')
    await shift.pressSequentially('and another')
    t.equal(await shift.inputValue(), 'One line\nand another', 'Shift+Enter adds a line')
    await shift.press('Enter')
    await waitForText(ana, 'One line\nand another')
    t.same((await texts(ana)).slice(-4), (await texts(ben)).slice(-4), 'both see the same conversation')
  })

  await step('user text is shown as text and runs nothing', async (t) => {
    await say(ana, XSS)
    await waitForText(ben, XSS)
    t.equal(await ben.locator('.rows img').count(), 0, 'no element made from the message')
    t.equal(await ben.locator('.rows .msg-text', { hasText: XSS }).first().textContent(), XSS)
    await ben.waitForTimeout(300)
    t.same([...a.dialogs, ...b.dialogs], [], 'no alert ran')
  })

  await step('unread counts in other rooms', async (t) => {
    await ben.locator('.room-link[data-room="general"]').click()
    await ben.locator('#room-title', { hasText: '#general' }).waitFor({ timeout: WAIT })
    await say(ben, 'Lunch at 12:30 in the usual place?')
    const badge = ana.locator('.room-link[data-room="general"] .badge')
    await badge.waitFor({ timeout: WAIT })
    t.equal(await badge.textContent(), '1')
    t.equal(await ana.locator('.room-link[data-room="general"]').getAttribute('aria-label'), 'general, 1 unread')
    await ben.locator(`.room-link[data-room="${ROOM}"]`).click()
    await ben.locator('#room-title', { hasText: `#${ROOM}` }).waitFor({ timeout: WAIT })
  })

  await step('a busy chat, on a desktop and on a phone', async () => {
    for (const line of [
      'I checked the countdown, it reads "Resend code in 42 s" and then enables itself.',
      'The locked message shows the time too ✓'
    ]) {
      await say(ben, line)
      await waitForText(ana, line)
    }
    await say(ana, 'Great, merging after lunch.')
    await waitForText(ben, 'Great, merging after lunch.')
    await ben.locator('#composer-input').pressSequentially('Sounds', { delay: 20 })
    await ana.locator('.typing', { hasText: 'Ben is typing…' }).waitFor({ timeout: WAIT })
    await shot(ana, 'chat-desktop.png')
    await ben.locator('#composer-input').fill('')
    await ben.setViewportSize({ width: 390, height: 844 })
    await ben.locator('.msg-text').last().waitFor({ timeout: WAIT })
    await shot(ben, 'chat-phone.png')
    await ben.getByRole('button', { name: 'All rooms' }).click()
    await shot(ben, 'rooms-phone.png')
    await ben.locator(`.room-link[data-room="${ROOM}"]`).click()
    await ben.setViewportSize(desktop.viewport)
  })

  await step('older messages load on scroll up', async (t) => {
    // A third user fills a room from Node with the same client library, through the other instance.
    const cy = createAuthClient({ baseUrl: stack.auths[0]!.url })
    await cy.requestCode('cy@example.com')
    await cy.verify('cy@example.com', await stack.sink.codeFor('cy@example.com'))
    const conn = createConnection({ url: stack.chats[0]!.url, getToken: async () => await cy.token(), WebSocket: stack.socketFrom(0) })
    t.teardown(() => conn.close())
    await conn.join('archive')
    for (let i = 1; i <= 60; i++) await conn.send('archive', `archived message ${i}`)
    await joinRoom(ben, 'archive')
    await waitForText(ben, 'archived message 60')
    t.equal((await texts(ben)).length, 50, 'the newest page first')
    await ben.getByRole('button', { name: 'Load older messages' }).waitFor({ timeout: WAIT })
    await ben.locator('.messages').evaluate((el) => { el.scrollTop = 0 })
    await waitForText(ben, 'archived message 1')
    await ben.getByText('This is the beginning of #archive.').waitFor({ timeout: WAIT })
    t.same(await texts(ben), Array.from({ length: 60 }, (_, i) => `archived message ${i + 1}`), 'all 60, in order, once')
    await ben.locator(`.room-link[data-room="${ROOM}"]`).click()
    await ben.locator('#room-title', { hasText: `#${ROOM}` }).waitFor({ timeout: WAIT })
  })

  await step('a lost chat instance: the banner, then the missed messages once each', async (t) => {
    const before = await texts(ben)
    await stack.chats[1]!.stop()
    const banner = ben.locator('.banner')
    await banner.getByText(/Connection lost\. Reconnecting|Reconnecting…/).waitFor({ timeout: WAIT })
    await say(ben, 'typed while the connection was down')
    await ben.locator('.pending-rows .msg-text', { hasText: 'typed while the connection was down' }).waitFor({ timeout: WAIT })
    const missed = ['missed one', 'missed two', 'missed three']
    for (const line of missed) {
      await say(ana, line)
      await waitForText(ana, line)
    }
    await shot(ben, 'reconnecting-desktop.png')
    await stack.chats[1]!.start()
    await banner.waitFor({ state: 'hidden', timeout: 30_000 })
    for (const line of missed) await waitForText(ben, line)
    await waitForText(ana, 'typed while the connection was down')
    await waitForText(ben, 'typed while the connection was down')
    const after = await texts(ben)
    for (const line of [...missed, 'typed while the connection was down']) {
      t.equal(after.filter((x) => x === line).length, 1, `"${line}" once`)
    }
    t.same(after.slice(0, before.length), before, 'what was there stays, in order')
    const ids = await ben.locator('.rows .msg[data-id]').evaluateAll((els) => els.map((el) => el.getAttribute('data-id')))
    t.equal(new Set(ids).size, ids.length, 'no message id twice')
    t.equal(await ben.locator('.pending-rows .msg').count(), 0, 'nothing left pending')
    t.equal((await texts(ana)).filter((x) => x === 'typed while the connection was down').length, 1, 'the queued message arrived once')
  })

  await step('offline, then back', async (t) => {
    await benContext.setOffline(true)
    await ben.locator('.banner').getByText('You are offline.').waitFor({ timeout: WAIT })
    await say(ben, 'written on the train')
    await ben.locator('.pending-rows .msg-text', { hasText: 'written on the train' }).waitFor({ timeout: WAIT })
    await benContext.setOffline(false)
    await ben.locator('.banner').waitFor({ state: 'hidden', timeout: 30_000 })
    await waitForText(ana, 'written on the train')
    await waitForText(ben, 'written on the train')
    t.equal((await texts(ana)).filter((x) => x === 'written on the train').length, 1, 'delivered once')
  })

  await step('log out', async (t) => {
    await ben.getByRole('button', { name: 'Log out' }).click()
    await ben.getByRole('heading', { name: 'Sign in to webchat' }).waitFor({ timeout: WAIT })
    await ana.locator('.members .member-list.offline .member-name', { hasText: 'Ben' }).waitFor({ timeout: WAIT })
    t.pass('Ana sees Ben go offline')
  })

  await step('logging out in another tab ends the session here too', async (t) => {
    const other = await anaContext.newPage()
    await other.goto(stack.auths[0]!.url + '/')
    await other.getByRole('button', { name: 'Log out' }).click()
    await other.getByRole('heading', { name: 'Sign in to webchat' }).waitFor({ timeout: WAIT })
    await ana.locator('.banner').getByText('Your session has ended.').waitFor({ timeout: WAIT })
    await shot(ana, 'session-ended-desktop.png')
    await ana.getByRole('button', { name: 'Sign in again' }).click()
    await ana.getByRole('heading', { name: 'Sign in to webchat' }).waitFor({ timeout: WAIT })
    t.pass('the banner offers to sign in again')
  })

  t.same([...a.problems, ...b.problems, ...phone.problems], [], 'no script errors and no CSP violations')
})
