import type { SignInFlow } from './sign-in-flow.js'

export function SignInError ({ flow }: { flow: SignInFlow }) {
  return <p class='form-error' id='signin-error' role='alert'>{flow.error}</p>
}
