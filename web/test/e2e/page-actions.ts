import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import type { Stack } from '../../../packages/client/test/helpers/stack.js'

/** What a person does on a page, and what the tests read back from it. */

export const WAIT = 15_000
export const ROOM = 'design-review'
export const XSS = '<img src=x onerror=alert(1)>'
export const artifacts = fileURLToPath(new URL('../../../artifacts/web-e2e/', import.meta.url))

export async function shot (page: Page, file: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, file), animations: 'disabled' })
}

/** Signs in through the page: email, a wrong code (its message), the right code, then a rename. */
export async function signIn (page: Page, stack: Stack, email: string, name: string, atCodeStep: () => Promise<void> = async () => {}): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in to webchat' }).waitFor({ timeout: WAIT })
  await page.getByLabel('Email address').fill(email)
  await page.getByRole('button', { name: 'Send code' }).click()
  await page.getByRole('heading', { name: 'Check your email' }).waitFor({ timeout: WAIT })
  await atCodeStep()
  const code = await stack.sink.codeFor(email)
  await page.getByLabel('8-digit code').fill(code === '00000000' ? '99999999' : '00000000')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByText(/That code is not right\. \d+ attempts? left\./).waitFor({ timeout: WAIT })
  await shot(page, `signin-wrong-code-${email.split('@')[0]!}.png`)
  await page.getByLabel('8-digit code').fill(code)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Rename' }).click()
  await page.getByLabel('Display name', { exact: true }).fill(name)
  await page.getByRole('button', { name: 'Save' }).click()
  await page.locator('.account-name', { hasText: new RegExp(`^${name}$`) }).waitFor({ timeout: WAIT })
}

export async function joinRoom (page: Page, room: string): Promise<void> {
  await page.getByLabel('Join a room').fill(room)
  await page.getByLabel('Join a room').press('Enter')
  await page.locator('#room-title', { hasText: `#${room}` }).waitFor({ timeout: WAIT })
  await page.locator('.room-meta', { hasText: 'online' }).waitFor({ timeout: WAIT })
}

export async function say (page: Page, text: string): Promise<void> {
  const box = page.locator('#composer-input')
  await box.fill(text)
  await box.press('Enter')
}

/** The message texts shown, in order. */
export async function texts (page: Page): Promise<string[]> {
  return await page.locator('.rows:not(.pending-rows) .msg-text').allTextContents()
}

export async function waitForText (page: Page, text: string): Promise<void> {
  await page.locator('.rows:not(.pending-rows) .msg-text').getByText(text, { exact: true }).waitFor({ timeout: WAIT })
}

/** Ana signed in on auth instance 0 (so chat instance 0), Ben on 1. */
export async function bothSignedIn (stack: Stack, ana: Page, ben: Page): Promise<void> {
  await ana.goto(stack.auths[0]!.url + '/')
  await signIn(ana, stack, 'ana@example.com', 'Ana')
  await ben.goto(stack.auths[1]!.url + '/')
  await signIn(ben, stack, 'ben@example.com', 'Ben')
}

/** Both in ROOM, seeing each other online. */
export async function together (ana: Page, ben: Page): Promise<void> {
  await joinRoom(ana, ROOM)
  await joinRoom(ben, ROOM)
  await ana.locator('.members .member-list:not(.offline) .member-name', { hasText: 'Ben' }).waitFor({ timeout: WAIT })
  await ben.locator('.members .member-list:not(.offline) .member-name', { hasText: 'Ana' }).waitFor({ timeout: WAIT })
}

/** Which of the focused element's traits `focusedBy` reads. */
export type FocusTrait = 'id' | 'text' | 'label'

/**
 * The focused element's id, text or aria-label once it is `expected`, or whatever it is after
 * WAIT: a view moves focus in an effect after the paint that shows it, so reading at once races.
 */
export async function focusedBy (page: Page, trait: FocusTrait, expected: string): Promise<string | null> {
  const read = (which: FocusTrait): string | null => {
    const el = document.activeElement as HTMLElement | null
    if (el === null) return null
    return which === 'id' ? el.id : which === 'text' ? el.textContent : el.getAttribute('aria-label')
  }
  await page.waitForFunction(([which, want]) => {
    const el = document.activeElement as HTMLElement | null
    const value = el === null ? null : which === 'id' ? el.id : which === 'text' ? el.textContent : el.getAttribute('aria-label')
    return value === want
  }, [trait, expected] as const, { timeout: WAIT }).catch(() => {})
  return await page.evaluate(read, trait)
}
