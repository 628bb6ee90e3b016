import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { openClient } from '../src/chat-client.js'
import { report } from '../src/figures.js'
import { eventually, http } from '../src/http.js'
import { connectRaw, upgrade } from '../src/raw-client.js'
import { PUBLIC_ORIGIN, startStack } from '../src/stack.js'

t.test('after logout: old cookie and earlier tokens get 401, open sockets close with 4001 within 1 s', async (t) => {
  // No resend cooldown (CODE_COOLDOWN=0) only so that one address can sign in twice in a row.
  const stack = await startStack(t, { authEnv: { CODE_COOLDOWN: '0' } })
  const [a, b] = stack.chats
  const email = 'leaving@example.com'
  const session = await stack.session(email)
  const other = await stack.session(email) // the same user signed in elsewhere: unaffected
  const earlier = [await stack.tokenFor(session.cookie), await stack.tokenFor(session.cookie)]

  const onA = await connectRaw(a!.wsUrl, { token: await stack.tokenFor(session.cookie) })
  const onB = await connectRaw(b!.wsUrl, { token: await stack.tokenFor(session.cookie) })
  const elsewhere = await connectRaw(b!.wsUrl, { token: await stack.tokenFor(other.cookie) })
  t.teardown(() => { for (const c of [onA, onB, elsewhere]) c.close() })
  // A reconnecting client of the same session, as the web app runs it.
  const app = await openClient(stack, { name: 'app', auth: { token: async () => await stack.tokenFor(session.cookie) }, urls: [b!.wsUrl, a!.wsUrl] })
  t.teardown(() => { app.close() })

  // Counted from the moment the logout was sent (the sockets may close before its answer arrives).
  const at = Date.now()
  const loggedOut = await http(`${stack.auth.url}/auth/logout`, { method: 'POST', headers: { origin: PUBLIC_ORIGIN, cookie: session.cookie } })
  t.equal(loggedOut.status, 204, 'logout 204')
  const [closedA, closedB] = await Promise.all([onA.closed, onB.closed])
  await eventually(() => app.conn.state.state === 'ended', 3000, 'the app client ended')
  const afterA = closedA.at - at
  const afterB = closedB.at - at
  t.equal(closedA.code, 4001, 'the socket on chat-a: 4001')
  t.equal(closedB.code, 4001, 'the socket on chat-b: 4001')
  t.ok(Math.max(afterA, afterB) <= 1000, `closed ${afterA} and ${afterB} ms after the logout was sent`)
  t.same(app.closes, [4001], 'the app client: 4001')
  t.match(app.conn.state, { state: 'ended', reason: 'session_ended' }, 'and it does not reconnect')
  await sleep(300)
  t.equal(elsewhere.ws.readyState, elsewhere.ws.OPEN, 'the user\'s other session keeps its socket')

  const me = await http(`${stack.auth.url}/auth/me`, { headers: { cookie: session.cookie } })
  t.equal(me.status, 401, 'old cookie: GET /auth/me 401')
  const token = await http(`${stack.auth.url}/auth/token`, { method: 'POST', headers: { origin: PUBLIC_ORIGIN, cookie: session.cookie } })
  t.equal(token.status, 401, 'old cookie: POST /auth/token 401')
  for (const [i, earlierToken] of earlier.entries()) {
    for (const chat of [a!, b!]) {
      const refused = await upgrade(chat.wsUrl, { token: earlierToken })
      if ('client' in refused) refused.client.close()
      t.equal(refused.status, 401, `token ${i} minted before the logout: upgrade on ${chat.name} 401`)
    }
    const api = await http(`${a!.url}/api/rooms/any/messages`, { headers: { authorization: `Bearer ${earlierToken}` } })
    t.equal(api.status, 401, `token ${i}: HTTP API 401`)
  }
  t.equal((await http(`${stack.auth.url}/auth/me`, { headers: { cookie: other.cookie } })).status, 200, 'the other session is still signed in')
  report(t, 'logout', { closeAfterMsA: afterA, closeAfterMsB: afterB })
})
