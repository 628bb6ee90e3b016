import { Agent, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { Registry } from 'prom-client'
import { startRedis, startSmtpSink } from '@webchat/testkit'
import { validate, type Health } from '@webchat/shared'
import authApp, { buildApp, serverOptions } from '../../src/app.js'
import { ENGINES, build, mailedCode, memoryEngine, requestCode, sessionCookie, signIn, singleRedisOnly, sleep, smtpSink, testConfig, verify } from '../helper.js'
import { smtpProxy } from '../smtp-proxy.js'

interface Readiness { status: number, body: Health, ms: number }

/** GET /readyz every 50 ms for `ms`, or until `until` holds for an answer; every answer, in order. */
async function readiness (server: FastifyInstance, ms: number, until: (answer: Readiness) => boolean = () => false): Promise<Readiness[]> {
  const answers: Readiness[] = []
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) {
    const started = Date.now()
    const res = await server.inject({ method: 'GET', url: '/readyz' })
    answers.push({ status: res.statusCode, body: res.json(), ms: Date.now() - started })
    if (until(answers.at(-1)!)) break
  }
  return answers
}

const mailIs = (want: boolean) => (answer: Readiness): boolean => answer.body.checks?.mail === want
const readyWith = (mail: boolean): Pick<Readiness, 'status' | 'body'> => ({ status: 200, body: { status: 'ok', checks: { engine: true, mail } } })
const statusAndBody = (answers: Readiness[]): Array<Pick<Readiness, 'status' | 'body'>> => answers.map(({ status, body }) => ({ status, body }))

/** The status of a GET over `agent` (keep-alive: the same connection each time). */
async function statusOf (url: string, agent: Agent): Promise<number> {
  return await new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      res.resume()
      res.on('end', () => { resolve(res.statusCode ?? 0) })
    }).on('error', reject).end()
  })
}

for (const kind of ENGINES) {
  t.test(`ops routes on ${kind}`, async (t) => {
    t.test('healthz and readyz', async (t) => {
      const { app } = await build(t, kind)
      const health = await app.inject({ method: 'GET', url: '/healthz' })
      t.equal(health.statusCode, 200)
      t.same(health.json(), { status: 'ok' })
      const answers = await readiness(app, 3000, mailIs(true))
      t.same(statusAndBody(answers.slice(-1)), [readyWith(true)], 'mail true once the background probe answered')
      t.same(statusAndBody(answers), answers.map(({ body }) => readyWith(body.checks?.mail === true)), 'ready throughout')
    })

    t.test('readyz stays 200 while the mail server refuses connections, with mail false until it is back', async (t) => {
      const sink = await smtpSink(t)
      const proxy = await smtpProxy(t, sink.port)
      await proxy.set('down')
      const { app } = await build(t, kind, { sink, env: { SMTP_URL: proxy.url, SMTP_TIMEOUT_MS: '1000' } })
      const down = await readiness(app, 500)
      t.ok(down.length >= 5, `${down.length} answers`)
      t.same(statusAndBody(down), down.map(() => readyWith(false)), 'ready, mail false')
      await proxy.set('up')
      const back = await readiness(app, 3000, mailIs(true))
      t.same(statusAndBody(back.slice(-1)), [readyWith(true)], 'mail true again after one probe')
      t.same(back.map((a) => a.status), back.map(() => 200))
    })

    t.test('readyz answers within 500 ms, 200 with mail false, while the mail server never greets', async (t) => {
      const sink = await smtpSink(t)
      const proxy = await smtpProxy(t, sink.port)
      await proxy.set('silent')
      const { app } = await build(t, kind, { sink, env: { SMTP_URL: proxy.url, SMTP_TIMEOUT_MS: '2000' } })
      // Longer than SMTP_TIMEOUT_MS: the first probe times out meanwhile and the next one starts.
      const silent = await readiness(app, 2500)
      t.ok(silent.length >= 10, `${silent.length} answers`)
      t.same(statusAndBody(silent), silent.map(() => readyWith(false)), 'ready, mail false')
      const slowest = Math.max(...silent.map((a) => a.ms))
      t.ok(slowest < 500, `slowest answer ${slowest} ms`)
      await proxy.set('down')
      await proxy.set('up')
      const back = await readiness(app, 3000, mailIs(true))
      t.same(statusAndBody(back.slice(-1)), [readyWith(true)], 'mail true again once the server greets')
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

t.test('Redis down: readyz 503 and requests 503 unavailable, never 500; back when Redis is', { skip: singleRedisOnly('stops and restarts it') }, async (t) => {
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
  const signedIn = await verify(app, 'before@example.com', await mailedCode(sink, 'before@example.com'))
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

t.test('Redis down at start: the service starts (live, not ready, 503s) and is ready once Redis runs', { skip: singleRedisOnly('starts it only after the app') }, async (t) => {
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
  const notReady = await readiness(app, 3000, mailIs(true))
  t.same(statusAndBody(notReady.slice(-1)), [{ status: 503, body: { status: 'unavailable', checks: { engine: false, mail: true } } }], 'not ready, though mail is')
  t.same(notReady.map((a) => a.status), notReady.map(() => 503), 'not ready throughout')
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
  const verified = await verify(app, 'early@example.com', await mailedCode(sink, 'early@example.com'))
  t.equal(verified.statusCode, 200, 'signs in')
})

t.test('closing: readyz answers 503 from the moment the instance starts closing', async (t) => {
  const config = await testConfig(t, 'memory')
  const server = Fastify({ ...serverOptions(config), logger: false })
  await server.register(authApp, { config, engine: memoryEngine(t) })
  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  // Holds the close open while the test asks on a connection made before it.
  server.addHook('preClose', async () => { await held })
  await server.listen({ host: '127.0.0.1', port: 0 })
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  t.teardown(() => { agent.destroy() })
  const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/readyz`
  t.equal(await statusOf(url, agent), 200)
  const closed = server.close()
  t.equal(await statusOf(url, agent), 503, 'not ready while closing')
  release()
  await closed
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
