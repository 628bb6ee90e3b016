import { Redis } from 'ioredis'
import t from 'tap'
import { startRedis } from '@webchat/testkit'
import { connectRedisEngine, createRedisEngine, redisClientOptions } from '../src/index.js'
import { engineContract } from './contract.js'
import { pushAll, takeWhenDue } from './contract/queues.js'
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
  t.equal(keys.length, 7, 'kv, counter, log, epoch, idempotency, presence expiry and values (a set of one entry keeps no recent changes)')
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
    await Promise.all([admin.pttl(`${prefix}presence-expiry:${set}`), admin.pttl(`${prefix}presence-values:${set}`), admin.pttl(`${prefix}presence-log:${set}`)])
  await engine.presence.add('p', 'a', 'v', 10_000)
  const keep = 10_000 + 600_000
  t.ok((await lives('p')).slice(0, 2).every((ms) => ms > keep - 5000 && ms <= keep), 'the entry\'s TTL and 10 minutes')
  t.equal((await lives('p'))[2], -2, 'one entry: no list of recent changes')
  await engine.presence.add('p', 'b', 'v', 1000)
  t.ok((await lives('p')).every((ms) => ms > keep - 5000), 'a shorter entry does not shorten them, nor the list the second one started')
  await engine.presence.addMany([{ set: 'q', member: 'a', value: 'v', ttlMs: 10_000 }, { set: 'q', member: 'b', value: 'v', ttlMs: 10_000 }])
  t.ok((await lives('q')).every((ms) => ms > keep - 5000 && ms <= keep), 'addMany too')
  await engine.presence.remove('q', 'a')
  await engine.presence.remove('q', 'b')
  t.same(await lives('q'), [-2, -2, -2], 'an empty set leaves no key')
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

t.test('redis: a queue is two streams; a consumer stays in the group only while it holds entries; reads write nothing', async (t) => {
  const prefix = redis.prefix()
  const engine = await connectRedisEngine({ url: redis.url, prefix })
  t.teardown(() => engine.close())
  const { queues } = engine
  await queues.take('unused', 'a', { count: 10, retryAfterMs: [100] })
  await queues.depth('unused')
  await queues.dead('unused', null, 10)
  t.equal(await queues.replay('unused', 10), 0)
  t.equal(await queues.bury('unused', '1-1', 'r', 10), false)
  t.same(await admin.keys(`${prefix}*`), [], 'a queue never pushed to has no key')

  const [first, second] = await pushAll(queues, 'mails', ['x', 'y'])
  await queues.take('mails', 'a', { count: 1, retryAfterMs: [60_000] })
  await queues.take('mails', 'b', { count: 1, retryAfterMs: [60_000] })
  const consumers = async (): Promise<string[]> =>
    (await admin.xinfo('CONSUMERS', `${prefix}queue:mails`, 'workers') as string[][]).map((fields) => fields[1]!).sort()
  t.same(await consumers(), ['a', 'b'], 'each holds one entry')
  await queues.take('mails', 'c', { count: 1, retryAfterMs: [60_000] })
  t.same(await consumers(), ['a', 'b'], 'one that got nothing is not kept')
  await queues.ack('mails', first!)
  await queues.bury('mails', second!, 'r', 10)
  t.same(await consumers(), [], 'nor one that holds nothing any more')
  t.same((await admin.keys(`${prefix}*`)).sort(), [`${prefix}queue-dead:mails`, `${prefix}queue:mails`])
})

t.test('redis: the entry of an engine whose connection closed goes to another engine after its delay', async (t) => {
  const prefix = redis.prefix()
  const [stopped, alive] = await Promise.all([connectRedisEngine({ url: redis.url, prefix }), connectRedisEngine({ url: redis.url, prefix })])
  t.teardown(() => alive.close())
  const retry = { count: 1, retryAfterMs: [200] }
  const id = await alive.queues.push('hooks', 'delivery', 10)
  t.same(await stopped.queues.take('hooks', 'instance-1', retry), [{ id, data: 'delivery', attempt: 1 }])
  await stopped.close()
  t.same(await alive.queues.take('hooks', 'instance-2', retry), [], 'not before the delay')
  t.same(await takeWhenDue(alive.queues, 'hooks', 'instance-2', retry), [{ id, data: 'delivery', attempt: 2 }])
  const consumers = await admin.xinfo('CONSUMERS', `${prefix}queue:hooks`, 'workers') as string[][]
  t.same(consumers.map((fields) => fields[1]), ['instance-2'], 'the stopped instance\'s name is gone from the group')
  t.equal(await alive.queues.ack('hooks', id!), true)
})

t.test('redis: a held entry deleted from its stream behind the engine\'s back is dropped from the group, not handed out', async (t) => {
  const prefix = redis.prefix()
  const engine = await connectRedisEngine({ url: redis.url, prefix })
  t.teardown(() => engine.close())
  const retry = { count: 2, retryAfterMs: [50] }
  const [gone, kept] = await pushAll(engine.queues, 'q', ['gone', 'kept'])
  await engine.queues.take('q', 'a', retry)
  await admin.xdel(`${prefix}queue:q`, gone!)
  t.same(await takeWhenDue(engine.queues, 'q', 'b', retry), [{ id: kept, data: 'kept', attempt: 2 }])
  t.same(await engine.queues.depth('q'), { queued: 1, pending: 1, dead: 0 }, 'the deleted entry no longer pending')
})
