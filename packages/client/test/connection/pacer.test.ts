import t from 'tap'
import { LIMITS, type ServerFrameOf } from '@webchat/shared'
import { createPacer } from '../../src/connection/pacer.js'
import { fail } from '../../src/connection/refusal.js'
import { createOutbox } from '../../src/outbox.js'
import { createFakeLink } from '../helpers/fake-link.js'
import { createFakeTimers } from '../helpers/fake-timers.js'
import { handled } from '../helpers/setup.js'

const refusal = (ref: string): ServerFrameOf<'error'> => ({ type: 'error', code: 'unavailable', message: 'engine down', ref })

/** A pacer over a fake link with `lobby` joined; `queue(id)` adds a send of that id. */
function pacing () {
  const timers = createFakeTimers()
  const link = createFakeLink()
  const outbox = createOutbox()
  const joined = new Set(['lobby'])
  const watchdog = { arms: 0, sends: 0, arm () { watchdog.arms++ }, sent () { watchdog.sends++ } }
  const pacer = createPacer({ timers, outbox, watchdog, link, joined: (room) => joined.has(room) })
  const queue = (id: string, room = 'lobby'): Promise<string> => handled(outbox.add({ type: 'send', room, text: id, clientMsgId: id }).promise)
  const sent = (): string[] => link.ofType('send').map((f) => f.clientMsgId)
  return { timers, link, outbox, joined, watchdog, pacer, queue, sent }
}

t.test('writes queued sends of joined rooms, oldest first, and tells the watchdog', async (t) => {
  const { link, outbox, watchdog, pacer, queue, sent } = pacing()
  queue('a')
  queue('x', 'dev')
  queue('b')
  pacer.pump()
  t.same(sent(), ['a', 'b'], 'dev is not joined')
  t.same(link.ofType('send')[0], { type: 'send', room: 'lobby', text: 'a', clientMsgId: 'a' })
  t.equal(outbox.inFlight(), 2)
  t.equal(watchdog.sends, 2)
  pacer.pump()
  t.same(sent(), ['a', 'b'], 'nothing twice')
})

t.test('nothing goes while the socket is closed', async (t) => {
  const { link, outbox, pacer, queue, timers } = pacing()
  link.open = false
  queue('a')
  pacer.pump()
  t.equal(outbox.inFlight(), 0)
  t.same(timers.pending(), [])
})

t.test('paced: a burst below the server\'s, then the server\'s rate', async (t) => {
  const { timers, pacer, queue, sent } = pacing()
  for (let i = 0; i < 30; i++) queue(`p${i}`)
  pacer.pump()
  t.equal(sent().length, LIMITS.sendBurst - 5)
  t.same(timers.pending(), [1000 / LIMITS.sendsPerSecond], 'wakes for the next token')
  await timers.advance(1000)
  t.equal(sent().length, LIMITS.sendBurst - 5 + LIMITS.sendsPerSecond)
  await timers.advance(1000)
  t.equal(sent().length, 30)
  t.same(timers.pending(), [], 'asleep once all went')
})

t.test('refused: the first refused send is the probe, tried again 1, 2 … s later; the others wait', async (t) => {
  const { timers, outbox, watchdog, pacer, queue, sent } = pacing()
  queue('a')
  queue('b')
  pacer.pump()
  pacer.refused(outbox.get('a')!, refusal('a'))
  pacer.refused(outbox.get('b')!, refusal('b'))
  t.equal(watchdog.arms, 2, 'each refusal is an answer')
  t.match(outbox.get('b'), { sent: false, retries: 1, retryAt: 0 }, 'b waits, with no time of its own')
  t.same(timers.pending(), [1000])
  await timers.advance(1000)
  t.same(sent(), ['a', 'b', 'a'], 'only the probe again')
  pacer.refused(outbox.get('a')!, refusal('a'))
  await timers.advance(1999)
  t.equal(sent().length, 3)
  await timers.advance(1)
  t.same(sent(), ['a', 'b', 'a', 'a'], 'two seconds the second time')
  queue('c')
  pacer.pump()
  t.same(sent().slice(-1), ['c'], 'a new send goes at once')
  pacer.release()
  t.same(sent().slice(-1), ['b'], 'released: the held one goes')
  t.same(outbox.entries().map((e) => [e.clientMsgId, e.retries, e.sent]), [['a', 0, true], ['b', 0, true], ['c', 0, true]])
})

t.test('a probe refused a sixth time fails, and the sends held behind it with it', async (t) => {
  const { timers, outbox, pacer, queue, sent } = pacing()
  const a = queue('a')
  const b = queue('b')
  const c = queue('c')
  pacer.pump()
  pacer.refused(outbox.get('a')!, refusal('a'))
  pacer.refused(outbox.get('b')!, refusal('b'))
  await timers.advance(1000)
  for (let i = 2; i <= 5; i++) {
    pacer.refused(outbox.get('a')!, refusal('a'))
    await timers.advance(1000 * i)
  }
  t.equal(sent().filter((id) => id === 'a').length, 6)
  pacer.refused(outbox.get('a')!, refusal('a'))
  await t.rejects(a, { code: 'unavailable', ref: 'a' })
  await t.rejects(b, { code: 'unavailable', ref: 'b' })
  t.same(outbox.entries().map((e) => e.clientMsgId), ['c'], 'c is in flight, not held: it waits for its own answer')
  outbox.resolve('c', '1-0')
  t.equal(await c, '1-0')
})

t.test('a probe that is gone or cannot go hands over to the next refused send that can', async (t) => {
  const { joined, outbox, pacer, queue, sent } = pacing()
  joined.add('side')
  queue('a', 'side')
  queue('b')
  queue('c')
  pacer.pump()
  for (const id of ['a', 'b', 'c']) pacer.refused(outbox.get(id)!, refusal(id))
  joined.delete('side')
  pacer.pump()
  t.same(sent().slice(3), ['b'], 'a\'s room is not joined: b is the probe and goes at once')
  pacer.refused(outbox.get('b')!, refusal('b'))
  outbox.reject('b', fail('internal', 'boom', 'b'))
  pacer.pump()
  t.same(sent().slice(4), ['c'], 'b failed: c takes over')
})

t.test('release with no probe does nothing; stop cancels the wake-up', async (t) => {
  const { timers, outbox, pacer, queue, sent } = pacing()
  for (let i = 0; i < 20; i++) queue(`p${i}`)
  pacer.pump()
  const before = sent().length
  pacer.release()
  t.equal(sent().length, before)
  t.equal(timers.pending().length, 1)
  pacer.stop()
  t.same(timers.pending(), [])
  t.equal(outbox.inFlight(), before)
})
