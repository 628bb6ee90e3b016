import t from 'tap'
import { ENGINES, build, mailedCode, requestCode, sessionCookie, signIn, sleep, verify, wrong } from '../../helper.js'

for (const kind of ENGINES) {
  t.test(`POST /auth/verify on ${kind}`, async (t) => {
    t.test('50 parallel submissions of the right code give exactly one session', async (t) => {
      const { app, sink } = await build(t, kind)
      await requestCode(app, 'race@example.com')
      const code = await mailedCode(sink, 'race@example.com')
      const answers = await Promise.all(Array.from({ length: 50 }, async () => await verify(app, 'race@example.com', code)))
      const ok = answers.filter((r) => r.statusCode === 200)
      t.equal(ok.length, 1, 'one success')
      t.equal(ok[0]!.cookies.filter((c) => c.name === 'webchat_session').length, 1, 'one session cookie')
      t.same([...new Set(answers.filter((r) => r.statusCode !== 200).map((r) => `${r.statusCode} ${r.json().error}`))], ['410 code_expired'])
      t.equal(answers.filter((r) => r.cookies.length > 0).length, 1, 'no other answer sets a cookie')
    })

    t.test('5 wrong guesses void the code: the 6th fails even when right', async (t) => {
      const { app, sink } = await build(t, kind)
      await requestCode(app, 'guess@example.com')
      const code = await mailedCode(sink, 'guess@example.com')
      for (let i = 1; i <= 5; i++) {
        const res = await verify(app, 'guess@example.com', wrong(code))
        t.equal(res.statusCode, 401)
        t.same(res.json(), { error: 'invalid_code', message: 'wrong code', attemptsLeft: 5 - i })
      }
      const right = await verify(app, 'guess@example.com', code)
      t.equal(right.statusCode, 410)
      t.equal(right.json().error, 'code_expired')
    })

    t.test('codes are single use, replaced by a newer one, and expire', async (t) => {
      const { app, sink } = await build(t, kind, { env: { CODE_COOLDOWN: '0', CODE_TTL: '1' } })
      t.equal((await verify(app, 'once@example.com', '123456')).statusCode, 410, 'no code asked for')
      await requestCode(app, 'once@example.com')
      const first = await mailedCode(sink, 'once@example.com')
      sink.mails.length = 0
      await requestCode(app, 'once@example.com')
      const second = await mailedCode(sink, 'once@example.com')
      if (first !== second) t.equal((await verify(app, 'once@example.com', first)).json().error, 'invalid_code', 'the replaced code no longer works')
      t.equal((await verify(app, 'once@example.com', second)).statusCode, 200)
      const again = await verify(app, 'once@example.com', second)
      t.equal(again.statusCode, 410, 'used')
      sink.mails.length = 0
      await requestCode(app, 'once@example.com')
      const late = await mailedCode(sink, 'once@example.com')
      await sleep(1200)
      const expired = await verify(app, 'once@example.com', late)
      t.equal(expired.statusCode, 410)
      t.equal(expired.json().error, 'code_expired')
    })

    t.test('consecutive failures lock the address with a growing delay, and the lock ends', async (t) => {
      const { app, sink } = await build(t, kind, { env: { CODE_COOLDOWN: '0', LOCK_THRESHOLD: '3', LOCK_BASE: '1', LOCK_MAX: '2' } })
      const email = 'lock@example.com'
      await requestCode(app, email)
      let code = await mailedCode(sink, email)
      t.equal((await verify(app, email, wrong(code))).statusCode, 401)
      t.equal((await verify(app, email, wrong(code))).statusCode, 401)
      const locked = await verify(app, email, wrong(code))
      t.equal(locked.statusCode, 429)
      t.same(locked.json(), { error: 'locked', message: 'too many failed attempts for this address; wait and try again', retryAfter: 1 })
      t.equal(locked.headers['retry-after'], '1')
      const during = await verify(app, email, code)
      t.equal(during.statusCode, 429, 'even the right code waits')
      t.equal(during.json().error, 'locked')
      await sleep(1100)
      t.equal((await verify(app, email, code)).statusCode, 200, 'released')

      sink.mails.length = 0
      await requestCode(app, email)
      code = await mailedCode(sink, email)
      t.equal((await verify(app, email, wrong(code))).statusCode, 401, 'a success started the count again')
      t.equal((await verify(app, email, wrong(code))).statusCode, 401)
      t.equal((await verify(app, email, wrong(code))).headers['retry-after'], '1')
      await sleep(1100)
      t.equal((await verify(app, email, wrong(code))).headers['retry-after'], '2', 'the delay doubles')
      await sleep(2100)
      t.equal((await verify(app, email, wrong(code))).headers['retry-after'], '2', 'up to LOCK_MAX')
      t.equal((await verify(app, 'other@example.com', '000000')).statusCode, 410, 'other addresses are not locked')
    })

    t.test('defaults: the 20th consecutive failure locks for 30 s', async (t) => {
      const { app, sink, config } = await build(t, kind, { env: { CODE_COOLDOWN: '0' } })
      t.equal(config.lockThreshold, 20)
      t.equal(config.codeMaxAttempts, 5)
      const email = 'brute@example.com'
      let last
      for (let round = 0; round < 4; round++) {
        sink.mails.length = 0
        t.equal((await requestCode(app, email)).statusCode, 202)
        const code = await mailedCode(sink, email)
        for (let i = 0; i < 5; i++) last = await verify(app, email, wrong(code))
      }
      t.equal(last?.statusCode, 429)
      t.equal(last?.json().error, 'locked')
      t.equal(last?.headers['retry-after'], '30')
      t.equal(last?.json().retryAfter, 30)
    })

    t.test('a new session id at sign-in; the previous session ends', async (t) => {
      const built = await build(t, kind, { env: { AUTH_SERVICE_KEYS: 'service-key-0123456789' } })
      const { app, sink } = built
      const first = await signIn(built, 'first@example.com')
      const { token } = (await app.inject({ method: 'POST', url: '/auth/token', headers: { cookie: first } })).json()
      await requestCode(app, 'second@example.com')
      const res = await verify(app, 'second@example.com', await mailedCode(sink, 'second@example.com'), { cookie: first })
      t.equal(res.statusCode, 200)
      const second = sessionCookie(res)
      t.not(second, first, 'a new session id')
      t.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie: first } })).statusCode, 401, 'the old session is gone')
      t.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie: second } })).json().user.email, 'second@example.com')
      const introspected = await app.inject({ method: 'POST', url: '/auth/introspect', headers: { authorization: 'Bearer service-key-0123456789' }, payload: { token } })
      t.same(introspected.json(), { active: false }, 'tokens of the old session are refused')
    })
  })
}
