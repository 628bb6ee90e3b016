import t from 'tap'
import { bodyOf, type CapturedMail } from '@webchat/testkit'
import { startHarness } from './harness.js'
import { bothSignedIn, say, shot, WAIT } from './page-actions.js'

/** Issue 18: email for people who are away, the setting in the app, and the unsubscribe link. */

const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))
/** Mails to Ben that are not sign-in codes. */
const notices = (mails: CapturedMail[]): CapturedMail[] => mails.filter((m) => m.to.includes('ben@example.com') && /^List-Unsubscribe:/im.test(m.raw))

t.test('someone away gets one mail for three direct messages, and one click turns mail off', async (t) => {
  const h = await startHarness(t, {
    chatEnv: { NOTIFY_DELAY_MS: '1500', NOTIFY_IDLE_MS: '1000', NOTIFY_SWEEP_MS: '200' },
    authEnv: { NOTIFY_POLL_MS: '200' }
  })
  if (h === undefined) return
  const { stack, ana, ben, benContext, step } = h
  let unsubscribe = ''

  await step('Ben chooses direct messages only in the Email dialog; it is kept', async (t) => {
    await bothSignedIn(stack, ana, ben)
    await ben.getByRole('button', { name: 'Email' }).click()
    const dialog = ben.getByRole('dialog', { name: 'Email while you are away' })
    await dialog.waitFor({ timeout: WAIT })
    const all = dialog.getByLabel('Direct messages and mentions')
    await all.waitFor({ timeout: WAIT })
    await ben.waitForFunction(() => !(document.querySelector('input[name="email"]') as HTMLInputElement).disabled, undefined, { timeout: WAIT })
    t.equal(await all.isChecked(), true, 'direct messages and mentions at first')
    await dialog.getByLabel('Direct messages only').check()
    await shot(ben, 'away-mail-setting.png')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await dialog.waitFor({ state: 'hidden', timeout: WAIT })
    await ben.getByRole('button', { name: 'Email' }).click()
    await ben.waitForFunction(() => (document.querySelector('input[value="direct"]') as HTMLInputElement).checked, undefined, { timeout: WAIT })
    t.pass('kept after reopening')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
  })

  await step('Ben leaves; Ana writes to him three times: one mail lists all three', async (t) => {
    await ben.close()
    await ana.getByRole('button', { name: 'New message' }).click()
    const dialog = ana.getByRole('dialog', { name: 'New message' })
    await dialog.getByLabel('Email address').fill('ben@example.com')
    await dialog.getByRole('button', { name: 'Start conversation' }).click()
    await dialog.waitFor({ state: 'hidden', timeout: WAIT })
    await ana.locator('#room-title', { hasText: 'Ben' }).waitFor({ timeout: WAIT })
    for (const text of ['Are you around?', 'The release is blocked on <review>', 'Call me & I will explain']) await say(ana, text)
    const deadline = Date.now() + WAIT
    while (notices(stack.sink.mails).length === 0 && Date.now() < deadline) await sleep(100)
    await sleep(2500)
    const mails = notices(stack.sink.mails)
    t.equal(mails.length, 1, 'exactly one mail')
    const body = bodyOf(mails[0]!)
    for (const text of ['Are you around?', 'The release is blocked on &lt;review&gt;', 'Call me &amp; I will explain']) t.ok(body.includes(text), `it lists "${text}"`)
    t.match(mails[0]!.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click/im)
    unsubscribe = /^List-Unsubscribe: <([^>]+)>/im.exec(mails[0]!.raw.replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? ''
    t.match(unsubscribe, /\/auth\/unsubscribe\?/, 'with its unsubscribe link')
  })

  await step('the link, opened without signing in, turns mail off with one click; nothing more is mailed', async (t) => {
    const page = await (await benContext.browser()!.newContext()).newPage()
    // The link names APP_URL (here the stack's default origin): the same route on an auth instance of the stack.
    const link = new URL(unsubscribe)
    await page.goto(stack.auths[1]!.url + link.pathname + link.search)
    await page.getByRole('button').first().click()
    await page.waitForLoadState()
    t.match(await page.locator('body').innerText(), /unsubscribed|no more|off/i, 'it says so')
    await shot(page, 'away-mail-unsubscribed.png')
    const before = notices(stack.sink.mails).length
    await say(ana, 'One more thing')
    await sleep(5000)
    t.equal(notices(stack.sink.mails).length, before, 'no mail after unsubscribing')
  })

  h.finish()
})
