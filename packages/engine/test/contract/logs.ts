import type { Test } from 'tap'
import type { Engine } from '../../src/index.js'
import { collector, idOrder, sleep, until, type Setup } from './support.js'

async function fill (engine: Engine, log: string, count: number, maxLen = 1000): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) ids.push((await engine.logs.append(log, `m${i}`, { maxLen })).id)
  return ids
}

export function logsContract (t: Test, setup: Setup): void {
  t.test('logs: 200 concurrent appends get unique, strictly increasing ids', async (t) => {
    const { logs } = await setup(t)
    const results = await Promise.all(Array.from({ length: 200 }, async (_, i) => await logs.append('room', `m${i}`, { maxLen: 1000 })))
    const ids = results.map((r) => r.id)
    t.ok(ids.every((id) => /^\d+-\d+$/.test(id)), 'ids look like <ms>-<seq>')
    t.equal(new Set(ids).size, 200, 'unique')
    t.same([...ids].sort(idOrder), ids, 'increasing in call order')
    t.ok(ids.every((id, i) => i === 0 || idOrder(ids[i - 1]!, id) < 0), 'strictly increasing')
    const stored = await logs.readAfter('room', '0-0', 500)
    t.same(stored, results.map((r, i) => ({ id: r.id, data: `m${i}` })), 'stored in id order with their data')
    t.equal(new Set(results.map((r) => r.epoch)).size, 1, 'one epoch')
  })

  t.test('logs: readAfter and readBefore ranges and limits', async (t) => {
    const engine = await setup(t)
    const { logs } = engine
    const ids = await fill(engine, 'room', 30)
    const after = await logs.readAfter('room', ids[9]!, 5)
    t.same(after.map((e) => e.id), ids.slice(10, 15), 'after an id, oldest first, limited')
    t.same(after.map((e) => e.data), ['m10', 'm11', 'm12', 'm13', 'm14'])
    t.same((await logs.readAfter('room', '0', 100)).map((e) => e.id), ids, "'0' reads from the start")
    t.same(await logs.readAfter('room', ids[29]!, 10), [], 'nothing after the last id')
    t.same(await logs.readAfter('room', ids[0]!, 0), [], 'limit 0')
    t.same((await logs.readBefore('room', null, 4)).map((e) => e.id), ids.slice(26), 'the newest, oldest first')
    t.same((await logs.readBefore('room', ids[10]!, 3)).map((e) => e.id), ids.slice(7, 10), 'before an id')
    t.same((await logs.readBefore('room', ids[2]!, 10)).map((e) => e.id), ids.slice(0, 2), 'fewer than the limit')
    t.same(await logs.readBefore('room', ids[0]!, 10), [], 'nothing before the first')
    t.same(await logs.readBefore('room', '0-0', 10), [])
    t.same(await logs.readBefore('room', null, 0), [])
    t.same(await logs.readAfter('empty', '0-0', 10), [], 'a missing log reads empty')
    t.same(await logs.readBefore('empty', null, 10), [])
    await t.rejects(logs.readAfter('room', 'not-an-id', 10), RangeError)
    await t.rejects(logs.readBefore('room', '12-x', 10), RangeError)
    await t.rejects(logs.readAfter('room', '0', -1), RangeError)
  })

  t.test('logs: trimming to maxLen records maxDeletedId', async (t) => {
    const engine = await setup(t)
    const { logs } = engine
    const ids = await fill(engine, 'room', 3, 4)
    t.equal((await logs.info('room')).maxDeletedId, null, 'nothing dropped yet')
    ids.push(...await fill(engine, 'room', 7, 4))
    const info = await logs.info('room')
    t.same({ length: info.length, firstId: info.firstId, lastId: info.lastId, maxDeletedId: info.maxDeletedId },
      { length: 4, firstId: ids[6], lastId: ids[9], maxDeletedId: ids[5] })
    t.same((await logs.readAfter('room', '0', 100)).map((e) => e.id), ids.slice(6))
    await t.rejects(logs.append('room', 'x', { maxLen: 0 }), RangeError)
  })

  t.test('logs: the first append makes the epoch, which then stays; reading a missing log makes nothing', async (t) => {
    const { logs } = await setup(t)
    const empty = { epoch: null, length: 0, firstId: null, lastId: null, maxDeletedId: null, seq: 0 }
    t.same(await logs.info('fresh'), empty, 'a log never appended to has no epoch')
    t.same(await logs.readAfterWithin('fresh', '0-0', 10, 100), [])
    t.same(await logs.info('fresh'), empty, 'reading it made none')
    const first = await logs.append('fresh', 'x', { maxLen: 10 })
    t.ok(first.epoch.length >= 8, 'a random epoch')
    t.equal((await logs.info('fresh')).epoch, first.epoch, 'info reports the epoch the append made')
    t.equal((await logs.append('fresh', 'y', { maxLen: 10 })).epoch, first.epoch, 'stable across appends')
    const other = await logs.append('other', 'x', { maxLen: 10 })
    t.not(other.epoch, first.epoch, 'each log has its own epoch')
  })

  t.test('logs: appendExisting stores only into a log that exists, and never makes one', async (t) => {
    const { logs, pubsub } = await setup(t)
    const seen = collector()
    // A log's channel carries the log as hash tag: on a cluster the append publishes on its shard.
    await pubsub.subscribe('c:{new}', seen.handler)
    const options = { maxLen: 10, publish: { channel: 'c:{new}', before: '', after: '' }, idempotency: { key: 'k1', ttlMs: 10_000 } }
    t.equal(await logs.appendExisting('new', 'x', options), null, 'a log never appended to: nothing stored')
    t.same(await logs.info('new'), { epoch: null, length: 0, firstId: null, lastId: null, maxDeletedId: null, seq: 0 }, 'no epoch, no entry made')
    const first = await logs.append('new', 'x', options)
    t.same(await logs.appendExisting('new', 'x', options), { ...first, duplicate: true }, 'the idempotency key of the making append still holds')
    const next = await logs.appendExisting('new', 'y', { ...options, idempotency: { key: 'k2', ttlMs: 10_000 } })
    t.equal(next?.epoch, first.epoch, 'same epoch')
    t.equal(next?.duplicate, false)
    t.same((await logs.readAfter('new', '0', 10)).map((e) => e.data), ['x', 'y'])
    await sleep(150)
    t.same(seen.messages, [first.id, next?.id], 'only the stored appends were published')
    await t.rejects(logs.appendExisting('new', 'z', { maxLen: 0 }), RangeError, 'arguments are checked as for append')
  })

  t.test('logs: readAfterWithin returns what readAfter would when it fits in the byte cap, else null', async (t) => {
    const { logs } = await setup(t)
    const ids: string[] = []
    for (const data of ['aaaa', 'bbbb', 'é'.repeat(2), 'cccc']) ids.push((await logs.append('room', data, { maxLen: 100 })).id)
    const read = async (afterId: string, limit: number, maxBytes: number): Promise<string[] | null> =>
      (await logs.readAfterWithin('room', afterId, limit, maxBytes))?.map((e) => e.id) ?? null
    t.same(await read('0-0', 100, 16), ids, '4 + 4 + 4 + 4 bytes fit in 16')
    t.same(await read('0-0', 100, 15), null, 'not in 15: é is two UTF-8 bytes')
    t.same(await read('0-0', 2, 8), ids.slice(0, 2), 'the limit first: what it leaves fits')
    t.same(await read(ids[1]!, 100, 8), ids.slice(2), 'after an id')
    t.same(await read(ids[3]!, 100, 0), [], 'nothing after the last fits in anything')
    t.same(await logs.readAfterWithin('missing', '0-0', 10, 10), [], 'a missing log reads empty')
    t.same((await logs.readAfterWithin('room', '0-0', 100, 16))!.map((e) => e.data), ['aaaa', 'bbbb', 'éé', 'cccc'], 'with their data')
    for (let i = 0; i < 250; i++) await logs.append('long', `m${i}`, { maxLen: 1000 })
    t.equal((await logs.readAfterWithin('long', '0-0', 1000, 1_000_000))?.length, 250, 'past one batch of the server-side read')
    t.equal(await logs.readAfterWithin('long', '0-0', 1000, 2 * 10 + 3 * 90 + 4 * 150 - 1), null, 'one byte short of the whole log')
    await t.rejects(logs.readAfterWithin('room', '0-0', 10, -1), RangeError)
  })

  t.test('logs: publish before + id + after in the same step', async (t) => {
    const { logs, pubsub } = await setup(t)
    const seen = collector()
    await pubsub.subscribe('channel:{room}', seen.handler)
    const publish = { channel: 'channel:{room}', before: '{"id":"', after: '"}' }
    const results = await Promise.all(Array.from({ length: 10 }, async (_, i) => await logs.append('room', `m${i}`, { maxLen: 100, publish })))
    await until(() => seen.messages.length === 10)
    t.same(seen.messages, results.map((r) => `{"id":"${r.id}"}`), 'one message per append, in id order')
  })

  t.test('logs: idempotent appends store and publish once', async (t) => {
    const { logs, pubsub } = await setup(t)
    const seen = collector()
    await pubsub.subscribe('c:{room}', seen.handler)
    await pubsub.subscribe('c:{other-room}', seen.handler)
    const options = { maxLen: 100, publish: { channel: 'c:{room}', before: '', after: '' }, idempotency: { key: 'client-1', ttlMs: 10_000 } }
    const first = await logs.append('room', 'hello', options)
    const again = await logs.append('room', 'hello', options)
    t.same(again, { ...first, duplicate: true }, 'the same id, flagged duplicate')
    t.equal(first.duplicate, false)
    const racing = await Promise.all(Array.from({ length: 10 }, async () => await logs.append('room', 'race', { ...options, idempotency: { key: 'client-2', ttlMs: 10_000 } })))
    t.equal(racing.filter((r) => !r.duplicate).length, 1, 'one of 10 concurrent appends stores')
    t.equal(new Set(racing.map((r) => r.id)).size, 1, 'all get the same id')
    const elsewhere = await logs.append('other-room', 'hello', { ...options, publish: { ...options.publish, channel: 'c:{other-room}' } })
    t.equal(elsewhere.duplicate, false, 'keys are per log')
    t.equal((await logs.info('room')).length, 2)
    await sleep(250)
    // Two logs on two shards of a cluster: their publishes reach a subscriber in either order;
    // what holds is once per stored entry.
    t.same([...seen.messages].sort(idOrder), [first.id, racing[0]!.id, elsewhere.id].sort(idOrder), 'published once per stored entry')
  })

  t.test('logs: an idempotency key expires with its ttl', async (t) => {
    const { logs } = await setup(t)
    const options = { maxLen: 100, idempotency: { key: 'k', ttlMs: 150 } }
    const first = await logs.append('room', 'x', options)
    await sleep(400)
    const later = await logs.append('room', 'x', options)
    t.equal(later.duplicate, false)
    t.not(later.id, first.id)
  })

  t.test('logs: a key stays a duplicate for its whole ttl, however many keys come after it', async (t) => {
    const { logs } = await setup(t)
    await logs.append('room', 'before', { maxLen: 1000, idempotency: { key: 'before', ttlMs: 60 } })
    const first = await logs.append('room', 'x', { maxLen: 1000, idempotency: { key: 'k', ttlMs: 1500 } })
    // Short-lived keys before and after it: on Redis they turn the log's windows over.
    for (let i = 0; i < 6; i++) {
      await logs.append('room', `s${i}`, { maxLen: 1000, idempotency: { key: `short-${i}`, ttlMs: 60 } })
      await sleep(80)
    }
    const again = await logs.append('room', 'x', { maxLen: 1000, idempotency: { key: 'k', ttlMs: 1500 } })
    t.same(again, { ...first, duplicate: true }, 'repeated after the windows turned over: still the first id')
    const short = await logs.append('room', 's0', { maxLen: 1000, idempotency: { key: 'short-0', ttlMs: 60 } })
    t.equal(short.duplicate, false, 'a short key that expired meanwhile stores again')
    await sleep(1600)
    t.equal((await logs.append('room', 'x', { maxLen: 1000, idempotency: { key: 'k', ttlMs: 1500 } })).duplicate, false, 'and the long one after its ttl')
    t.equal((await logs.info('room')).length, 10)
  })

  t.test('logs: each key keeps the ttl it was stored with, whatever ttl a repeat gives', async (t) => {
    const { logs } = await setup(t)
    const long = await logs.append('room', 'x', { maxLen: 100, idempotency: { key: 'long', ttlMs: 10_000 } })
    await logs.append('room', 'y', { maxLen: 100, idempotency: { key: 'short', ttlMs: 100 } })
    await sleep(250)
    t.same(await logs.append('room', 'x', { maxLen: 100, idempotency: { key: 'long', ttlMs: 100 } }), { ...long, duplicate: true },
      'stored for 10 s: a duplicate though the repeat says 100 ms')
    t.equal((await logs.append('room', 'y', { maxLen: 100, idempotency: { key: 'short', ttlMs: 10_000 } })).duplicate, false,
      'stored for 100 ms: gone though the repeat says 10 s')
    const keys = Array.from({ length: 300 }, (_, i) => `many-${i}`)
    const stored = await Promise.all(keys.map(async (key) => await logs.append('room', key, { maxLen: 1000, idempotency: { key, ttlMs: 10_000 } })))
    const repeated = await Promise.all(keys.map(async (key) => await logs.append('room', key, { maxLen: 1000, idempotency: { key, ttlMs: 10_000 } })))
    t.ok(stored.every((r) => !r.duplicate), '300 distinct keys: 300 entries')
    t.same(repeated.map((r) => r.id), stored.map((r) => r.id), 'each repeat returns its own first id')
  })
}
