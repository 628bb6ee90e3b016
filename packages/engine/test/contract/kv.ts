import type { Test } from 'tap'
import { sleep, type Setup } from './support.js'

export function kvContract (t: Test, setup: Setup): void {
  t.test('kv: get, set, overwrite, delete', async (t) => {
    const { kv } = await setup(t)
    t.equal(await kv.get('missing'), null)
    await kv.set('a', 'one')
    t.equal(await kv.get('a'), 'one')
    await kv.set('a', 'two')
    t.equal(await kv.get('a'), 'two')
    t.equal(await kv.ttl('a'), null, 'no ttl: never expires')
    t.equal(await kv.delete('a'), true)
    t.equal(await kv.delete('a'), false)
    t.equal(await kv.get('a'), null)
    await kv.set('empty', '')
    t.equal(await kv.get('empty'), '', 'the empty string is a value')
  })

  t.test('kv: ttl and expiry', async (t) => {
    const { kv } = await setup(t)
    await kv.set('long', 'v', 5000)
    const left = await kv.ttl('long')
    t.ok(left !== null && left > 4000 && left <= 5000, `ttl ${left} within the set 5000 ms`)
    t.equal(await kv.ttl('missing'), null)
    await kv.set('short', 'v', 150)
    t.equal(await kv.get('short'), 'v')
    await sleep(400)
    t.equal(await kv.get('short'), null, 'expired')
    t.equal(await kv.ttl('short'), null)
    t.equal(await kv.delete('short'), false, 'an expired key is not there to delete')
    await kv.set('long', 'kept')
    t.equal(await kv.ttl('long'), null, 'set without ttl clears the ttl')
    await t.rejects(kv.set('bad', 'v', 0), RangeError)
    await t.rejects(kv.set('bad', 'v', -5), RangeError)
  })

  t.test('kv: setIfAbsent', async (t) => {
    const { kv } = await setup(t)
    t.equal(await kv.setIfAbsent('k', 'first', 150), true)
    t.equal(await kv.setIfAbsent('k', 'second'), false)
    t.equal(await kv.get('k'), 'first', 'the first value stays')
    await sleep(400)
    t.equal(await kv.setIfAbsent('k', 'third'), true, 'free again after expiry')
    t.equal(await kv.get('k'), 'third')
    const wins = await Promise.all(Array.from({ length: 20 }, async (_, i) => await kv.setIfAbsent('race', String(i))))
    t.equal(wins.filter(Boolean).length, 1, 'one of 20 concurrent callers sets it')
  })

  t.test('kv: a traffic key is a key like any other', async (t) => {
    const { kv } = await setup(t)
    await kv.set('read:r:u', '1-0', 10_000, { share: 'traffic' })
    t.equal(await kv.get('read:r:u'), '1-0')
    t.ok((await kv.ttl('read:r:u') ?? 0) > 9000, 'with its ttl')
    await kv.set('read:r:u', '2-0', 10_000, { share: 'traffic' })
    t.equal(await kv.get('read:r:u'), '2-0', 'overwritten')
    t.equal(await kv.setIfAbsent('typing:r:u', '1', 10_000, { share: 'traffic' }), true)
    t.equal(await kv.setIfAbsent('typing:r:u', '1', 10_000, { share: 'traffic' }), false)
    t.equal(await kv.delete('typing:r:u'), true)
    t.equal(await kv.consume('read:r:u'), '2-0')
  })

  t.test('kv: consume under 50 concurrent callers', async (t) => {
    const { kv } = await setup(t)
    await kv.set('code', 'secret', 10_000)
    const results = await Promise.all(Array.from({ length: 50 }, async () => await kv.consume('code')))
    t.same(results.filter((value) => value !== null), ['secret'], 'exactly one caller gets the value')
    t.equal(await kv.get('code'), null, 'consumed')
    t.equal(await kv.consume('code'), null)
    t.equal(await kv.consume('never'), null)
  })

  t.test('kv: claim is true once per member and group while the claim lives', async (t) => {
    const { kv } = await setup(t)
    t.equal(await kv.claim('u1', 'a', 10_000), true, 'the first claim')
    t.equal(await kv.claim('u1', 'a', 10_000), false, 'again: already claimed')
    t.equal(await kv.claim('u1', 'b', 10_000), true, 'another member')
    t.equal(await kv.claim('u2', 'a', 10_000), true, 'the same member in another group')
    t.equal(await kv.claim('u1:a', 'b', 10_000), true, 'group and member never run into each other')
    t.equal(await kv.claim('u1', 'a:b', 10_000), true)
    t.equal(await kv.get('u1'), null, 'claims are not kv keys')
    const wins = await Promise.all(Array.from({ length: 20 }, async () => await kv.claim('u1', 'race', 10_000)))
    t.equal(wins.filter(Boolean).length, 1, 'one of 20 concurrent callers claims it')
    await t.rejects(kv.claim('u1', 'c', 0), RangeError)
    await t.rejects(kv.claim('u1', '', 1000), RangeError, 'an empty member is refused')
  })

  t.test('kv: a claim lives its own ttl, however many claims of its group come and go', async (t) => {
    const { kv } = await setup(t)
    t.equal(await kv.claim('user', 'before', 60), true)
    t.equal(await kv.claim('user', 'long', 1500), true)
    // Short claims before and after it: on Redis they turn the group's windows over.
    for (let i = 0; i < 6; i++) {
      t.equal(await kv.claim('user', `short-${i}`, 60), true)
      await sleep(80)
    }
    t.equal(await kv.claim('user', 'long', 1500), false, 'still claimed after the windows turned over')
    t.equal(await kv.claim('user', 'long', 10), false, 'whatever ttl the repeat gives')
    t.equal(await kv.claim('user', 'short-0', 60), true, 'a short claim that expired can be made again')
    await sleep(1600)
    t.equal(await kv.claim('user', 'long', 1500), true, 'and the long one after its ttl')
  })
}
