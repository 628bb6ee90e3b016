import t from 'tap'
import { Registry } from 'prom-client'
import { startRedis, startSmtpSink } from '@webchat/testkit'
import { validate } from '@webchat/shared'
import { buildApp } from '../../src/app.js'
import { ENGINES, build, mailedCode, requestCode, sessionCookie, signIn, sleep, smtpSink, testConfig } from '../helper.js'
import { smtpProxy } from '../smtp-proxy.js'

for (const kind of ENGINES) {
  t.test(`ops routes on ${kind}`, async (t) => {
    t.test('healthz and readyz', async (t) => {
      const { app } = await build(t, kind)
      const health = await app.inject({ method: 'GET', url: '/healthz' })
      t.equal(health.statusCode, 200)
      t.same(health.json(), { status: 'ok' })
      const ready = await app.inject({ method: 'GET', url: '/readyz' })
      t.equal(ready.statusCode, 200)
      t.same(ready.json(), { status: 'ok', checks: { engine: true, mail: true } })
    })

    t.test('readyz is 503 while the mail server is unreachable', async (t) => {
      const sink = await startSmtpSink()
      t.teardown(async () => { await sink.close() })
      const proxy = await smtpProxy(t, sink.port)
      const { app } = await build(t, kind, { sink, env: { SMTP_URL: proxy.url, SMTP_TIMEOUT_MS: '500' } })
      await proxy.set('down')
      const down = await app.inject({ method: 'GET', url: '/readyz' })
      t.equal(down.statusCode, 503)
      t.same(down.json(), { status: 'unavailable', checks: { engine: true, mail: false } })
      await proxy.set('silent')
      t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503, 'a server that never greets')
      await proxy.set('down')
      await proxy.set('up')
      t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'back at once')
    })

    t.test('metrics: Prometheus text with the service counters', async (t) => {
      const built = await build(t, kind)
      await signIn(built, 'metrics@example.com')
      await built.app.inject({ method: 'POST', url: '/auth/token', headers: { cookie: await signIn(built, 'metrics2@example.com') } })
      await requestCode(built.app, 'metrics@example.com')
      const res = await built.app.inject({ method: 'GET', url: '/metrics' })
      t.equal(res.statusCode, 200)
      t.match(res.headers['content-type'], /^text\/plain/)
      t.match(res.body, /webchat_auth_codes_sent_total\{result="sent"\} 2/)
      t.match(res.body, /webchat_auth_codes_sent_total\{result="refused"\} 1/)
      t.match(res.body, /webchat_auth_verifications_total\{outcome="success"\} 2/)
      t.match(res.body, /webchat_auth_tokens_minted_total 1/)
      t.match(res.body, /webchat_auth_http_request_duration_seconds_count\{method="POST",route="\/auth\/verify",status="200"\} 2/)
      t.match(res.body, /webchat_auth_process_cpu_seconds_total/, 'process metrics in an own registry')
      t.notMatch(res.body, /metrics@example\.com/)
    })
  })
}

