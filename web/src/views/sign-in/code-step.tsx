import { useEffect, useRef } from 'preact/hooks'
import { LIMITS } from '@webchat/shared'
import { CODE_INPUT_CHARS, CODE_INPUT_PATTERN } from '../../model/sign-in-code.js'
import { useNow } from '../use-now.js'
import { applyFocus } from './focus.js'
import { SignInError } from './sign-in-error.js'
import { secondsLeft, type SignInFlow } from './sign-in-flow.js'

/** The code that was mailed, with a counted-down resend. */
export function CodeStep ({ flow }: { flow: SignInFlow }) {
  const box = useRef<HTMLInputElement>(null)
  useEffect(() => box.current?.focus(), [])
  const now = useNow(1000)
  const blocked = secondsLeft(flow.blockedUntil.value, now)
  const wait = Math.max(secondsLeft(flow.resendAt.value, now), blocked)
  const busy = flow.busy.value
  return (
    <form class='stack' novalidate onSubmit={(e) => { e.preventDefault(); void flow.verify().then((f) => applyFocus(f, box)) }}>
      <label for='code'>{`${LIMITS.codeDigits}-digit code`}</label>
      <input
        ref={box} class='code-input' id='code' name='code' inputMode='numeric' autocomplete='one-time-code' required
        maxlength={CODE_INPUT_CHARS} pattern={CODE_INPUT_PATTERN} aria-describedby='signin-error code-help'
        value={flow.codeText.value} onInput={(e) => { flow.codeText.value = e.currentTarget.value }}
      />
      <p class='hint' id='code-help'>The code works once and expires after a few minutes.</p>
      <SignInError flow={flow} />
      <button class='btn btn-primary' type='submit' disabled={busy || flow.codeVoid.value || blocked > 0}>{busy ? 'Checking…' : 'Sign in'}</button>
      <div class='row-between'>
        <button class='btn btn-link' type='button' disabled={busy || wait > 0} onClick={() => { void flow.requestCode(true).then((f) => applyFocus(f, box)) }}>
          {wait > 0 ? `Resend code in ${wait} s` : 'Resend code'}
        </button>
        <button class='btn btn-link' type='button' onClick={flow.changeEmail}>Use a different email</button>
      </div>
    </form>
  )
}
