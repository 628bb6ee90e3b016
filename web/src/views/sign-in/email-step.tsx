import { useEffect, useRef } from 'preact/hooks'
import { LIMITS } from '@webchat/shared'
import { useNow } from '../use-now.js'
import { applyFocus } from './focus.js'
import { SignInError } from './sign-in-error.js'
import { secondsLeft, type SignInFlow } from './sign-in-flow.js'

/** The address to send a code to. */
export function EmailStep ({ flow }: { flow: SignInFlow }) {
  const box = useRef<HTMLInputElement>(null)
  // Back from the code step, the box takes the cursor; not when the page opens, where a phone
  // would raise its keyboard over the page.
  useEffect(() => { if (flow.email.peek() !== '') box.current?.focus() }, [flow])
  const now = useNow(1000)
  const blocked = secondsLeft(flow.blockedUntil.value, now)
  const busy = flow.busy.value
  return (
    <form class='stack' novalidate onSubmit={(e) => { e.preventDefault(); void flow.requestCode(false).then((f) => applyFocus(f, box)) }}>
      <label for='email'>Email address</label>
      <input
        ref={box} id='email' type='email' name='email' autocomplete='email' required maxlength={LIMITS.emailChars}
        aria-describedby='signin-error' placeholder='you@example.com'
        value={flow.emailText.value} onInput={(e) => { flow.emailText.value = e.currentTarget.value }}
      />
      <SignInError flow={flow} />
      <button class='btn btn-primary' type='submit' disabled={busy || blocked > 0}>
        {blocked > 0 ? `Try again in ${blocked} s` : busy ? 'Sending…' : 'Send code'}
      </button>
    </form>
  )
}
