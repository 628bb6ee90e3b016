import t from 'tap'
import { SIGN_IN_COOKIE } from '@webchat/shared'
import { startSmtpSink } from '@webchat/testkit'
import { ENGINES, build, mailedCode, requestCode, verify } from '../../helper.js'
import { smtpProxy } from '../../smtp-proxy.js'

for (const kind of ENGINES) {
  t.test(`POST /auth/code on ${kind}`, async (t) => {
    t.test('mails a code: fixed subject, text and HTML bodies, only to the address', async (t) => {
      const { app, sink } = await build(t, kind)
      const res = await requestCode(app, 'Grace@Example.org')
      t.equal(res.statusCode, 202)
      t.same(res.json(), { resendAfter: 60 })
      t.equal(res.headers['cache-control'], 'no-store')
      t.match(res.cookies, [{ name: SIGN_IN_COOKIE, value: /^[A-Za-z0-9_-]{22}$/, path: '/auth', httpOnly: true, sameSite: /^lax$/i, maxAge: 600 }], 'the sign-in cookie')
      t.notOk(res.cookies[0]?.secure, 'not Secure over plain HTTP')
      t.equal(sink.mails.length, 1)
      const mail = sink.mails[0]!
      t.same(mail.to, ['grace@example.org'])
      t.match(mail.raw, /^Subject: Your webchat sign-in code\r?$/m)
      t.match(mail.raw, /Content-Type: multipart\/alternative/i)
      t.match(mail.raw, /Content-Type: text\/plain/i)
      t.match(mail.raw, /Content-Type: text\/html/i)
      const code = await mailedCode(sink, 'grace@example.org')
      // The HTML shows the code in two groups with only markup between them: read as text, it is whole.
      const asText = mail.raw.replace(/=\r?\n/g, '').replace(/<[^>]*>/g, '')
      t.equal(asText.split(code).length - 1 >= 2, true, 'the code is in both bodies')
    })

    t.test('resend cooldown of 60 s per address and client', async (t) => {
      const { app } = await build(t, kind)
      t.equal((await requestCode(app, 'a@example.com')).statusCode, 202)
      const again = await requestCode(app, 'a@example.com')
      t.equal(again.statusCode, 429)
      t.equal(again.json().error, 'rate_limited')
      const retry = Number(again.headers['retry-after'])
      t.ok(retry >= 58 && retry <= 60, `Retry-After ${retry}`)
      t.equal(again.json().retryAfter, retry)
      t.equal((await requestCode(app, 'b@example.com')).statusCode, 202, 'other addresses are not held up')
      t.equal((await requestCode(app, 'a@example.com', {}, { from: '192.0.2.7', as: 'other' })).statusCode, 202, 'nor other clients: a stranger cannot hold the owner up')
    })

    t.test('codes an hour: 3 per address and client, 10 per address from all clients', async (t) => {
      const { app } = await build(t, kind, { env: { CODE_COOLDOWN: '0' } })
      const from = (i: number): { from: string } => ({ from: `192.0.2.${i}` })
      for (let i = 0; i < 3; i++) t.equal((await requestCode(app, 'c@example.com', {}, from(1))).statusCode, 202)
      const fourth = await requestCode(app, 'c@example.com', {}, from(1))
      t.equal(fourth.statusCode, 429)
      t.equal(fourth.json().error, 'rate_limited')
      const retry = Number(fourth.headers['retry-after'])
      t.ok(retry > 3500 && retry <= 3600, `Retry-After ${retry}`)
      const statuses = []
      for (let i = 2; i <= 5; i++) for (let n = 0; n < 3; n++) statuses.push((await requestCode(app, 'c@example.com', {}, from(i))).statusCode)
      t.same(statuses, [202, 202, 202, 202, 202, 202, 202, 429, 429, 429, 429, 429], 'the 11th code of the hour is refused, whoever asks')
      t.equal((await requestCode(app, 'd@example.com', {}, from(1))).statusCode, 202, 'other addresses are not held up')
    })

    t.test('a per-IP bucket across addresses, behind a trusted proxy by X-Forwarded-For', async (t) => {
      const { app } = await build(t, kind, { env: { IP_CODE_MAX: '2', TRUST_PROXY: 'true' } })
      const from = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip })
      t.equal((await requestCode(app, 'e1@example.com', from('203.0.113.1'))).statusCode, 202)
      t.equal((await requestCode(app, 'e2@example.com', from('203.0.113.1'))).statusCode, 202)
      const third = await requestCode(app, 'e3@example.com', from('203.0.113.1'))
      t.equal(third.statusCode, 429)
      t.equal(third.json().error, 'rate_limited')
      t.ok(Number(third.headers['retry-after']) > 0)
      t.equal((await requestCode(app, 'e3@example.com', from('203.0.113.2'))).statusCode, 202, 'another client has its own bucket')
    })

    t.test('without trustProxy X-Forwarded-For is ignored', async (t) => {
      const { app } = await build(t, kind, { env: { IP_CODE_MAX: '1' } })
      t.equal((await requestCode(app, 'f1@example.com', { 'x-forwarded-for': '203.0.113.1' })).statusCode, 202)
      t.equal((await requestCode(app, 'f2@example.com', { 'x-forwarded-for': '203.0.113.2' })).statusCode, 429)
    })

    t.test('ALLOWED_EMAIL_DOMAINS', async (t) => {
      const { app, sink } = await build(t, kind, { env: { ALLOWED_EMAIL_DOMAINS: 'example.com, Corp.Example' } })
      const refused = await requestCode(app, 'x@other.org')
      t.equal(refused.statusCode, 403)
      t.same(refused.json(), { error: 'domain_not_allowed', message: 'sign-in is not open to this email domain' })
      t.equal((await requestCode(app, 'x@sub.example.com')).statusCode, 403, 'subdomains are other domains')
      t.equal((await requestCode(app, 'x@EXAMPLE.com')).statusCode, 202)
      t.equal((await requestCode(app, 'y@corp.example')).statusCode, 202)
      t.equal((await verify(app, 'x@other.org', '12345678')).statusCode, 403, 'verify checks the domain too')
      t.equal(sink.mails.length, 2)
    })

    t.test('the mail server refuses: 503, code withdrawn, nothing charged, next request works', async (t) => {
      const { app, sink } = await build(t, kind, { env: { CODE_HOURLY_MAX: '1', CODE_CLIENT_HOURLY_MAX: '1' } })
      sink.failing = true
      const failed = await requestCode(app, 'g@example.com')
      t.equal(failed.statusCode, 503)
      t.same(failed.json(), { error: 'mail_unavailable', message: 'the code could not be mailed; try again shortly' })
      t.equal((await verify(app, 'g@example.com', '00000000')).statusCode, 401, 'no code is valid')
      sink.failing = false
      const sent = await requestCode(app, 'g@example.com')
      t.equal(sent.statusCode, 202, 'neither the cooldown nor the hourly cap was charged')
      t.equal((await verify(app, 'g@example.com', await mailedCode(sink, 'g@example.com'))).statusCode, 200)
    })

    t.test('nothing listens, then a silent server, then back: 503 fast each time, then 202', async (t) => {
      const sink = await startSmtpSink()
      t.teardown(async () => { await sink.close() })
      const proxy = await smtpProxy(t, sink.port)
      const { app } = await build(t, kind, { sink, env: { SMTP_URL: proxy.url, SMTP_TIMEOUT_MS: '1000' } })
      await proxy.set('down')
      let started = Date.now()
      t.equal((await requestCode(app, 'h@example.com')).statusCode, 503)
      t.ok(Date.now() - started < 3000, 'refused connection answered at once')
      await proxy.set('silent')
      started = Date.now()
      const silent = await requestCode(app, 'h@example.com')
      t.equal(silent.statusCode, 503)
      t.equal(silent.json().error, 'mail_unavailable')
      t.ok(Date.now() - started < 3000, `a server that never greets times out (${Date.now() - started} ms)`)
      await proxy.set('down')
      await proxy.set('up')
      const sent = await requestCode(app, 'h@example.com')
      t.equal(sent.statusCode, 202, sent.body)
      t.equal((await verify(app, 'h@example.com', await mailedCode(sink, 'h@example.com'))).statusCode, 200)
    })
  })
}

t.test('with the default SMTP timeout a server that never greets gives 503 within 10 s', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(async () => { await sink.close() })
  const proxy = await smtpProxy(t, sink.port)
  await proxy.set('silent')
  const { app, config } = await build(t, 'memory', { sink, env: { SMTP_URL: proxy.url } })
  t.ok(config.smtpTimeoutMs <= 10_000)
  const started = Date.now()
  const res = await requestCode(app, 'slow@example.com')
  const took = Date.now() - started
  t.equal(res.statusCode, 503)
  t.equal(res.json().error, 'mail_unavailable')
  t.ok(took < 10_000, `answered in ${took} ms`)
})
