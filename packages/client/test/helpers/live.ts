import type { Test } from 'tap'
import { createAuthClient, type AuthClient } from '../../src/auth.js'
import { createConnection, type Connection, type ConnectionEvents } from '../../src/connection.js'
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

/** The next `event` matching `match`, or a rejection after `ms`. */
export async function next<K extends keyof ConnectionEvents> (conn: Connection, event: K, match: (v: ConnectionEvents[K]) => boolean = () => true, ms = 10_000): Promise<ConnectionEvents[K]> {
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${String(event)} within ${ms} ms`)) }, ms)
    const off = conn.on(event, (value) => {
      if (!match(value)) return
      clearTimeout(timer)
      off()
      resolve(value)
    })
  })
}
