import { formatTime, formatWait } from './format.js'

/** What the sign-in page needs to know about a failure (a `WebchatError` fits). */
export interface SignInFailure {
  code: string
  attemptsLeft?: number | undefined
  retryAfter?: number | undefined
}

export interface SignInMessage {
  text: string
  /** Seconds before trying again makes sense, when the server said. */
  waitSeconds?: number
  /** The code step is over: the user must ask for a new code. */
  needNewCode?: boolean
}

/** A clear sentence for every error code the auth API can answer during sign-in. */
export function signInMessage (failure: SignInFailure, now = Date.now()): SignInMessage {
  const wait = failure.retryAfter
  switch (failure.code) {
    case 'invalid_email':
      return { text: 'That does not look like an email address. Check it and try again.' }
    case 'domain_not_allowed':
      return { text: 'Addresses of this domain cannot sign in here. Use your work address.' }
    case 'rate_limited':
      return wait === undefined
        ? { text: 'Too many codes asked for. Wait a little, then try again.' }
        : { text: `Too many codes asked for. Try again in ${formatWait(wait)}.`, waitSeconds: wait }
    case 'mail_unavailable':
      return { text: 'We could not send the email just now. Please try again in a minute.' }
    case 'invalid_code': {
      const left = failure.attemptsLeft
      if (left === 0) return { text: 'That code is not right, and it has no attempts left. Ask for a new code.', needNewCode: true }
      // Without a count the code was wrong, expired, or asked for in another browser.
      if (left === undefined) return { text: 'That code is not right or has expired. Check the email, or ask for a new code in this browser.' }
      return { text: `That code is not right. ${left} ${left === 1 ? 'attempt' : 'attempts'} left.` }
    }
    case 'code_expired':
      return { text: 'This code has expired. Ask for a new one.', needNewCode: true }
    case 'locked': {
      if (wait === undefined) return { text: 'Too many wrong codes: sign-in is locked for a while.', needNewCode: true }
      return {
        text: `Too many wrong codes: sign-in is locked for ${formatWait(wait)}, until ${formatTime(now + wait * 1000)}.`,
        waitSeconds: wait,
        needNewCode: true
      }
    }
    case 'network':
      return { text: 'The server cannot be reached. Check your connection and try again.' }
    case 'cross_site':
      return { text: 'This page is not allowed to sign in here. Open the app from its own address.' }
    case 'unavailable':
    case 'internal':
      return { text: 'Something went wrong on our side. Please try again in a moment.' }
    default:
      return { text: `Sign-in failed (${failure.code}). Please try again.` }
  }
}
