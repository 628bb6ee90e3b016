import t from 'tap'
import { EngineUnavailableError, names } from '@webchat/engine'
import { SIGN_IN_COOKIE } from '@webchat/shared'
import { ENGINES, build, mailedCode, requestCode, signIn, sleep, verify } from '../../helper.js'

/** A test message without characters that TAP would read as line breaks. */
const escape = (value: string): string => JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

for (const kind of ENGINES) {
  t.test(`sessions on ${kind}`, async (t) => {
    t.test('the cookie: HttpOnly, SameSite=Lax, path /, idle timeout, not Secure over plain HTTP', async (t) => {
      const built = await build(t, kind)
      const cookieHeader = await signIn(built, 'cookie@example.com')
      const res = await built.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie: cookieHeader } })
      const cookie = res.cookies.find((c) => c.name === 'webchat_session')
      t.ok(cookie, 'rolling: every answer renews the cookie')
      t.equal(cookie?.httpOnly, true)
      t.equal(String(cookie?.sameSite).toLowerCase(), 'lax')
      t.equal(cookie?.path, '/')
      t.notOk(cookie?.secure)
      const days = ((cookie?.expires?.getTime() ?? 0) - Date.now()) / 86_400_000
      t.ok(days > 6.9 && days <= 7, `expires in ${days} days`)
    })

    t.test('Secure over HTTPS behind a trusted proxy, not when the proxy is not trusted', async (t) => {
      for (const [trust, secure] of [['true', true], ['false', false]] as const) {
        const built = await build(t, kind, { env: { TRUST_PROXY: trust } })
        const sent = await requestCode(built.app, 'tls@example.com', { 'x-forwarded-proto': 'https' })
        t.equal(Boolean(sent.cookies.find((c) => c.name === SIGN_IN_COOKIE)?.secure), secure, `sign-in cookie, TRUST_PROXY=${trust}`)
        const res = await verify(built.app, 'tls@example.com', await mailedCode(built.sink, 'tls@example.com'), { 'x-forwarded-proto': 'https' })
        t.equal(res.statusCode, 200)
        t.equal(Boolean(res.cookies.find((c) => c.name === 'webchat_session')?.secure), secure, `TRUST_PROXY=${trust}`)
      }
    })

    t.test('idle timeout: activity keeps a session, a pause ends it', async (t) => {
      const built = await build(t, kind, { env: { SESSION_IDLE_TIMEOUT: '2' } })
      const cookie = await signIn(built, 'idle@example.com')
      for (let i = 0; i < 3; i++) {
        await sleep(1000)
        t.equal((await built.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).statusCode, 200, `still there after ${i + 1} s of activity`)
      }
      await sleep(2200)
      const gone = await built.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })
      t.equal(gone.statusCode, 401)
      t.same(gone.json(), { error: 'unauthorized', message: 'sign in first' })
    })

    t.test('absolute lifetime: a busy session still ends', async (t) => {
      const built = await build(t, kind, { env: { SESSION_IDLE_TIMEOUT: '2', SESSION_MAX_AGE: '3' } })
      const cookie = await signIn(built, 'busy@example.com')
      const started = Date.now()
      let status = 200
      while (status === 200 && Date.now() - started < 6000) {
        await sleep(400)
        status = (await built.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).statusCode
      }
      const lasted = Date.now() - started
      t.equal(status, 401)
      t.ok(lasted >= 2800 && lasted < 4500, `ended after ${lasted} ms`)
    })

    t.test('no, forged or unknown cookies are 401 everywhere', async (t) => {
      const built = await build(t, kind)
      const real = await signIn(built, 'forge@example.com')
      const value = real.slice(real.indexOf('=') + 1)
      const forged = [
        undefined,
        'webchat_session=garbage',
        `webchat_session=${value.slice(0, value.indexOf('.'))}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
        `webchat_session=${value.slice(0, value.indexOf('.'))}`,
        'webchat_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbb'
      ]
      for (const cookie of forged) {
        const headers = cookie === undefined ? {} : { cookie }
        for (const [method, url] of [['GET', '/auth/me'], ['POST', '/auth/token'], ['PATCH', '/auth/me']] as const) {
          const res = await built.app.inject({ method, url, headers, payload: method === 'PATCH' ? { name: 'x' } : undefined })
          t.equal(res.statusCode, 401, `${method} ${url} with ${cookie ?? 'no cookie'}`)
          t.equal(res.json().error, 'unauthorized')
        }
      }
    })

    t.test('PATCH /auth/me: names are trimmed, 1 to 40 characters, no control characters', async (t) => {
      const built = await build(t, kind)
      const cookie = await signIn(built, 'names@example.com')
      const rename = async (name: unknown) => await built.app.inject({ method: 'PATCH', url: '/auth/me', headers: { cookie }, payload: { name } })
      for (const name of ['', '   ', 'x'.repeat(41), 'a\u0007b', 'line\nbreak', 'zero\u200bwidth', 'rtl\u202eoverride', 'tab\there', 'para\u2029sep']) {
        const res = await rename(name)
        t.equal(res.statusCode, 400, escape(name))
        t.equal(res.json().error, 'invalid_name')
      }
      for (const name of [42, null, ['a'], { a: 1 }]) t.equal((await rename(name)).json().error, 'invalid_name', JSON.stringify(name))
      t.equal((await rename('x'.repeat(40))).json().user.name, 'x'.repeat(40))
      t.equal((await rename(`  ${'y'.repeat(40)}  `)).json().user.name, 'y'.repeat(40), 'trimmed before counting')
      t.equal((await rename('Zoë 😀 李')).json().user.name, 'Zoë 😀 李')
      t.equal((await built.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).json().user.name, 'Zoë 😀 李')
    })

    t.test('logout: 204, cookie cleared, session gone; without a session still 204', async (t) => {
      const built = await build(t, kind)
      const cookie = await signIn(built, 'bye@example.com')
      const out = await built.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie, 'content-type': 'application/json' }, payload: '' })
      t.equal(out.statusCode, 204)
      t.equal(out.body, '')
      const cleared = out.cookies.find((c) => c.name === 'webchat_session')
      t.ok(cleared !== undefined && (cleared.expires?.getTime() ?? Infinity) <= Date.now(), 'cookie cleared')
      t.equal((await built.app.inject({ method: 'POST', url: '/auth/token', headers: { cookie } })).statusCode, 401)
      t.equal((await built.app.inject({ method: 'POST', url: '/auth/logout' })).statusCode, 204)
      t.equal((await built.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } })).statusCode, 204, 'twice')
    })

    t.test('logout ends the session even when the revocation cannot be stored', async (t) => {
      const built = await build(t, kind)
      const cookie = await signIn(built, 'full@example.com')
      const revoked: string[] = []
      for (let bucket = 0; bucket < names.sessionRevokedBuckets; bucket++) {
        await built.engine.pubsub.subscribe(names.sessionRevokedChannel(bucket), (id) => { revoked.push(id) })
      }
      // The store refuses the revocation key (full), and only that one.
      const set = built.engine.kv.set.bind(built.engine.kv)
      built.engine.kv.set = async (key, ...rest) => {
        if (key.startsWith('revoked-sid:')) throw new EngineUnavailableError('the store is full')
        return await set(key, ...rest)
      }
      t.teardown(() => { built.engine.kv.set = set })
      const out = await built.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } })
      t.match({ status: out.statusCode, body: out.json() }, { status: 503, body: { error: 'unavailable' } }, 'the failure is told')
      t.equal((await built.app.inject({ method: 'POST', url: '/auth/token', headers: { cookie } })).statusCode, 401, 'and the session is gone')
      for (let i = 0; i < 100 && revoked.length === 0; i++) await sleep(10)
      t.equal(revoked.length, 1, 'and chat is told all the same, so that the session\'s open sockets close')
    })

    t.test('tokens: at most TOKEN_MINT_MAX per user in 10 minutes, over all their sessions', async (t) => {
      const built = await build(t, kind, { env: { TOKEN_MINT_MAX: '3', CODE_COOLDOWN: '0' } })
      const first = await signIn(built, 'many@example.com')
      const second = await signIn(built, 'many@example.com')
      const mint = async (cookie: string): Promise<number> => (await built.app.inject({ method: 'POST', url: '/auth/token', headers: { cookie } })).statusCode
      t.same([await mint(first), await mint(second), await mint(first)], [200, 200, 200])
      const refused = await built.app.inject({ method: 'POST', url: '/auth/token', headers: { cookie: second } })
      t.match({ status: refused.statusCode, body: refused.json() }, { status: 429, body: { error: 'rate_limited' } }, 'a fourth, from either session')
      t.ok(refused.json().retryAfter > 500 && refused.json().retryAfter <= 600, 'told when to come back')
      const other = await signIn(built, 'other@example.com')
      t.equal(await mint(other), 200, 'other users are not affected')
    })
  })
}
