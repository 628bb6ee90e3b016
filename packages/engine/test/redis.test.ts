import { Redis } from 'ioredis'
import t from 'tap'
import { startRedis } from '@webchat/testkit'
import { connectRedisEngine, createRedisEngine, redisClientOptions } from '../src/index.js'
import { engineContract } from './contract.js'
import { collector, sleep, until } from './contract/support.js'

const redis = await startRedis()
t.teardown(() => redis.close())
const admin = new Redis(redis.url)
t.teardown(() => { admin.disconnect() })

engineContract(t, 'redis', async (options) => await connectRedisEngine({ url: redis.url, prefix: redis.prefix(), ...options }))

t.test('redis: every key lives under the prefix', async (t) => {
  const prefix = redis.prefix()
  const engine = await connectRedisEngine({ url: redis.url, prefix })
  t.teardown(() => engine.close())
  await engine.kv.set('k', 'v')
  await engine.counters.increment('c', 10_000)
  await engine.logs.append('l', 'x', { maxLen: 5, idempotency: { key: 'i', ttlMs: 10_000 } })
  await engine.presence.add('p', 'm', 'v', 10_000)
  const keys = await admin.keys(`${prefix}*`)
  t.equal(keys.length, 7, 'kv, counter, log, epoch, idempotency, presence expiry and values')
  t.ok(keys.includes(`${prefix}kv:k`))
})

t.test('redis: a log keeps its idempotency keys in at most two hashes, holding about two ttls of sends', async (t) => {
  const prefix = redis.prefix()
  const engine = await connectRedisEngine({ url: redis.url, prefix })
  t.teardown(() => engine.close())
  for (let i = 0; i < 60; i++) {
    await engine.logs.append('room', 'x', { maxLen: 1000, idempotency: { key: `k${i}`, ttlMs: 100 } })
    await sleep(10)
  }
  const windows = [`${prefix}log-idempotency-window:room:current`, `${prefix}log-idempotency-window:room:previous`]
  const keys = await admin.keys(`${prefix}*`)
  t.ok(keys.includes(windows[0]!) && keys.every((key) => [`${prefix}log-epoch:room`, `${prefix}log:room`, ...windows].includes(key)),
    `stream, epoch and the windows, no key per send: ${keys.join(' ')}`)
  const held = (await Promise.all(windows.map(async (key) => await admin.hlen(key)))).reduce((a, b) => a + b, 0)
  t.ok(held > 0 && held < 30, `${held} of 60 keys held: those of about the last two ttls`)
  t.ok((await Promise.all(windows.map(async (key) => await admin.pttl(key)))).every((ms) => ms === -2 || (ms > 0 && ms <= 100)), 'each window expires with its newest key')
  const { '': started, ...fields } = await admin.hgetall(windows[0]!)
  t.ok(Number(started) > Date.now() - 1000, 'field \'\' holds when the window started')
  t.ok(Object.entries(fields).every(([field, value]) => field.length === 11 && /^\d+-\d+\/100$/.test(value)), 'the others: a key\'s digest → <id>/<ttl>')
  await sleep(150)
  t.same(await admin.keys(`${prefix}log-idempotency-window:*`), [], 'gone once idle past the ttl')
})

t.test('redis: an idempotency key stored as a key of its own before windows still holds', async (t) => {
  const prefix = redis.prefix()
  const engine = await connectRedisEngine({ url: redis.url, prefix })
  t.teardown(() => engine.close())
  const first = await engine.logs.append('room', 'x', { maxLen: 100 })
  await admin.set(`${prefix}log-idempotency:4:room:msg:u:c1`, first.id, 'PX', 10_000)
  t.same(await engine.logs.append('room', 'x', { maxLen: 100, idempotency: { key: 'msg:u:c1', ttlMs: 10_000 } }), { ...first, duplicate: true })
  t.equal((await engine.logs.info('room')).length, 1, 'nothing stored')
})

t.test('redis: a group\'s claims are fields of deadlines in a hash that expires with the group\'s newest claim', async (t) => {
  const prefix = redis.prefix()
  const engine = await connectRedisEngine({ url: redis.url, prefix })
  t.teardown(() => engine.close())
  for (let i = 0; i < 5; i++) t.equal(await engine.kv.claim('used-tokens:{u1}', `jti-${i}`, 60_000), true)
  const keys = (await admin.keys(`${prefix}*`)).sort()
  t.same(keys, [`${prefix}claims:used-tokens:{u1}:current`], 'claims within one ttl share one hash')
  const { '': started, ...fields } = await admin.hgetall(keys[0]!)
  t.ok(Number(started) <= Date.now(), 'which records when it started')
  const deadlines = Object.values(fields).map(Number)
  t.equal(deadlines.length, 5)
  t.ok(deadlines.every((at) => at > Date.now() + 55_000 && at <= Date.now() + 60_000), 'each member holds its deadline in ms')
  t.ok((await admin.pttl(keys[0]!)) > 55_000)
})

t.test('redis: the epoch changes when the log is lost', async (t) => {
  const prefix = redis.prefix()
  const engine = await connectRedisEngine({ url: redis.url, prefix })
  t.teardown(() => engine.close())
  const { epoch } = await engine.logs.append('room', 'x', { maxLen: 10 })
  t.equal((await engine.logs.info('room')).epoch, epoch)
  await admin.del(...await admin.keys(`${prefix}*`))
  const lost = await engine.logs.info('room')
  t.same({ epoch: lost.epoch, length: lost.length, lastId: lost.lastId }, { epoch: null, length: 0, lastId: null }, 'an empty log without an epoch')
  const again = await engine.logs.append('room', 'y', { maxLen: 10 })
  t.not(again.epoch, epoch, 'the next append makes a new epoch')
  t.equal((await engine.logs.info('room')).epoch, again.epoch, 'which stays')
})

