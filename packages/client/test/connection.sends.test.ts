import t from 'tap'
import { LIMITS } from '@webchat/shared'
import { FakeSocket } from './helpers/fake-socket.js'
import { chat, handled, joined, opened, setup } from './helpers/setup.js'

t.test('queues sends while offline and sends them once the room is joined', async (t) => {
  const { conn, timers } = setup(t, { rooms: ['lobby'] })
  const sending = handled(conn.send('lobby', 'first'))
  const sending2 = handled(conn.send('lobby', 'second'))
  await timers.flush()
  const socket = FakeSocket.last()
  socket.accept()
  t.same(socket.ofType('send'), [], 'not before joined')
  socket.deliver(joined('lobby'))
  const sends = socket.ofType('send')
  t.same(sends.map((s) => s.text), ['first', 'second'], 'in order')
  t.match(sends[0]!.clientMsgId, /^[0-9a-f-]{36}$/)
  socket.deliver([{ type: 'ack', clientMsgId: sends[0]!.clientMsgId, id: '20-0' }, { type: 'ack', clientMsgId: sends[1]!.clientMsgId, id: '20-1' }])
  t.equal(await sending, '20-0')
  t.equal(await sending2, '20-1')
  t.same(conn.pending(), [])
})

t.test('retries an unacknowledged send after a reconnect with the same clientMsgId', async (t) => {
  const { conn, timers } = await opened(t, ['lobby'])
  const sending = handled(conn.send('lobby', 'hello', { clientMsgId: 'mine-1' }))
  t.equal(FakeSocket.last().ofType('send').length, 1)
  FakeSocket.last().drop(1006)
  t.same(conn.pending(), [{ room: 'lobby', text: 'hello', clientMsgId: 'mine-1' }])
  await timers.advance(1000)
  FakeSocket.last().accept()
  FakeSocket.last().deliver(joined('lobby'))
  t.same(FakeSocket.last().ofType('send'), [{ type: 'send', room: 'lobby', text: 'hello', clientMsgId: 'mine-1' }])
  FakeSocket.last().deliver({ type: 'ack', clientMsgId: 'mine-1', id: '30-0' })
  t.equal(await sending, '30-0')
})

t.test('does not resend a message the catch-up shows was stored', async (t) => {
  const { conn, timers } = setup(t, { rooms: ['lobby'] })
  await timers.flush()
  FakeSocket.last().accept({ id: 'me', name: 'Me' })
  FakeSocket.last().deliver(joined('lobby'))
  const sending = handled(conn.send('lobby', 'hello', { clientMsgId: 'mine-2' }))
  FakeSocket.last().drop(1006)
  await timers.advance(1000)
  FakeSocket.last().accept({ id: 'me', name: 'Me' })
  FakeSocket.last().deliver(joined('lobby', {
    messages: [chat('lobby', '31-0', 'hello', { user: { id: 'me', name: 'Me' }, clientMsgId: 'mine-2' })]
  }))
  t.equal(await sending, '31-0')
  t.same(FakeSocket.last().ofType('send'), [])
})

t.test('a message without an ack in time means a dead socket: it reconnects and resends', async (t) => {
  const { conn, timers } = await opened(t, ['lobby'], { ackTimeoutMs: 5000 })
  void handled(conn.send('lobby', 'hello', { clientMsgId: 'x1' }))
  await timers.advance(5000)
  t.equal(FakeSocket.all[0]!.closedByClient, 1000)
  await timers.advance(1000)
  FakeSocket.last().accept()
  FakeSocket.last().deliver(joined('lobby'))
  t.same(FakeSocket.last().ofType('send').map((f) => f.clientMsgId), ['x1'])
})

t.test('send errors reject; passing refusals are retried, a few times', async (t) => {
  const { conn, timers } = await opened(t, ['lobby'])
  const a = handled(conn.send('lobby', 'a', { clientMsgId: 'a' }))
  const b = handled(conn.send('lobby', 'b', { clientMsgId: 'b' }))
  FakeSocket.last().deliver({ type: 'error', code: 'text_too_long', message: 'too long', ref: 'a' })
  await t.rejects(a, { code: 'text_too_long', ref: 'a' })
  FakeSocket.last().deliver({ type: 'error', code: 'rate_limited', message: 'slow down', ref: 'b' })
  await timers.advance(1000)
  t.same(FakeSocket.last().ofType('send').map((f) => f.clientMsgId), ['a', 'b', 'b'])
  FakeSocket.last().deliver({ type: 'ack', clientMsgId: 'b', id: '1-0' })
  t.equal(await b, '1-0')
  const c = handled(conn.send('lobby', 'c', { clientMsgId: 'c' }))
  for (let i = 1; i <= 5; i++) {
    FakeSocket.last().deliver({ type: 'error', code: 'unavailable', message: 'engine slow', ref: 'c' })
    await timers.advance(1000 * i)
  }
  t.equal(FakeSocket.last().ofType('send').filter((f) => f.clientMsgId === 'c').length, 6, 'tried again five times, later each time')
  FakeSocket.last().deliver({ type: 'error', code: 'unavailable', message: 'engine slow', ref: 'c' })
  await t.rejects(c, { code: 'unavailable' })
})

t.test('the ack timeout counts from the last answer, not from the first send', async (t) => {
  const { conn, timers } = await opened(t, ['lobby'], { ackTimeoutMs: 5000 })
  void handled(conn.send('lobby', 'a', { clientMsgId: 'a' }))
  void handled(conn.send('lobby', 'b', { clientMsgId: 'b' }))
  await timers.advance(4000)
  FakeSocket.last().deliver({ type: 'ack', clientMsgId: 'a', id: '9-0' })
  await timers.advance(4000)
  t.equal(FakeSocket.all.length, 1, 'an answer 4 s ago: still alive 8 s after the first send')
  t.equal(FakeSocket.last().closedByClient, undefined)
  await timers.advance(1000)
  t.equal(FakeSocket.all[0]!.closedByClient, 1000, '5 s without any answer: dropped')
})

t.test('checks sends before queueing them', async (t) => {
  const { conn } = setup(t, { rooms: ['lobby'] })
  await t.rejects(conn.send('nowhere', 'x'), { code: 'not_joined' })
  await t.rejects(conn.send('lobby', ''), { code: 'bad_request' })
  await t.rejects(conn.send('lobby', 'x'.repeat(LIMITS.textChars + 1)), { code: 'text_too_long' })
  await t.rejects(conn.send('lobby', '\u0001'.repeat(LIMITS.textChars)), { code: 'payload_too_large' })
  await t.rejects(conn.join('Not A Room'), { code: 'invalid_room' })
  t.same(conn.pending(), [])
})
