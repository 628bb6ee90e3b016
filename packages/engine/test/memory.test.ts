import t from 'tap'
import { createMemoryEngine, EngineUnavailableError, names } from '../src/index.js'
import { engineContract } from './contract.js'
import { sleep } from './contract/support.js'

engineContract(t, 'memory', async (options) => createMemoryEngine(options))

t.test('memory: a full store refuses new names and keeps every live one', async (t) => {
  const engine = createMemoryEngine({ maxKeys: 4 })
  t.teardown(() => engine.close())
  await engine.kv.set('a', '1')
  await engine.counters.increment('b', 10_000)
  await engine.logs.append('c', 'x', { maxLen: 10 })
  await engine.presence.add('d', 'm', 'v', 10_000)
  await t.rejects(engine.kv.set('e', '5'), EngineUnavailableError, 'a new key is refused')
  await t.rejects(engine.kv.setIfAbsent('e', '5', 1000), EngineUnavailableError)
  await t.rejects(engine.counters.increment('f', 10_000), EngineUnavailableError, 'a new counter is refused')
  await t.rejects(engine.logs.append('g', 'x', { maxLen: 10 }), EngineUnavailableError, 'a new log is refused')
  await t.rejects(engine.presence.add('h', 'm', 'v', 10_000), EngineUnavailableError, 'a new presence set is refused')
  await t.rejects(engine.logs.append('c', 'y', { maxLen: 10, idempotency: { key: 'k', ttlMs: 10_000 } }), EngineUnavailableError,
    'an append that needs a new idempotency key is refused')
  t.same((await engine.logs.info('g')).epoch, null, 'the refused log was not made')
  t.equal((await engine.logs.info('c')).length, 1, 'the refused append stored nothing')
  t.equal(await engine.kv.get('e'), null)
  t.equal(await engine.kv.get('a'), '1', 'what was stored stays')
  t.equal(await engine.counters.get('b'), 1)
  t.same(await engine.presence.members('d'), [{ member: 'm', value: 'v' }])
  await engine.kv.set('a', '2')
  t.equal((await engine.counters.increment('b', 10_000)).count, 2, 'names already stored still change')
  await engine.logs.append('c', 'y', { maxLen: 10 })
  await engine.presence.add('d', 'n', 'w', 10_000)
  t.equal(await engine.kv.get('a'), '2')
  t.equal((await engine.logs.info('c')).length, 2)
  await engine.kv.delete('a')
  await engine.kv.set('e', '5')
  t.equal(await engine.kv.get('e'), '5', 'a deleted name makes room')
})

t.test('memory: a full store reclaims expired entries before refusing', async (t) => {
  const engine = createMemoryEngine({ maxKeys: 3 })
  t.teardown(() => engine.close())
  await engine.kv.set('oldest', '1')
  await engine.kv.set('short', '2', 50)
  await engine.kv.set('newer', '3')
  await sleep(120)
  await engine.kv.set('new', '4')
  t.equal(await engine.kv.get('oldest'), '1', 'the oldest live entry stays')
  t.equal(await engine.kv.get('newer'), '3')
  t.equal(await engine.kv.get('new'), '4')
  await t.rejects(engine.kv.set('one-more', '5'), EngineUnavailableError, 'full of live entries: refused')
})

t.test('memory: logs have their own bound, so new rooms cannot fill the store', async (t) => {
  const engine = createMemoryEngine({ maxKeys: 100, maxLogs: 2 })
  t.teardown(() => engine.close())
  await engine.logs.append('r1', 'x', { maxLen: 10 })
  await engine.logs.append('r2', 'x', { maxLen: 10 })
  await t.rejects(engine.logs.append('r3', 'x', { maxLen: 10 }), { name: 'EngineUnavailableError', message: /most logs \(2\)/ })
  await engine.logs.append('r1', 'y', { maxLen: 10 })
  for (let i = 0; i < 90; i++) await engine.kv.set(`k${i}`, 'v')
  t.pass('the rest of the store is free for other state')
})

