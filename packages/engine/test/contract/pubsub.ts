import type { Test } from 'tap'
import { collector, sleep, until, type Setup } from './support.js'

/** Long enough for a message in flight to arrive, on a busy machine. */
const SETTLE_MS = 250

export function pubsubContract (t: Test, setup: Setup): void {
  t.test('pubsub: delivery, in order, asynchronously, per channel', async (t) => {
    const { pubsub } = await setup(t)
    const a = collector()
    const b = collector()
    await pubsub.subscribe('a', a.handler)
    await pubsub.subscribe('b', b.handler)
    const sent = pubsub.publish('a', 'first')
    t.same(a.messages, [], 'never delivered synchronously inside publish')
    await sent
    for (let i = 0; i < 20; i++) await pubsub.publish('a', `m${i}`)
    await until(() => a.messages.length === 21)
    t.same(a.messages, ['first', ...Array.from({ length: 20 }, (_, i) => `m${i}`)], 'in publish order')
    await sleep(SETTLE_MS)
    t.same(b.messages, [], 'other channels get nothing')
    await pubsub.publish('nobody', 'x')
  })

  t.test('pubsub: several handlers on one channel, reference-counted', async (t) => {
    const { pubsub } = await setup(t)
    const one = collector()
    const two = collector()
    const offOne = await pubsub.subscribe('room', one.handler)
    const offTwo = await pubsub.subscribe('room', two.handler)
    await pubsub.publish('room', 'both')
    await until(() => one.messages.length === 1 && two.messages.length === 1)
    await offOne()
    await pubsub.publish('room', 'two only')
    await until(() => two.messages.length === 2)
    await sleep(SETTLE_MS)
    t.same(one.messages, ['both'], 'the unsubscribed handler gets nothing more')
    t.same(two.messages, ['both', 'two only'], 'the other handler keeps its subscription')
    await offOne()
    await pubsub.publish('room', 'still two')
    await until(() => two.messages.length === 3)
    t.pass('a repeated unsubscribe does not take the other handler away')
    await offTwo()
    await pubsub.publish('room', 'nobody')
    await sleep(SETTLE_MS)
    t.equal(two.messages.length, 3, 'no delivery after the last unsubscribe')
    const again = collector()
    const offAgain = await pubsub.subscribe('room', again.handler)
    await pubsub.publish('room', 'back')
    await until(() => again.messages.length === 1)
    await offAgain()
  })

  t.test('pubsub: the same handler subscribed twice is called twice', async (t) => {
    const { pubsub } = await setup(t)
    const seen = collector()
    const off1 = await pubsub.subscribe('c', seen.handler)
    const off2 = await pubsub.subscribe('c', seen.handler)
    await pubsub.publish('c', 'x')
    await until(() => seen.messages.length === 2)
    await off1()
    await pubsub.publish('c', 'y')
    await until(() => seen.messages.length === 3)
    await off2()
    await sleep(SETTLE_MS)
    t.same(seen.messages, ['x', 'x', 'y'])
  })

  t.test('pubsub: nothing arrives after unsubscribe resolved', async (t) => {
    const { pubsub } = await setup(t)
    const seen = collector()
    const off = await pubsub.subscribe('c', seen.handler)
    await Promise.all(Array.from({ length: 10 }, async (_, i) => await pubsub.publish('c', String(i))))
    await off()
    const count = seen.messages.length
    await pubsub.publish('c', 'late')
    await sleep(SETTLE_MS)
    t.equal(seen.messages.length, count, 'no delivery after unsubscribe')
    t.notOk(seen.messages.includes('late'))
  })

  t.test('pubsub: a throwing handler does not stop the others', async (t) => {
    const errors: unknown[] = []
    const { pubsub } = await setup(t, { onError: (err) => errors.push(err) })
    const seen = collector()
    await pubsub.subscribe('c', () => { throw new Error('handler bug') })
    await pubsub.subscribe('c', seen.handler)
    await pubsub.publish('c', 'x')
    await until(() => seen.messages.length === 1 && errors.length === 1)
    t.match(errors[0], { message: 'handler bug' }, 'reported to onError')
  })
}
