import { EMAIL_PATTERN, LIMITS, type User } from '@webchat/shared'
import { isWebchatError, type AuthClient } from '@webchat/client'
import { h, replace, setText } from '../dom.js'
import { signInMessage } from '../model/sign-in-errors.js'

const emailRule = new RegExp(EMAIL_PATTERN)
const codeRule = new RegExp(`^[0-9]{${LIMITS.codeDigits}}$`)

export interface SignInView { el: HTMLElement, dispose (): void }

/** Sign-in in two steps: the email address, then the code that was mailed, with a counted-down resend. */
export function signInView (auth: AuthClient, onSignedIn: (user: User) => void): SignInView {
  let email = ''
  let resendAt = 0
  let blockedUntil = 0
  let codeVoid = false
  let busy = false

  const error = h('p', { class: 'form-error', attrs: { id: 'signin-error', role: 'alert' } })
  const title = h('h1', { attrs: { id: 'signin-title', tabindex: -1 } })
  const intro = h('p', { class: 'muted' })
  const body = h('div')
  const card = h('section', { class: 'auth-card', attrs: { 'aria-labelledby': 'signin-title' } },
    h('div', { class: 'brand' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }, '#'), 'webchat'),
    title, intro, body)
  const el = h('main', { class: 'auth' }, card)

  const now = (): number => Date.now()
  const secondsLeft = (at: number): number => Math.max(0, Math.ceil((at - now()) / 1000))

  function showError (err: unknown): void {
    const failure = isWebchatError(err) ? err : { code: 'internal' }
    const message = signInMessage(failure)
    if (message.waitSeconds !== undefined) blockedUntil = now() + message.waitSeconds * 1000
    if (message.needNewCode === true) codeVoid = true
    setText(error, message.text)
    tick()
  }

  // ---- step 1: the address -----------------------------------------------------------------

  const emailInput = h('input', {
    attrs: { id: 'email', type: 'email', name: 'email', autocomplete: 'email', required: true, maxlength: LIMITS.emailChars, 'aria-describedby': 'signin-error', placeholder: 'you@example.com' }
  })
  const sendButton = h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Send code')
  const emailForm = h('form', { class: 'stack', attrs: { novalidate: true }, on: { submit: (e) => { e.preventDefault(); void requestCode(emailInput.value.trim(), false) } } },
    h('label', { attrs: { for: 'email' } }, 'Email address'), emailInput, sendButton)

  // ---- step 2: the code --------------------------------------------------------------------

  const codeInput = h('input', {
    class: 'code-input',
    attrs: {
      id: 'code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true,
      maxlength: LIMITS.codeDigits, pattern: `[0-9]{${LIMITS.codeDigits}}`, 'aria-describedby': 'signin-error code-help'
    }
  })
  const verifyButton = h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Sign in')
  const resendButton = h('button', { class: 'btn btn-link', attrs: { type: 'button' }, on: { click: () => { void requestCode(email, true) } } }, 'Resend code')
  const otherEmail = h('button', { class: 'btn btn-link', attrs: { type: 'button' }, on: { click: () => showEmailStep() } }, 'Use a different email')
  const codeForm = h('form', { class: 'stack', attrs: { novalidate: true }, on: { submit: (e) => { e.preventDefault(); void verify() } } },
    h('label', { attrs: { for: 'code' } }, `${LIMITS.codeDigits}-digit code`), codeInput,
    h('p', { class: 'hint', attrs: { id: 'code-help' } }, 'The code works once and expires after a few minutes.'),
    verifyButton, h('div', { class: 'row-between' }, resendButton, otherEmail))

  function showEmailStep (): void {
    setText(title, 'Sign in to webchat')
    setText(intro, 'Enter your email address and we will send you a sign-in code. No password needed.')
    setText(error, '')
    emailInput.value = email
    sendButton.before(error)
    replace(body, emailForm)
    emailInput.focus()
    tick()
  }

  function showCodeStep (): void {
    setText(title, 'Check your email')
    replace(intro, 'We sent a code to ', h('strong', {}, email), '. Enter it below to sign in.')
    codeInput.value = ''
    codeVoid = false
    verifyButton.before(error)
    replace(body, codeForm)
    codeInput.focus()
    tick()
  }

  async function requestCode (address: string, resend: boolean): Promise<void> {
    if (busy) return
    if (!emailRule.test(address)) {
      setText(error, signInMessage({ code: 'invalid_email' }).text)
      emailInput.focus()
      return
    }
    busy = true
    setText(error, '')
    tick()
    try {
      const { resendAfter } = await auth.requestCode(address)
      email = address
      resendAt = now() + resendAfter * 1000
      blockedUntil = 0
      if (resend) {
        codeVoid = false
        codeInput.value = ''
        setText(error, 'A new code is on its way.')
        codeInput.focus()
      } else showCodeStep()
    } catch (err) {
      showError(err)
    } finally {
      busy = false
      tick()
    }
  }

  async function verify (): Promise<void> {
    if (busy) return
    const code = codeInput.value.replace(/\s+/g, '')
    if (!codeRule.test(code)) {
      setText(error, `Enter the ${LIMITS.codeDigits} digits from the email.`)
      codeInput.focus()
      return
    }
    busy = true
    setText(error, '')
    tick()
    try {
      const user = await auth.verify(email, code)
      onSignedIn(user)
    } catch (err) {
      showError(err)
      codeInput.select()
    } finally {
      busy = false
      tick()
    }
  }

  /** Refreshes buttons and countdowns; runs every second. */
  function tick (): void {
    const blocked = secondsLeft(blockedUntil)
    sendButton.disabled = busy || blocked > 0
    setText(sendButton, blocked > 0 ? `Try again in ${blocked} s` : busy ? 'Sending…' : 'Send code')
    verifyButton.disabled = busy || codeVoid || blocked > 0
    setText(verifyButton, busy ? 'Checking…' : 'Sign in')
    const wait = Math.max(secondsLeft(resendAt), blocked)
    resendButton.disabled = busy || wait > 0
    setText(resendButton, wait > 0 ? `Resend code in ${wait} s` : 'Resend code')
  }

  const timer = setInterval(tick, 1000)
  showEmailStep()
  return {
    el,
    dispose () { clearInterval(timer) }
  }
}