t.test('Redis down: readyz 503 and requests 503 unavailable, never 500; back when Redis is', async (t) => {
  const redis = await startRedis()
  t.teardown(async () => { await redis.close() })
  const sink = await startSmtpSink()
  t.teardown(async () => { await sink.close() })
  // The app makes and owns its Redis engine here, from the configuration.
  const config = await testConfig(t, 'redis', { REDIS_URL: redis.url, MAIL_TRANSPORT: 'smtp', SMTP_URL: sink.url })
  const app = await buildApp({ config, server: { logger: false } })
  t.teardown(async () => { await app.close() })
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
  await requestCode(app, 'before@example.com')
  const signedIn = await app.inject({ method: 'POST', url: '/auth/verify', payload: { email: 'before@example.com', code: await mailedCode(sink, 'before@example.com') } })
  const cookie = sessionCookie(signedIn)
  sink.mails.length = 0
  await redis.stop()
  let ready = await app.inject({ method: 'GET', url: '/readyz' })
  for (let i = 0; i < 40 && ready.statusCode === 200; i++) {
    await sleep(50)
    ready = await app.inject({ method: 'GET', url: '/readyz' })
  }
  t.equal(ready.statusCode, 503)
  t.same(ready.json(), { status: 'unavailable', checks: { engine: false, mail: true } })
  const started = Date.now()
  const code = await requestCode(app, 'outage@example.com')
  t.equal(code.statusCode, 503)
  t.same(code.json(), { error: 'unavailable', message: 'the service is temporarily unavailable' })
  t.ok(Date.now() - started < 3000, 'answered promptly')
  t.equal(sink.mails.length, 0, 'no mail without a place to keep the code')
  const me = await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })
  t.equal(me.statusCode, 503, 'a session lookup fails as unavailable')
  t.ok(validate.errorBody(me.json()))
  await redis.start()
  for (let i = 0; i < 100 && ready.statusCode !== 200; i++) {
    await sleep(100)
    ready = await app.inject({ method: 'GET', url: '/readyz' })
  }
  t.equal(ready.statusCode, 200, 'ready again')
  t.equal((await requestCode(app, 'outage@example.com')).statusCode, 202)
  // (the test server keeps nothing on disk, so the session itself did not survive the restart)
})

t.test('Redis down at start: the service starts (live, not ready, 503s) and is ready once Redis runs', async (t) => {
  const redis = await startRedis()
  t.teardown(async () => { await redis.close() })
  if (!redis.owned) {
    t.plan(0, 'REDIS_URL points at a server this test cannot stop')
    return
  }
  await redis.stop()
  const sink = await startSmtpSink()
  t.teardown(async () => { await sink.close() })
  const config = await testConfig(t, 'redis', { REDIS_URL: redis.url, MAIL_TRANSPORT: 'smtp', SMTP_URL: sink.url })
  const app = await buildApp({ config, server: { logger: false } })
  t.teardown(async () => { await app.close() })
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'live')
  const ready = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(ready.statusCode, 503, 'not ready')
  t.same(ready.json(), { status: 'unavailable', checks: { engine: false, mail: true } })
  const code = await requestCode(app, 'early@example.com')
  t.equal(code.statusCode, 503)
  t.same(code.json(), { error: 'unavailable', message: 'the service is temporarily unavailable' })

  await redis.start()
  let status = 503
  for (let i = 0; i < 70 && status !== 200; i++) {
    await sleep(100)
    status = (await app.inject({ method: 'GET', url: '/readyz' })).statusCode
  }
  t.equal(status, 200, 'ready within 7 s of Redis starting')
  t.equal((await requestCode(app, 'early@example.com')).statusCode, 202)
  const verified = await app.inject({ method: 'POST', url: '/auth/verify', payload: { email: 'early@example.com', code: await mailedCode(sink, 'early@example.com') } })
  t.equal(verified.statusCode, 200, 'signs in')
})

t.test('ops: false leaves the ops routes to the host; a given registry gets the metrics', async (t) => {
  const registry = new Registry()
  const sink = await smtpSink(t)
  const config = await testConfig(t, 'memory', { MAIL_TRANSPORT: 'smtp', SMTP_URL: sink.url })
  const app = await buildApp({ config, registry, ops: false, server: { logger: false } })
  t.teardown(async () => { await app.close() })
  for (const url of ['/healthz', '/readyz', '/metrics']) t.equal((await app.inject({ method: 'GET', url })).statusCode, 404, url)
  await app.inject({ method: 'POST', url: '/auth/code', payload: { email: 'reg@example.com' } })
  const text = await registry.metrics()
  t.match(text, /webchat_auth_codes_sent_total\{result="sent"\} 1/)
  t.notMatch(text, /process_cpu/, 'no process metrics added to a host registry')
})