t.test('memory: reading rooms that have no messages stores nothing', async (t) => {
  const engine = createMemoryEngine({ maxKeys: 2 })
  t.teardown(() => engine.close())
  await engine.kv.set('a', '1')
  for (let i = 0; i < 1000; i++) {
    await engine.logs.info(`room-${i}`)
    await engine.logs.readAfterWithin(`room-${i}`, '0-0', 10, 1000)
    await engine.logs.readBefore(`room-${i}`, null, 10)
  }
  await engine.kv.set('b', '2')
  t.equal(await engine.kv.get('a'), '1', 'the store holds what it held before the reads')
  t.equal(await engine.kv.get('b'), '2', 'and has the room it had')
})

t.test('memory: a flood past the bound leaves revocations, used token ids, sessions and counters intact', async (t) => {
  const engine = createMemoryEngine({ maxKeys: 500, maxLogs: 50 })
  t.teardown(() => engine.close())
  const day = 24 * 3600_000
  await engine.kv.set(names.revokedSession('s-revoked'), '1', day)
  await engine.kv.set('jti:used-token', '1', 60_000)
  await engine.kv.set('session:alive', '{"user":"ada"}', day)
  await engine.counters.increment('code-ip:203.0.113.9', 600_000, 7)
  // What a signed-in user can make the chat service write: presence per joined room, room logs
  // and idempotency keys per send, typing keys, read markers.
  let refused = 0
  for (let i = 0; i < 2000; i++) {
    const room = `made-up-${i}`
    const writes = [
      engine.logs.info(`room-log:${room}`),
      engine.presence.add(`presence:${room}`, 'u|i', 'v', 45_000),
      engine.logs.append(`room-log:${room}`, 'x', { maxLen: 10, idempotency: { key: `msg:u:${i}`, ttlMs: 300_000 } }),
      engine.kv.setIfAbsent(`typing:${room}:u`, '1', 2000, { share: 'traffic' }),
      engine.kv.set(`read:${room}:u`, '1-0', 90 * day, { share: 'traffic' })
    ]
    for (const result of await Promise.allSettled(writes)) {
      if (result.status === 'fulfilled') continue
      t.type(result.reason, EngineUnavailableError)
      refused++
    }
  }
  t.ok(refused > 1000, `writes past the bound were refused (${refused})`)
  t.equal(await engine.kv.get(names.revokedSession('s-revoked')), '1', 'the revocation stays')
  t.equal(await engine.kv.get('jti:used-token'), '1', 'the used token id stays')
  t.equal(await engine.kv.get('session:alive'), '{"user":"ada"}', 'the session stays')
  t.equal(await engine.counters.get('code-ip:203.0.113.9'), 7, 'the counter stays')
  await engine.kv.set(names.revokedSession('s-after'), '1', day)
  await engine.kv.set('session:after', '{"user":"bob"}', day)
  t.equal(await engine.kv.get('session:after'), '{"user":"bob"}', 'a sign-in and a logout after the flood are still stored')
})

