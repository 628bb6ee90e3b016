import type { AuthClient } from '@webchat/client'
import type { Session } from '../session.js'
import { ChatScreen } from './chat/chat-screen.js'
import { Problem } from './problem.js'
import { SignIn } from './sign-in/sign-in.js'

/** The screen the session is on. */
export function App ({ session, auth }: { session: Session, auth: AuthClient }) {
  const screen = session.screen.value
  switch (screen.kind) {
    case 'starting': return null
    case 'problem': return <Problem retry={session.start} />
    case 'sign-in': return <SignIn auth={auth} signedIn={session.signedIn} />
    case 'chat': return <ChatScreen store={screen.store} signOut={session.signOut} />
  }
}
