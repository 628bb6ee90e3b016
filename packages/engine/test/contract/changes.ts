import type { Test } from 'tap'
import type { AppendGuard } from '../../src/index.js'
import { collector, until, type Setup } from './support.js'

// Names share the hash tag {r}, so that on Redis Cluster one append may touch them together.
const LOG = 'log:{r}'
const STATES = 'states:{r}'
const CHANNEL = 'chan:{r}'
const MARK = 'mark:{r}:ada'

export function changesContract (t: Test, setup: Setup): void {
  t.test('logs: sequence numbers the appends that ask for it, in the data and the published frame', async (t) => {
    const engine = await setup(t)
    const { logs, pubsub } = engine
    const seen = collector()
    await pubsub.subscribe(CHANNEL, seen.handler)
    const first = await logs.append(LOG, '{"seq":\u0000,"a":1}', { maxLen: 10, sequence: true, publish: { channel: CHANNEL, before: '<', after: '|seq=\u0000>' } })
    const plain = await logs.append(LOG, '{"kind":"x"}', { maxLen: 10 })
    const second = await logs.append(LOG, '{"seq":\u0000,"text":"a\\u0000b"}', { maxLen: 10, sequence: true, idempotency: { key: 'k', ttlMs: 10_000 } })
    const repeat = await logs.append(LOG, '{"seq":\u0000}', { maxLen: 10, sequence: true, idempotency: { key: 'k', ttlMs: 10_000 } })
    t.equal(first.seq, 1)
    t.equal(plain.seq, undefined, 'an append without sequence takes no number')
    t.equal(second.seq, 2, 'numbers only the appends that ask')
    t.same({ duplicate: repeat.duplicate, id: repeat.id, seq: repeat.seq }, { duplicate: true, id: second.id, seq: undefined }, 'a duplicate takes no number')
    t.same((await logs.readAfter(LOG, '0-0', 10)).map((e) => e.data), ['{"seq":1,"a":1}', '{"kind":"x"}', '{"seq":2,"text":"a\\u0000b"}'],
      'the first raw NUL is replaced; an escaped one in JSON text is not')
    await until(() => seen.messages.length === 1)
    t.same(seen.messages, [`<${first.id}|seq=1>`], 'the published frame carries the number too')
    const third = await logs.append(LOG, '{"seq":\u0000}', { maxLen: 2, sequence: true })
    t.equal(third.seq, 3, 'trimming does not renumber')
    t.equal((await logs.info(LOG)).seq, 3, 'info reports the last number given')
  })

  t.test('logs: entry states go with the entries trimmed, and with the changes that name them', async (t) => {
    const { logs, maps } = await setup(t)
    const options = { maxLen: 3, entryStates: STATES }
    const a = await logs.append(LOG, '{"m":"a"}', options)
    const b = await logs.append(LOG, '{"m":"b"}', options)
    await maps.write(STATES, { set: { [a.id]: 'edited a' } })
    const deleted = await logs.change(LOG, `{"kind":"delete","target":"${b.id}"}`, options, { map: STATES, field: b.id, expect: null, value: 'deleted', remove: [b.id] })
    if (deleted === null || deleted === 'conflict') throw new Error('the deletion should be stored')
    t.same((await logs.readAfter(LOG, '0-0', 10)).map((e) => e.id), [a.id, deleted.id], 'b was removed, its deletion stored')
    await logs.append(LOG, '{"m":"c"}', options)
    t.same(await maps.all(STATES), { [a.id]: 'edited a', [b.id]: 'deleted' })
    await logs.append(LOG, '{"m":"d"}', options)
    t.same(await maps.all(STATES), { [b.id]: 'deleted' }, 'a trimmed: its state went with it; b\'s stays while its deletion is in the log')
    await logs.append(LOG, '{"m":"e"}', options)
    t.same(await maps.all(STATES), {}, 'the deletion trimmed: the state of the message it names went with it')
  })

  t.test('logs: change appends under a guard, sets the state and removes entries in one step', async (t) => {
    const { logs, maps } = await setup(t)
    t.equal(await logs.change(LOG, 'x', { maxLen: 10 }, { map: STATES, field: 'f', expect: null, value: 'v' }), null, 'no log: nothing stored')
    t.equal(await maps.count(STATES), 0, 'and no state set')
    const message = await logs.append(LOG, '{"m":"secret"}', { maxLen: 10, entryStates: STATES })
    const edit = await logs.append(LOG, '{"kind":"edit","text":"secret 2"}', { maxLen: 10, entryStates: STATES })
    const infoBefore = await logs.info(LOG)
    const guard: AppendGuard = { map: STATES, field: message.id, expect: null, value: '{"deleted":true}', remove: [message.id, edit.id] }
    const options = { maxLen: 10, entryStates: STATES, idempotency: { key: 'del', ttlMs: 10_000 } }
    const stale = await logs.change(LOG, '{"kind":"delete"}', options, { ...guard, expect: 'something else' })
    t.equal(stale, 'conflict', 'the field does not hold what was expected: refused')
    t.equal((await logs.info(LOG)).length, 2, 'and nothing was stored or removed')
    const done = await logs.change(LOG, `{"kind":"delete","target":"${message.id}"}`, options, guard)
    if (done === null || done === 'conflict') throw new Error('the change should be stored')
    t.equal(done.duplicate, false)
    t.same((await logs.readAfter(LOG, '0-0', 10)).map((e) => e.id), [done.id], 'the message and its edit are gone from the log')
    t.equal(await maps.get(STATES, message.id), '{"deleted":true}', 'the state was set')
    const info = await logs.info(LOG)
    t.equal(info.maxDeletedId, infoBefore.maxDeletedId, 'removed entries are not reported as trimmed')
    t.same(await logs.change(LOG, 'again', options, guard), { ...done, duplicate: true }, 'a repeat returns the first result, whatever the guard')
    t.equal(await logs.change(LOG, 'x', { maxLen: 10 }, { map: STATES, field: message.id, expect: '{"deleted":true}', value: null }) !== 'conflict', true, 'a guard on the present value holds')
    t.equal(await maps.get(STATES, message.id), null, 'a null value deletes the field')
    await t.rejects(logs.change(LOG, 'x', { maxLen: 10 }, { ...guard, expect: null, remove: ['nope'] }), RangeError, 'ids to remove are checked')
  })

  t.test('logs: a stamp is set to the append\'s id, number and epoch in the same step, with its ttl', async (t) => {
    const { logs, kv } = await setup(t)
    const first = await logs.append(LOG, '{"seq":\u0000}', { maxLen: 10, sequence: true, stamp: { key: MARK, ttlMs: 60_000 } })
    t.equal(await kv.get(MARK), `${first.id} 1 ${first.epoch}`)
    const ttl = await kv.ttl(MARK)
    t.ok(ttl !== null && ttl > 50_000 && ttl <= 60_000, `expires with its ttl (${ttl} ms)`)
    const plain = await logs.append(LOG, 'x', { maxLen: 10, stamp: { key: MARK, ttlMs: 60_000 } })
    t.equal(await kv.get(MARK), `${plain.id} 0 ${plain.epoch}`, 'without a number: 0')
    const repeat = await logs.append(LOG, 'y', { maxLen: 10, idempotency: { key: 'k', ttlMs: 10_000 } })
    await kv.set(MARK, 'kept')
    t.equal((await logs.append(LOG, 'y', { maxLen: 10, idempotency: { key: 'k', ttlMs: 10_000 }, stamp: { key: MARK, ttlMs: 60_000 } })).id, repeat.id)
    t.equal(await kv.get(MARK), 'kept', 'a duplicate stamps nothing')
    await t.rejects(logs.append(LOG, 'z', { maxLen: 10, stamp: { key: MARK, ttlMs: 0 } }), RangeError, 'the ttl is checked')
  })
}
