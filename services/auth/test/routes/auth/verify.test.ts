import t from 'tap'
import { SIGN_IN_COOKIE } from '@webchat/shared'
import { ENGINES, build, mailedCode, requestCode, sessionCookie, signIn, signInCookieOf, sleep, verify, wrong } from '../../helper.js'

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
      const others = new Set(answers.filter((r) => r.statusCode !== 200).map((r) => `${r.statusCode} ${r.json().error}`))
      t.ok([...others].every((o) => ['401 invalid_code', '410 code_expired'].includes(o)), [...others].join(', '))
      t.equal(answers.filter((r) => r.cookies.some((c) => c.name === 'webchat_session')).length, 1, 'no other answer starts a session')
    })

    t.test('5 wrong guesses by the browser that asked void its code: the 6th fails even when right', async (t) => {
      const { app, sink } = await build(t, kind)
      await requestCode(app, 'guess@example.com')
      const code = await mailedCode(sink, 'guess@example.com')
      for (let i = 1; i <= 5; i++) {
        const res = await verify(app, 'guess@example.com', wrong(code))
        t.equal(res.statusCode, 401)
        t.same(res.json(), { error: 'invalid_code', message: 'wrong or expired code', attemptsLeft: 5 - i })
      }
      const right = await verify(app, 'guess@example.com', code)
      t.equal(right.statusCode, 410)
      t.equal(right.json().error, 'code_expired')
    })

    t.test('a stranger can neither void nor lock a pending sign-in; the owner still signs in', async (t) => {
      const { app, sink } = await build(t, kind, { env: { CODE_COOLDOWN: '0' } })
      const email = 'victim@example.com'
      await requestCode(app, email, {}, { from: '192.0.2.10' })
      const code = await mailedCode(sink, email)
      // Guesses without the owner's sign-in cookie, from many clients: more than void a code and
      // than the old lock needed (20), each answered as a wrong code without a count.
      for (let i = 0; i < 60; i++) {
        const res = await verify(app, email, wrong(code), {}, { as: 'stranger', from: `198.51.100.${i % 30}` })
        t.same([res.statusCode, res.json()], [401, { error: 'invalid_code', message: 'wrong or expired code' }])
      }
      // The stranger asks for codes of its own for that address and guesses at those until refused.
      sink.mails.length = 0
      for (let i = 0; i < 4; i++) {
        const from = `203.0.113.${i}`
        while ((await requestCode(app, email, {}, { as: 'stranger', from })).statusCode === 202) {
          for (let n = 0; n < 6; n++) await verify(app, email, '00000000', {}, { as: 'stranger', from })
        }
      }
      const right = await verify(app, email, code, {}, { from: '192.0.2.10' })
      t.equal(right.statusCode, 200, 'the owner signs in with the code it asked for')
      t.ok(sessionCookie(right))
    })

    t.test('a guess of the wrong length (6 digits) is bad input: 400, counted against nothing', async (t) => {
      const { app, sink } = await build(t, kind)
      await requestCode(app, 'short@example.com')
      const code = await mailedCode(sink, 'short@example.com')
      for (const short of [code.slice(0, 6), code.slice(2), '123456']) {
        for (let i = 0; i < 6; i++) {
          const res = await verify(app, 'short@example.com', short)
          t.same([res.statusCode, res.json().error, res.json().attemptsLeft], [400, 'bad_request', undefined], short)
        }
      }
      t.equal((await verify(app, 'short@example.com', wrong(code))).json().attemptsLeft, 4, 'the first well-formed guess is the first counted')
      t.equal((await verify(app, 'short@example.com', code)).statusCode, 200, 'and the code still works')
    })

    t.test('"no code pending" and "wrong code" are one answer to whoever does not hold the request', async (t) => {
      const { app, sink } = await build(t, kind)
      await requestCode(app, 'pending@example.com')
      const code = await mailedCode(sink, 'pending@example.com')
      const strip = (res: Awaited<ReturnType<typeof verify>>): unknown => ({ status: res.statusCode, type: res.headers['content-type'], body: res.body, cookies: res.cookies })
      const pending = await verify(app, 'pending@example.com', wrong(code), {}, { as: 'stranger' })
      const none = await verify(app, 'nobody@example.com', wrong(code), {}, { as: 'stranger' })
      const forged = await verify(app, 'pending@example.com', wrong(code), { cookie: `${SIGN_IN_COOKIE}=${'A'.repeat(22)}` }, { as: 'stranger' })
      const other = await verify(app, 'pending@example.com', wrong(code), { cookie: signInCookieOf(app)! }, { as: 'stranger', from: '192.0.2.99' })
      t.same(strip(pending), strip(none), 'a pending code and none: the same status, type and body')
      t.same(strip(forged), strip(none), 'a made-up request id: the same')
      t.same(pending.json(), { error: 'invalid_code', message: 'wrong or expired code' })
      t.equal(other.json().attemptsLeft, 4, 'the holder of the cookie (from anywhere) is told the count')
      t.equal((await verify(app, 'pending@example.com', code)).statusCode, 200, 'the stranger\'s guesses did not count')
    })

    t.test('codes are single use, replaced by a resend, and expire', async (t) => {
      const { app, sink } = await build(t, kind, { env: { CODE_COOLDOWN: '0', CODE_TTL: '1' } })
      t.equal((await verify(app, 'once@example.com', '12345678')).statusCode, 401, 'no code asked for')
      await requestCode(app, 'once@example.com')
      const first = await mailedCode(sink, 'once@example.com')
      const firstCookie = signInCookieOf(app)
      sink.mails.length = 0
      await requestCode(app, 'once@example.com')
      const secondCookie = signInCookieOf(app)
      t.not(secondCookie, firstCookie, 'a resend is a new request (an id the browser offers is never reused)')
      const second = await mailedCode(sink, 'once@example.com')
      if (first !== second) t.equal((await verify(app, 'once@example.com', first)).json().error, 'invalid_code', 'the replaced code no longer works')
      const signedIn = await verify(app, 'once@example.com', second)
      t.equal(signedIn.statusCode, 200)
      t.match(signedIn.cookies.find((c) => c.name === SIGN_IN_COOKIE), { value: '', path: '/auth', maxAge: 0 }, 'the sign-in cookie is cleared')
      const again = await verify(app, 'once@example.com', second)
      t.same([again.statusCode, again.json().error], [401, 'invalid_code'], 'used')
      sink.mails.length = 0
      await requestCode(app, 'once@example.com')
      const late = await mailedCode(sink, 'once@example.com')
      await sleep(1200)
      const expired = await verify(app, 'once@example.com', late)
      t.same([expired.statusCode, expired.json().error], [401, 'invalid_code'], 'expired')
    })

    t.test('per client: IP_VERIFY_MAX checks per window, however they are spread over addresses', async (t) => {
      const { app } = await build(t, kind, { env: { IP_VERIFY_MAX: '5' } })
      for (let i = 0; i < 5; i++) t.equal((await verify(app, `spread${i}@example.com`, '12345678', {}, { from: '198.51.100.7' })).statusCode, 401)
      const sixth = await verify(app, 'spread9@example.com', '12345678', {}, { from: '198.51.100.7' })
      t.same([sixth.statusCode, sixth.json().error], [429, 'rate_limited'])
      t.ok(Number(sixth.headers['retry-after']) > 0)
      t.equal((await verify(app, 'spread9@example.com', '12345678', {}, { from: '198.51.100.8' })).statusCode, 401, 'other clients are not held up')
    })

    t.test('defaults: at most 15 checked guesses an hour per address and client, 50 per address', async (t) => {
      const { app, config } = await build(t, kind, { env: { CODE_COOLDOWN: '0' } })
      t.same([config.codeMaxAttempts, config.codeClientHourlyMax, config.codeHourlyMax], [5, 3, 10])
      const email = 'brute@example.com'
      /** Guesses a client gets checked (answers that count down `attemptsLeft`) before it is refused codes. */
      const checkedFrom = async (from: string): Promise<number> => {
        let checked = 0
        while ((await requestCode(app, email, {}, { as: from, from })).statusCode === 202) {
          for (let n = 0; n < 10; n++) {
            if ((await verify(app, email, '00000000', {}, { as: from, from })).json().attemptsLeft !== undefined) checked++
          }
        }
        return checked
      }
      const perClient = [await checkedFrom('203.0.113.1'), await checkedFrom('203.0.113.2'), await checkedFrom('203.0.113.3'), await checkedFrom('203.0.113.4')]
      t.same(perClient, [15, 15, 15, 5], 'a client: 3 codes of 5 guesses; the address: 10 codes')
      t.equal(perClient.reduce((a, b) => a + b, 0), 50, '50 guesses at 10^8 codes an hour: a 1 in 2,000,000 chance')
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
