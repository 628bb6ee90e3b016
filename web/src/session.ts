import { signal, type ReadonlySignal } from '@preact/signals'
import type { User, WebConfig } from '@webchat/shared'
import { createConnection, resolveChatUrl, type AuthClient } from '@webchat/client'
import { roomFromPath } from './model/room-path.js'
import { createRoomsStorage } from './model/saved-rooms.js'
import { createChatStore, type ChatStore } from './store/chat-store.js'

export type Screen =
  | { kind: 'starting' }
  | { kind: 'problem' }
  | { kind: 'sign-in' }
  | { kind: 'chat', store: ChatStore }

export interface Session {
  readonly screen: ReadonlySignal<Screen>
  /** Asks for the config and the session, then shows sign-in or the chat (or the problem). */
  start (): void
  signedIn (user: User): void
  signOut (): void
}

/** Which screen the app shows; a chat screen's store lives as long as that screen. */
export function createSession (auth: AuthClient): Session {
  const screen = signal<Screen>({ kind: 'starting' })
  let config: WebConfig | undefined

  function show (next: Screen): void {
    const current = screen.peek()
    if (current.kind === 'chat') current.store.dispose()
    screen.value = next
  }

  function signOut (): void {
    document.title = 'Sign in · webchat'
    if (location.pathname !== '/' && !location.pathname.startsWith('/r/')) history.replaceState(null, '', '/')
    show({ kind: 'sign-in' })
  }

  function signedIn (user: User): void {
    const { chatUrl } = config!
    show({
      kind: 'chat',
      store: createChatStore({
        user,
        auth,
        saved: createRoomsStorage(globalThis.localStorage),
        initialRoom: roomFromPath(location.pathname),
        connect: (rooms) => createConnection({ url: resolveChatUrl(chatUrl, location.href), getToken: async () => await auth.token(), rooms })
      })
    })
  }

  async function start (): Promise<void> {
    try {
      const [loaded, user] = await Promise.all([auth.config(), auth.me()])
      config = loaded
      if (user === null) signOut()
      else signedIn(user)
    } catch {
      show({ kind: 'problem' })
    }
  }

  return { screen, start: () => { void start() }, signedIn, signOut }
}
