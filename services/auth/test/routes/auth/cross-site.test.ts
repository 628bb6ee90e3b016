import t from 'tap'
import { ENGINES, build, mailedCode, requestCode, signIn, verify } from '../../helper.js'

for (const kind of ENGINES) {
  t.test(`cross-site requests on ${kind}`, async (t) => {
    const built = await build(t, kind, { env: { ALLOWED_ORIGINS: 'https://chat.example.com,http://localhost:3000' } })
    const { app } = built
    const cookie = await signIn(built, 'csrf@example.com')
    const token = async (headers: Record<string, string>) => await app.inject({ method: 'POST', url: '/auth/token', headers: { cookie, ...headers } })

    for (const headers of <Array<Record<string, string>>>[
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'https://chat.example.com.evil.example' },
      { origin: 'http://chat.example.com' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }
    ]) {
      const res = await token(headers)
      t.equal(res.statusCode, 403, JSON.stringify(headers))
      t.same(res.json(), { error: 'cross_site', message: 'cross-site requests are not allowed' })
    }
    for (const headers of <Array<Record<string, string>>>[
      {},
      { origin: 'https://chat.example.com' },
      { origin: 'HTTP://LOCALHOST:3000' },
      { origin: 'http://localhost:80' },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      { origin: 'https://chat.example.com', 'sec-fetch-site': 'same-site' }
    ]) {
      t.equal((await token(headers)).statusCode, 200, JSON.stringify(headers))
    }

    const evil = { origin: 'https://evil.example' }
    t.equal((await app.inject({ method: 'PATCH', url: '/auth/me', headers: { cookie, ...evil }, payload: { name: 'pwned' } })).statusCode, 403)
    t.equal((await app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie, ...evil } })).statusCode, 403)
    t.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie, ...evil } })).json().user.name, 'csrf', 'reads are not refused, nothing changed')
    t.equal((await requestCode(app, 'victim@example.com', evil)).statusCode, 403, 'no mail bombing from other sites')
    await requestCode(app, 'victim@example.com')
    const forced = await verify(app, 'victim@example.com', await mailedCode(built.sink, 'victim@example.com'), evil)
    t.equal(forced.statusCode, 403, 'no login CSRF')
    t.equal(forced.cookies.length, 0)
  })
}
