import { batch, signal } from '@preact/signals'
import { EMAIL_PATTERN, LIMITS, type User } from '@webchat/shared'
import { isWebchatError, type AuthClient } from '@webchat/client'
import { codeOf } from '../../model/sign-in-code.js'
import { signInMessage } from '../../model/sign-in-errors.js'

const emailRule = new RegExp(EMAIL_PATTERN)

/** Whole seconds until `at`, for the countdowns on the buttons. */
export const secondsLeft = (at: number, now: number): number => Math.max(0, Math.ceil((at - now) / 1000))

/** Where the cursor should go after a step: the box to correct, or the code to retype. */
export type Focus = 'email' | 'code' | 'select-code' | undefined

/** The two steps of signing in, as state: the email address, then the code that was mailed. */
export function createSignInFlow (auth: Pick<AuthClient, 'requestCode' | 'verify'>, signedIn: (user: User) => void) {
  const state = {
    step: signal<'email' | 'code'>('email'),
    /** Where the code went. */
    email: signal(''),
    emailText: signal(''),
    codeText: signal(''),
    error: signal(''),
    busy: signal(false),
    /** The code can no longer be used: a new one must be asked for. */
    codeVoid: signal(false),
    resendAt: signal(0),
    blockedUntil: signal(0)
  }

  function fail (err: unknown): void {
    const message = signInMessage(isWebchatError(err) ? err : { code: 'internal' })
    batch(() => {
      if (message.waitSeconds !== undefined) state.blockedUntil.value = Date.now() + message.waitSeconds * 1000
      if (message.needNewCode === true) state.codeVoid.value = true
      state.error.value = message.text
    })
  }

  /** Runs a request unless one is running, with the error cleared first. */
  async function request (run: () => Promise<Focus>): Promise<Focus> {
    if (state.busy.value) return undefined
    batch(() => {
      state.busy.value = true
      state.error.value = ''
    })
    try {
      return await run()
    } finally {
      state.busy.value = false
    }
  }

  return {
    ...state,
    /** Sends a code to the address typed, or again to the same one. */
    async requestCode (resend: boolean): Promise<Focus> {
      if (state.busy.value) return undefined
      const address = resend ? state.email.value : state.emailText.value.trim()
      if (!emailRule.test(address)) {
        state.error.value = signInMessage({ code: 'invalid_email' }).text
        return 'email'
      }
      return await request(async () => {
        try {
          const { resendAfter } = await auth.requestCode(address)
          batch(() => {
            state.email.value = address
            state.resendAt.value = Date.now() + resendAfter * 1000
            state.blockedUntil.value = 0
            state.codeVoid.value = false
            state.codeText.value = ''
            if (resend) state.error.value = 'A new code is on its way.'
            else state.step.value = 'code'
          })
          return resend ? 'code' : undefined
        } catch (err) {
          fail(err)
          return undefined
        }
      })
    },
    async verify (): Promise<Focus> {
      if (state.busy.value) return undefined
      const code = codeOf(state.codeText.value)
      if (code === null) {
        state.error.value = `Enter the ${LIMITS.codeDigits} digits from the email.`
        return 'code'
      }
      return await request(async () => {
        try {
          signedIn(await auth.verify(state.email.value, code))
          return undefined
        } catch (err) {
          fail(err)
          return 'select-code'
        }
      })
    },
    changeEmail (): void {
      batch(() => {
        state.step.value = 'email'
        state.error.value = ''
        state.emailText.value = state.email.value
      })
    }
  }
}

export type SignInFlow = ReturnType<typeof createSignInFlow>
