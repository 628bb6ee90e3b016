import t from 'tap'
import { startHarness } from './harness.js'
import { shot, signIn, WAIT } from './page-actions.js'

t.test('two people sign in, each through their own auth instance', async (t) => {
  const h = await startHarness(t)
  if (h === undefined) return
  const { stack, ana, ben, phone, step } = h

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

  await step('on a phone: a numeric one-time-code box that takes the 8 digits pasted as "1234 5678"', async (t) => {
    const page = phone.page
    await page.getByLabel('Email address').fill('cy@example.com')
    await page.getByRole('button', { name: 'Send code' }).click()
    const box = page.getByLabel('8-digit code')
    await box.waitFor({ timeout: WAIT })
    t.same(await box.evaluate((el: HTMLInputElement) => [el.inputMode, el.autocomplete, el.maxLength]), ['numeric', 'one-time-code', 16])
    const code = await stack.sink.codeFor('cy@example.com')
    t.match(code, /^[0-9]{8}$/, 'the mailed code: 8 digits')
    const grouped = `${code.slice(0, 4)} ${code.slice(4)}`
    await box.fill(grouped)
    t.equal(await box.inputValue(), grouped, 'not cut short by the box')
    t.ok(await box.evaluate((el: HTMLInputElement) => el.validity.valid), 'the box\'s pattern takes it')
    await shot(page, 'signin-code-phone.png')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.locator('.account-email', { hasText: 'cy@example.com' }).waitFor({ state: 'attached', timeout: WAIT })
  })

  h.finish()
})
