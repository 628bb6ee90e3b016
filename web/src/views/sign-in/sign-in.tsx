import { useMemo } from 'preact/hooks'
import type { User } from '@webchat/shared'
import type { AuthClient } from '@webchat/client'
import { Brand } from '../brand.js'
import { CodeStep } from './code-step.js'
import { EmailStep } from './email-step.js'
import { createSignInFlow } from './sign-in-flow.js'

/** Sign-in in two steps: the email address, then the code that was mailed. No password. */
export function SignIn ({ auth, signedIn }: { auth: AuthClient, signedIn (user: User): void }) {
  const flow = useMemo(() => createSignInFlow(auth, signedIn), [auth, signedIn])
  const code = flow.step.value === 'code'
  return (
    <main class='auth'>
      <section class='auth-card' aria-labelledby='signin-title'>
        <Brand />
        <h1 id='signin-title' tabindex={-1}>{code ? 'Check your email' : 'Sign in to webchat'}</h1>
        <p class='muted'>
          {code
            ? <>We sent a code to <strong>{flow.email.value}</strong>. Enter it below to sign in.</>
            : 'Enter your email address and we will send you a sign-in code. No password needed.'}
        </p>
        <div>{code ? <CodeStep flow={flow} /> : <EmailStep flow={flow} />}</div>
      </section>
    </main>
  )
}
