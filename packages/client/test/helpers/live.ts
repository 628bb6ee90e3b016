import type { Test } from 'tap'
import { createAuthClient, type AuthClient } from '../../src/auth.js'
import { createConnection, type Connection, type ConnectionEvents } from '../../src/connection.js'
import { nextEvent } from '@webchat/testkit'
import type { Stack } from './stack.js'

/** Signs in through the real auth service (the code from the SMTP sink) and renames the user. */
export async function signIn (stack: Stack, email: string, name: string): Promise<AuthClient> {
  const auth = createAuthClient({ baseUrl: stack.auths[0]!.url })
  await auth.requestCode(email)
  await auth.verify(email, await stack.sink.codeFor(email))
  await auth.rename(name)
  return auth
}

/** A connection to chat instance `chat` with tokens from `auth`, closed after the test. */
export function connect (t: Test, stack: Stack, auth: AuthClient, chat: number, rooms: string[] = [], WebSocket = stack.socketFrom(0)): Connection {
  const conn = createConnection({
    url: stack.chats[chat]!.url,
    getToken: async () => await auth.token(),
    WebSocket,
    rooms,
    backoff: { baseMs: 200, capMs: 1000 }
  })
  t.teardown(() => conn.close())
  return conn
}

/** The next `event` on `conn` that `match`es, or a rejection after `ms`. */
export async function next<K extends keyof ConnectionEvents> (conn: Connection, event: K, match?: (v: ConnectionEvents[K]) => boolean, ms?: number): Promise<ConnectionEvents[K]> {
  return await nextEvent<ConnectionEvents, K>(conn, event, match, ms)
}