t.test('redis: a presence set\'s keys expire 10 minutes after its newest entry, never sooner', async (t) => {
  const prefix = redis.prefix()
  const engine = await connectRedisEngine({ url: redis.url, prefix })
  t.teardown(() => engine.close())
  const lives = async (set: string): Promise<number[]> =>
    await Promise.all([admin.pttl(`${prefix}presence-expiry:${set}`), admin.pttl(`${prefix}presence-values:${set}`)])
  await engine.presence.add('p', 'a', 'v', 10_000)
  const keep = 10_000 + 600_000
  t.ok((await lives('p')).every((ms) => ms > keep - 5000 && ms <= keep), 'the entry\'s TTL and 10 minutes')
  await engine.presence.add('p', 'b', 'v', 1000)
  t.ok((await lives('p')).every((ms) => ms > keep - 5000), 'a shorter entry does not shorten them')
  await engine.presence.addMany([{ set: 'q', member: 'a', value: 'v', ttlMs: 10_000 }])
  t.ok((await lives('q')).every((ms) => ms > keep - 5000 && ms <= keep), 'addMany too')
})

t.test('redis: reading logs that have no entries writes no key', async (t) => {
  const prefix = redis.prefix()
  const engine = await connectRedisEngine({ url: redis.url, prefix })
  t.teardown(() => engine.close())
  for (let i = 0; i < 100; i++) {
    await engine.logs.info(`room-${i}`)
    await engine.logs.readAfterWithin(`room-${i}`, '0-0', 10, 1000)
    await engine.logs.readBefore(`room-${i}`, null, 10)
  }
  t.same(await admin.keys(`${prefix}*`), [])
})

t.test('redis: after CLIENT KILL TYPE pubsub, onInterrupt then onResume fire and delivery resumes', async (t) => {
  const client = new Redis(redis.url, redisClientOptions)
  const subscriber = new Redis(redis.url, redisClientOptions)
  const engine = createRedisEngine({ client, subscriber, prefix: redis.prefix(), ownsClients: true })
  t.teardown(() => engine.close())
  await until(() => engine.isReady(), 5000, 'ready')
  const seen = collector()
  await engine.pubsub.subscribe('room', seen.handler)
  const events: string[] = []
  engine.pubsub.onInterrupt(() => { events.push('interrupt') })
  engine.pubsub.onResume(() => { events.push('resume') })
  t.ok(Number(await client.call('CLIENT', 'KILL', 'TYPE', 'pubsub')) >= 1, 'killed the subscriber connection')
  await until(() => events.includes('resume'), 5000, 'onResume')
  t.same(events, ['interrupt', 'resume'], 'told of the loss first, then of the resume')
  await engine.pubsub.publish('room', 'after')
  await until(() => seen.messages.length === 1, 2000, 'delivery')
  t.same(seen.messages, ['after'])
})

t.test('redis: a non-owning engine leaves the connections open and gives its channels back', async (t) => {
  const prefix = redis.prefix()
  const client = new Redis(redis.url)
  const subscriber = new Redis(redis.url)
  t.teardown(() => { client.disconnect(); subscriber.disconnect() })
  const engine = createRedisEngine({ client, subscriber, prefix })
  await until(() => engine.isReady(), 5000, 'ready')
  await engine.pubsub.subscribe('room', () => {})
  const subscribers = async (): Promise<unknown> => (await admin.call('PUBSUB', 'NUMSUB', `${prefix}room`) as unknown[])[1]
  t.equal(await subscribers(), 1, 'one SUBSCRIBE under the prefix')
  await engine.close()
  t.equal(await subscribers(), 0, 'unsubscribed on close')
  t.equal(client.status, 'ready')
  t.equal(subscriber.status, 'ready')
  t.equal(await client.ping(), 'PONG')
})

t.test('redis: client and subscriber must differ', async (t) => {
  const client = new Redis(redis.url, { lazyConnect: true })
  t.throws(() => createRedisEngine({ client, subscriber: client }), TypeError)
})

t.test('redis: commands of one tick go out in one write, and the socket is not left corked', async (t) => {
  const client = new Redis(redis.url, redisClientOptions)
  const subscriber = new Redis(redis.url, redisClientOptions)
  await Promise.all([client, subscriber].map(async (c) => await new Promise((resolve) => c.once('ready', resolve))))
  const engine = createRedisEngine({ client, subscriber, prefix: redis.prefix(), ownsClients: true })
  t.teardown(() => engine.close())
  let writes = 0
  const stream = client.stream as unknown as { _writev: (chunks: unknown[], done: () => void) => void, _write: (...args: unknown[]) => void }
  const writev = stream._writev.bind(stream)
  const write = stream._write.bind(stream)
  stream._writev = (chunks, done) => { writes++; writev(chunks, done) }
  stream._write = (...args) => { writes++; write(...args) }
  const [a, b, c] = await Promise.all([engine.kv.set('a', '1'), engine.kv.setIfAbsent('b', '2'), engine.kv.get('a')])
  t.same([a, b, c], [undefined, true, '1'], 'each command gets its own answer')
  t.equal(writes, 1, 'three commands, one write')
  t.equal(client.stream.writableCorked, 0, 'uncorked after the tick')
  t.equal(await engine.kv.get('b'), '2', 'and later commands still go out')
})
