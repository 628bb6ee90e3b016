import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import t from 'tap'
import { startRedis } from '@webchat/testkit'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { names } from '../src/names.js'
import { ISSUER, startAuthStub } from './helpers/auth-stub.js'
import { connect } from './helpers/client.js'
import { eventually, singleRedisOnly, startCluster } from './helpers/cluster.js'

t.test('redis: pub/sub connections killed: delivery resumes and the gap is filled from the log', { skip: singleRedisOnly('CLIENT KILL of its subscriber connections') }, async (t) => {
  const cluster = await startCluster(t, 'redis')
  const a = await cluster.connect(0, { sub: 'alice', sid: 'a' })
  const b = await cluster.connect(1, { sub: 'bob', sid: 'b' })
  await cluster.join(a, 'gap')
  await cluster.join(b, 'gap')
  a.send({ type: 'send', room: 'gap', text: 'before', clientMsgId: 'before' })
  await b.waitFor((f) => f.type === 'message')

  const admin = new Redis(cluster.redis!.url)
  t.teardown(() => admin.disconnect())
  const killed = await admin.client('KILL', 'TYPE', 'pubsub')
  t.ok(Number(killed) >= 2, `subscriber connections killed (${String(killed)})`)
  // Published while nobody listens: lost on the bus, kept in the log.
  for (let i = 0; i < 5; i++) a.send({ type: 'send', room: 'gap', text: `during ${i}`, clientMsgId: `d${i}` })
  await a.waitForCount((f) => f.type === 'ack', 6)
  await new Promise((resolve) => setTimeout(resolve, 1500))
  for (let i = 0; i < 3; i++) a.send({ type: 'send', room: 'gap', text: `after ${i}`, clientMsgId: `x${i}` })

  const expected = ['before', ...[0, 1, 2, 3, 4].map((i) => `during ${i}`), ...[0, 1, 2].map((i) => `after ${i}`)]
  for (const client of [a, b]) {
    const got = await client.waitForCount((f) => f.type === 'message', expected.length, 10_000)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const all = client.frames.filter((f) => f.type === 'message')
    t.same(all.map((m) => m.text), expected, 'every message once, in order')
    t.same(new Set(all.map((m) => m.id)).size, got.length)
  }
  const metrics = await (await fetch(`${cluster.httpUrl(1)}/metrics`)).text()
  t.match(metrics, /webchat_chat_catch_up_messages_total [1-9]/)
})

t.test('redis: while Redis is down sends get `unavailable` within 2 s; service resumes after', { skip: singleRedisOnly('stopping and restarting its one server') }, async (t) => {
  const cluster = await startCluster(t, 'redis')
  const a = await cluster.connect(0, { sub: 'alice', sid: 'a' })
  const b = await cluster.connect(1, { sub: 'bob', sid: 'b' })
  await cluster.join(a, 'down')
  await cluster.join(b, 'down')
  await cluster.redis!.stop(true)
  let restarted = false
  t.teardown(async () => { if (!restarted) await cluster.redis!.start() })

  const started = Date.now()
  a.send({ type: 'send', room: 'down', text: 'lost?', clientMsgId: 'down-1' })
  const error = await a.waitFor((f) => f.type === 'error', 3000)
  t.same(error, { type: 'error', code: 'unavailable', message: 'storage is temporarily unavailable: retry', ref: 'down-1' })
  t.ok(Date.now() - started < 2000, `answered in ${Date.now() - started} ms`)
  a.send({ type: 'join', room: 'another' })
  t.match(await a.waitFor((f) => f.type === 'error' && f.ref === 'another', 3000), { code: 'unavailable' })
  a.send({ type: 'history', room: 'down', before: '99999999999999-0' })
  t.match(await a.waitFor((f) => f.type === 'error' && f.ref === 'down' && f.code === 'unavailable', 3000), { code: 'unavailable' })
  const ready = await fetch(`${cluster.httpUrl(0)}/readyz`)
  t.equal(ready.status, 503)
  t.match(await ready.json(), { status: 'unavailable', checks: { engine: false } })
  t.equal(a.ws.readyState, a.ws.OPEN, 'sockets stay open')

  await cluster.redis!.start()
  restarted = true
  await eventually(async () => (await fetch(`${cluster.httpUrl(0)}/readyz`)).status === 200, 10_000, 'ready again')
  await eventually(async () => (await fetch(`${cluster.httpUrl(1)}/readyz`)).status === 200, 10_000, 'ready again')
  // The server lost its data (no persistence): resending the same clientMsgId stores it now.
  await eventually(async () => {
    const clientMsgId = `back-${Date.now()}`
    a.send({ type: 'send', room: 'down', text: 'back', clientMsgId })
    // This send's own answer (an ack may share its payload with the message it acknowledges).
    const reply = await a.waitFor((f) => (f.type === 'ack' && f.clientMsgId === clientMsgId) || (f.type === 'error' && f.ref === clientMsgId), 3000).catch(() => null)
    return reply?.type === 'ack'
  }, 10_000, 'sends accepted again')
  await b.waitFor((f) => f.type === 'message' && f.text === 'back', 10_000)
  t.pass('delivered across instances again')
})

t.test('redis: down at start: the instance starts (live, not ready, `unavailable`) and is ready once Redis runs', async (t) => {
  const redis = await startRedis()
  t.teardown(async () => { await redis.close() })
  if (!redis.owned) {
    t.plan(0, 'REDIS_URL points at a server this test cannot stop')
    return
  }
  await redis.stop()
  const auth = await startAuthStub()
  t.teardown(async () => { await auth.close() })
  const config = loadConfig({
    LOG_LEVEL: 'silent', ENGINE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix(), AUTH_URL: auth.url,
    TOKEN_ISSUER: ISSUER, ALLOW_NO_ORIGIN: true, INSTANCE_ID: 'late-0'
  })
  const app = await buildApp({ config, logger: false })
  t.teardown(async () => { await app.close() })
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'live')
  const ready = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(ready.statusCode, 503, 'not ready')
  t.match(ready.json(), { checks: { engine: false } })

  await redis.start()
  await eventually(async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, 7000, 'ready within 7 s')
  const url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/ws`
  const client = await connect(url, await auth.mint({ sub: 'late', sid: 'late-sid' }))
  t.teardown(async () => { await client.close() })
  await client.waitFor((f) => f.type === 'ready', 5000)
  client.send({ type: 'join', room: 'late' })
  await client.waitFor((f) => f.type === 'joined', 5000)
  client.send({ type: 'send', room: 'late', text: 'hello', clientMsgId: 'late-1' })
  t.match(await client.waitFor((f) => f.type === 'ack', 5000), { clientMsgId: 'late-1' })
  // The logout channel was subscribed once Redis came: a revocation closes the socket with 4001.
  const admin = new Redis(redis.url)
  t.teardown(() => admin.disconnect())
  await eventually(async () => {
    await admin.publish(`${config.redisPrefix}${names.sessionRevokedChannel(names.revocationBucketOf('late-sid'))}`, 'late-sid')
    return client.ws.readyState === client.ws.CLOSED || client.ws.readyState === client.ws.CLOSING
  }, 3000, 'closed after the revocation')
  t.equal((await client.closed).code, 4001)
})