t.test('memory: room traffic and sign-in attempts each stop at their share, leaving room for sessions and revocations', async (t) => {
  const engine = createMemoryEngine({ maxKeys: 100, maxLogs: 10, maxShare: { traffic: 70, attempts: 10 } })
  t.teardown(() => engine.close())
  await engine.logs.append('room', 'x', { maxLen: 5 })
  let sends = 0
  for (let i = 0; i < 200; i++) {
    try {
      await engine.logs.append('room', 'x', { maxLen: 5, idempotency: { key: `k${i}`, ttlMs: 60_000 } })
      sends++
    } catch (err) {
      t.match(err, { name: 'EngineUnavailableError', message: /share for room traffic is full \(70 keys/ })
      break
    }
  }
  t.equal(sends, 69, 'one log and 69 idempotency keys: the room-traffic share')
  await t.rejects(engine.presence.add('presence:room', 'm', 'v', 1000), EngineUnavailableError, 'presence is room traffic too')
  await t.rejects(engine.kv.set('read:room:u', '1-0', 1000, { share: 'traffic' }), EngineUnavailableError, 'a read marker is room traffic')
  await t.rejects(engine.kv.setIfAbsent('typing:room:u', '1', 1000, { share: 'traffic' }), EngineUnavailableError, 'a typing key too')
  await t.rejects(engine.counters.increment('new-rooms:u', 1000, 1, { share: 'traffic' }), EngineUnavailableError, 'and a counter of it')
  for (let i = 0; i < 10; i++) await engine.counters.increment(`code-ip:${i}`, 60_000, 1, { share: 'attempts' })
  await t.rejects(engine.kv.set('code:x', 'v', 1000, { share: 'attempts' }), { message: /share for sign-in attempts is full \(10 keys/ }, 'sign-in attempts stop at theirs')
  t.equal((await engine.counters.increment('code-ip:3', 60_000, 1, { share: 'attempts' })).count, 2, 'a counter already there still counts')
  for (let i = 0; i < 20; i++) await engine.kv.set(`session:${i}`, 'v', 60_000)
  t.pass('20 sessions still fit')
  await t.rejects(engine.counters.increment('one-more', 1000), { message: /is full \(100 keys\)/ }, 'then the store is full')
  t.throws(() => createMemoryEngine({ maxKeys: 10, maxShare: { traffic: 6, attempts: 4 } }), RangeError, 'the shares must leave room for state')
})

t.test('memory: log ids keep increasing when the clock goes backwards', async (t) => {
  let clock = 5000
  const engine = createMemoryEngine({ now: () => clock })
  t.teardown(() => engine.close())
  const append = async (): Promise<string> => (await engine.logs.append('room', 'x', { maxLen: 10 })).id
  t.equal(await append(), '5000-0')
  t.equal(await append(), '5000-1', 'same ms: next seq')
  clock = 4000
  t.equal(await append(), '5000-2', 'an earlier clock keeps the last ms')
  clock = 6000
  t.equal(await append(), '6000-0', 'a later ms restarts seq')
})

t.test('memory: onResume and onInterrupt never fire; a closed engine refuses calls', async (t) => {
  const engine = createMemoryEngine({ sweepIntervalMs: 10 })
  let told = 0
  const offResume = engine.pubsub.onResume(() => { told++ })
  const offInterrupt = engine.pubsub.onInterrupt(() => { told++ })
  await sleep(50)
  offResume()
  offInterrupt()
  t.equal(told, 0)
  await engine.close()
  await t.rejects(engine.logs.append('r', 'x', { maxLen: 1 }), EngineUnavailableError)
  await t.rejects(engine.pubsub.subscribe('c', () => {}), EngineUnavailableError)
})

t.test('memory: queues keep the engine\'s clock', async (t) => {
  let clock = 1_000_000
  const engine = createMemoryEngine({ now: () => clock })
  t.teardown(() => engine.close())
  const retry = { count: 1, retryAfterMs: [5000] }
  const id = await engine.queues.push('q', 'x', 10)
  t.equal(id, '1000000-0', 'ids from the clock')
  t.same(await engine.queues.take('q', 'a', retry), [{ id, data: 'x', attempt: 1 }])
  clock += 4999
  t.same(await engine.queues.take('q', 'b', retry), [], 'held until the delay has passed on the clock')
  clock += 1
  t.same(await engine.queues.take('q', 'b', retry), [{ id, data: 'x', attempt: 2 }])
  t.equal(await engine.queues.bury('q', id!, 'r', 10), true)
  t.match(await engine.queues.dead('q', null, 10), [{ id: '1005000-0', attempts: 2, at: 1_005_000 }], 'buried at the clock\'s time')
})
