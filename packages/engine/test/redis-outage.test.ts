import { Redis } from 'ioredis'
import t, { type Test } from 'tap'
import { startRedis } from '@webchat/testkit'
import { connectRedisEngine, createRedisEngine, EngineUnavailableError, type Engine } from '../src/index.js'
import { collector, sleep, until } from './contract/support.js'

/** Every kind of call, each of which must fail fast while Redis is down. */
const calls = (engine: Engine): Record<string, () => Promise<unknown>> => ({
  'kv.get': async () => await engine.kv.get('a'),
  'kv.set': async () => await engine.kv.set('a', 'b', 1000),
  'counters.increment': async () => await engine.counters.increment('c', 1000),
  'logs.append': async () => await engine.logs.append('room', 'x', { maxLen: 10 }),
  'logs.info': async () => await engine.logs.info('room'),
  'presence.members': async () => await engine.presence.members('room'),
  'pubsub.publish': async () => await engine.pubsub.publish('room', 'x'),
  'pubsub.subscribe': async () => await engine.pubsub.subscribe('new-channel', () => {}),
  ping: async () => await engine.ping()
})

async function failsFast (t: Test, engine: Engine): Promise<void> {
  for (const [name, call] of Object.entries(calls(engine))) {
    const started = Date.now()
    await t.rejects(call(), EngineUnavailableError, `${name} rejects with EngineUnavailableError`)
    t.ok(Date.now() - started < 2000, `${name} failed within 2 s (${Date.now() - started} ms)`)
  }
}

/** These tests stop and pause the server: only on one of their own. */
const external = process.env.REDIS_URL !== undefined && process.env.REDIS_URL !== ''
const skip = external ? 'REDIS_URL points at a server these tests must not stop or pause' : false

t.test('redis: while redis-server is down calls fail fast, and both engines recover', { skip }, async (t) => {
  const server = await startRedis()
  t.teardown(() => server.close())
  const unexpected: unknown[] = []
  const record = (err: unknown): void => { unexpected.push(err) }
  process.on('unhandledRejection', record)
  process.on('uncaughtException', record)
  t.teardown(() => { process.off('unhandledRejection', record); process.off('uncaughtException', record) })

  // One engine with its own connections, one over clients with ioredis' defaults (offline
  // queue on), as a service might build them.
  const ownPrefix = server.prefix()
  const own = await connectRedisEngine({ url: server.url, prefix: ownPrefix })
  const client = new Redis(server.url)
  const subscriber = new Redis(server.url)
  const shared = createRedisEngine({ client, subscriber, prefix: server.prefix(), ownsClients: true })
  t.teardown(async () => { await own.close(); await shared.close() })
  await until(() => shared.isReady(), 5000, 'shared clients ready')
  const engines = { own, shared }
  const seen = { own: collector(), shared: collector() }
  const resumed = { own: 0, shared: 0 }
  for (const name of ['own', 'shared'] as const) {
    await engines[name].pubsub.subscribe('room', seen[name].handler)
    engines[name].pubsub.onResume(() => { resumed[name]++ })
  }

  const leave = await own.pubsub.subscribe('left-while-down', () => {})

  await server.stop()
  await until(() => !own.isReady() && !shared.isReady(), 2000, 'not ready')
  await failsFast(t, own)
  await failsFast(t, shared)
  await leave()
  t.pass('unsubscribing while Redis is down resolves')
  await sleep(1000)
  await server.start()

  for (const name of ['own', 'shared'] as const) {
    const engine = engines[name]
    await until(() => engine.isReady(), 8000, `${name} ready again`)
    await until(() => resumed[name] === 1, 5000, `${name} resumed`)
    await engine.kv.set('a', name)
    t.equal(await engine.kv.get('a'), name, `${name} serves commands again`)
    await engine.pubsub.publish('room', `back ${name}`)
    await until(() => seen[name].messages.length === 1, 2000, `${name} delivery`)
    t.same(seen[name].messages, [`back ${name}`], `${name} subscriptions restored`)
  }
  const admin = new Redis(server.url)
  t.teardown(() => { admin.disconnect() })
  const numsub = await admin.call('PUBSUB', 'NUMSUB', `${ownPrefix}left-while-down`, `${ownPrefix}room`) as unknown[]
  t.same(numsub.slice(1).filter((_, i) => i % 2 === 0), [0, 1], 'the channel left while down is not resubscribed')
  t.same(unexpected, [], 'no unhandled error or rejection')
})

t.test('redis: a command Redis does not answer fails after the command timeout', { skip }, async (t) => {
  const server = await startRedis()
  t.teardown(() => server.close())
  const engine = await connectRedisEngine({ url: server.url, prefix: server.prefix(), commandTimeoutMs: 500 })
  t.teardown(() => engine.close())
  const admin = new Redis(server.url)
  t.teardown(() => { admin.disconnect() })
  await admin.call('CLIENT', 'PAUSE', '1500', 'ALL')
  const started = Date.now()
  await t.rejects(engine.kv.get('a'), EngineUnavailableError)
  const took = Date.now() - started
  t.ok(took >= 450 && took < 1400, `gave up after the timeout (${took} ms)`)
  await until(async () => await engine.kv.get('a').then(() => true, () => false), 5000, 'answers after the pause')
})

t.test('redis: connecting while redis-server is down rejects, or with whenUnreachable continue runs and gets ready later', { skip }, async (t) => {
  const server = await startRedis()
  t.teardown(() => server.close())
  await server.stop()
  const started = Date.now()
  await t.rejects(connectRedisEngine({ url: server.url, prefix: server.prefix(), connectTimeoutMs: 300 }), EngineUnavailableError, 'throw is the default')
  const engine = await connectRedisEngine({ url: server.url, prefix: server.prefix(), connectTimeoutMs: 300, whenUnreachable: 'continue' })
  t.teardown(() => engine.close())
  t.ok(Date.now() - started < 2000, 'neither waits past its timeout')
  t.equal(engine.isReady(), false, 'not ready while Redis is down')
  await t.rejects(engine.kv.get('a'), EngineUnavailableError)
  await server.start()
  await until(() => engine.isReady(), 5000)
  await engine.kv.set('a', 'b')
  t.equal(await engine.kv.get('a'), 'b', 'works once Redis runs')
})
