import t from 'tap'
import { report } from '../src/figures.js'
import { http } from '../src/http.js'
import { upgrade } from '../src/raw-client.js'
import { PUBLIC_ORIGIN, startStack } from '../src/stack.js'

/** The site is https://chat.example.test; none of these is it. */
const FOREIGN: Record<string, string> = {
  'another host': 'https://evil.example',
  'look-alike suffix': 'https://chat.example.test.evil.example',
  'look-alike prefix': 'https://evilchat.example.test',
  'a subdomain': 'https://sub.chat.example.test',
  null: 'null',
  'http instead of https': 'http://chat.example.test',
  'another port': 'https://chat.example.test:8443',
  'the default port spelled out': 'https://chat.example.test:443/x',
  'a trailing slash': 'https://chat.example.test/',
  'userinfo trick': 'https://chat.example.test@evil.example',
  'two origins': 'https://chat.example.test https://evil.example',
  empty: ''
}

t.test('origins: only the site itself may open sockets or change state with the cookie', async (t) => {
  const stack = await startStack(t)
  const { cookie } = await stack.session('origins@example.com')
  const rename = await http(`${stack.auth.url}/auth/me`, { method: 'PATCH', body: { name: 'Olive' }, headers: { origin: PUBLIC_ORIGIN, cookie } })
  t.equal(rename.status, 200, 'the site itself may rename')
  const statuses: Record<string, number> = {}
  let tokensBurnt = 0

  for (const [name, origin] of Object.entries(FOREIGN)) {
    for (const chat of stack.chats) {
      const token = await stack.tokenFor(cookie)
      const refused = await upgrade(chat.wsUrl, { token, headers: { origin }, origin: null })
      statuses[`ws ${name} (${chat.name})`] = refused.status
      if ('client' in refused) refused.client.close()
      // A refused origin does not use the token up: the site itself can still open with it.
      const own = await upgrade(chat.wsUrl, { token })
      if ('client' in own) own.client.close()
      else tokensBurnt++
    }
    // Auth: cross-site POSTs are refused, with or without the session cookie.
    statuses[`POST /auth/code ${name}`] = (await http(`${stack.auth.url}/auth/code`, { body: { email: 'victim@example.com' }, headers: { origin } })).status
    for (const path of ['/auth/token', '/auth/logout']) {
      const answer = await http(`${stack.auth.url}${path}`, { method: 'POST', headers: { origin, cookie } })
      statuses[`POST ${path} ${name}`] = answer.status
    }
    statuses[`PATCH /auth/me ${name}`] = (await http(`${stack.auth.url}/auth/me`, { method: 'PATCH', body: { name: 'Pwned' }, headers: { origin, cookie } })).status
  }
  // Without Origin, a browser's Sec-Fetch-Site still tells a cross-site request.
  statuses['POST /auth/token Sec-Fetch-Site cross-site'] = (await http(`${stack.auth.url}/auth/token`, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site', cookie } })).status
  statuses['ws no Origin'] = (await upgrade(stack.chats[0]!.wsUrl, { token: await stack.tokenFor(cookie), origin: null })).status

  for (const [name, status] of Object.entries(statuses)) t.equal(status, 403, `${name}: 403`)
  t.equal(tokensBurnt, 0, 'no refused upgrade used its token up')
  const me = await http(`${stack.auth.url}/auth/me`, { headers: { cookie } })
  t.match(me.json, { user: { name: 'Olive' } }, 'the user was not renamed')
  const own = await http(`${stack.auth.url}/auth/token`, { method: 'POST', headers: { origin: PUBLIC_ORIGIN, cookie } })
  t.equal(own.status, 200, 'the site itself still gets tokens (the session survived every attempt)')
  report(t, 'origins', { foreign: Object.keys(FOREIGN).length, refusals: Object.keys(statuses).length, tokensBurnt })
})

