import t from 'tap'
import { LIMITS, type Member } from '@webchat/shared'
import { fail } from '../../src/connection/refusal.js'
import { createSends } from '../../src/connection/sends.js'
import { createFakeLink } from '../helpers/fake-link.js'
import { createFakeTimers } from '../helpers/fake-timers.js'
import { handled } from '../helpers/setup.js'

const me: Member = { id: 'u1', name: 'Ana' }

/** Sends over a fake link signed in as `me`, in `lobby` (joined) and `dev` (not joined yet). */
function sending () {
  const timers = createFakeTimers()
  const link = createFakeLink(me)
  const joined = new Set(['lobby'])
  const typingCancelled: string[] = []
  const sends = createSends({
    timers,
    ackTimeoutMs: 5000,
    link,
    inRoom: (room) => room === 'lobby' || room === 'dev',
    joined: (room) => joined.has(room),
    sending: (room) => typingCancelled.push(room)
  })
  const sent = (): string[] => link.ofType('send').map((f) => f.clientMsgId)
  return { timers, link, joined, typingCancelled, sends, sent }
}

t.test('checks a message before queueing it', async (t) => {
  const { sends, typingCancelled } = sending()
  await t.rejects(sends.send('nowhere', 'x', {}), { code: 'not_joined', ref: 'nowhere' })
  await t.rejects(sends.send('lobby', '', {}), { code: 'bad_request' })
  await t.rejects(sends.send('lobby', 'x'.repeat(LIMITS.textChars + 1), {}), { code: 'text_too_long' })
  await t.rejects(sends.send('lobby', '\u0001'.repeat(LIMITS.textChars), {}), { code: 'payload_too_large' })
  t.same(sends.pending(), [])
  t.same(typingCancelled, [], 'a refused message cancels no typing signal')
})

t.test('queues, writes when the room is joined, and resolves with the id of the ack', async (t) => {
  const { joined, sends, sent, typingCancelled } = sending()
  const a = sends.send('lobby', 'hello', { clientMsgId: 'a' })
  const b = handled(sends.send('dev', 'there', { clientMsgId: 'b' }))
  t.equal(sends.send('lobby', 'hello', { clientMsgId: 'a' }), a, 'the same clientMsgId twice is one send')
  t.same(typingCancelled, ['lobby', 'dev', 'lobby'])
  t.same(sent(), ['a'], 'dev is not joined yet')
  t.same(sends.pending('dev'), [{ room: 'dev', text: 'there', clientMsgId: 'b' }])
  t.match(sends.send('lobby', 'generated id', {}), Promise)
  t.match(sends.pending('lobby')[1]!.clientMsgId, /^[0-9a-f-]{36}$/)
  sends.ack({ type: 'ack', clientMsgId: 'a', id: '1-0' })
  t.equal(await a, '1-0')
  joined.add('dev')
  sends.pump()
  t.same(sent().slice(-1), ['b'])
  sends.reject('dev', fail('not_joined', 'left dev', 'dev'))
  await t.rejects(b, { code: 'not_joined' })
})

t.test('an ack releases sends held behind a refused probe', async (t) => {
  const { timers, sends, sent } = sending()
  for (const id of ['a', 'b', 'c']) void handled(sends.send('lobby', id, { clientMsgId: id }))
  for (const ref of ['a', 'b']) t.equal(sends.refused(ref, { type: 'error', code: 'rate_limited', message: 'slow', ref }), true)
  t.same(timers.pending(), [1000, 5000], 'the probe\'s retry, and the watchdog of c')
  sends.ack({ type: 'ack', clientMsgId: 'c', id: '2-0' })
  t.same(sent(), ['a', 'b', 'c', 'a', 'b'], 'both go again at once, in order')
})

t.test('a message the server holds settles our own pending send only', async (t) => {
  const { sends, link } = sending()
  const mine = sends.send('lobby', 'hi', { clientMsgId: 'm' })
  sends.settleOwn({ clientMsgId: 'm', user: { id: 'u2', name: 'Ben' }, id: '3-0' })
  sends.settleOwn({ user: me, id: '3-1' })
  t.equal(sends.pending().length, 1, 'someone else\'s, or without a clientMsgId: not ours')
  link.user = undefined
  sends.settleOwn({ clientMsgId: 'm', user: me, id: '3-2' })
  t.equal(sends.pending().length, 1, 'not before we know who we are')
  link.user = me
  sends.settleOwn({ clientMsgId: 'm', user: me, id: '3-3' })
  t.equal(await mine, '3-3')
})

t.test('a refusal for good rejects with its ref; an unknown ref is not a send', async (t) => {
  const { sends } = sending()
  const a = handled(sends.send('lobby', 'a', { clientMsgId: 'a' }))
  t.equal(sends.refused('zzz', { type: 'error', code: 'internal', message: 'boom', ref: 'zzz' }), false)
  t.equal(sends.refused('a', { type: 'error', code: 'text_too_long', message: 'long', ref: 'a' }), true)
  await t.rejects(a, { code: 'text_too_long', message: 'long', ref: 'a' })
  t.same(sends.pending(), [])
})

t.test('a socket that answers none of the sends in time is dropped', async (t) => {
  const { timers, link, sends } = sending()
  void handled(sends.send('lobby', 'a', { clientMsgId: 'a' }))
  await timers.advance(4999)
  t.same(link.drops, [])
  await timers.advance(1)
  t.same(link.drops, [1006])
})

t.test('stop: nothing in flight and no timer; everything goes again on the next socket', async (t) => {
  const { timers, link, sends, sent } = sending()
  const a = handled(sends.send('lobby', 'a', { clientMsgId: 'a' }))
  sends.stop()
  t.same(timers.pending(), [])
  link.swap()
  sends.pump()
  t.same(sent(), ['a', 'a'])
  sends.reject(undefined, fail('closed', 'closed'))
  await t.rejects(a, { code: 'closed' })
})
