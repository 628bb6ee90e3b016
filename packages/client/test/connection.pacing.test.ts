import t from 'tap'
import { LIMITS } from '@webchat/shared'
import { FakeSocket } from './helpers/fake-socket.js'
import { handled, joined, opened, type setup } from './helpers/setup.js'

/** Sends `a` (room side), `b` and `c` (lobby), all three refused as `unavailable`. */
async function refusedInTwoRooms (t: Parameters<typeof setup>[0]) {
  const context = await opened(t, ['lobby', 'side'])
  const a = handled(context.conn.send('side', 'a', { clientMsgId: 'a' }))
  const b = handled(context.conn.send('lobby', 'b', { clientMsgId: 'b' }))
  const c = handled(context.conn.send('lobby', 'c', { clientMsgId: 'c' }))
  for (const ref of ['a', 'b', 'c']) context.socket.deliver({ type: 'error', code: 'unavailable', message: 'engine down', ref })
  return { ...context, a, b, c }
}

t.test('sends are paced below the server\'s limit: a burst, then the rate, never a refusal earned', async (t) => {
  const { conn, timers } = await opened(t, ['lobby'])
  const ids = Array.from({ length: 40 }, (_, i) => `p${i}`)
  for (const id of ids) void handled(conn.send('lobby', id, { clientMsgId: id }))
  const sent = (): string[] => FakeSocket.last().ofType('send').map((f) => f.clientMsgId)
  const burst = sent().length
  t.ok(burst >= 10 && burst < LIMITS.sendBurst, `a burst of ${burst} goes at once, below the server's ${LIMITS.sendBurst}`)
  t.same(sent(), ids.slice(0, burst), 'in order')
  // Replay the sends through a bucket like the server's: not one would be refused.
  let taken = 0
  let tokens: number = LIMITS.sendBurst
  let last = timers.now()
  const serverTakes = (): boolean => {
    tokens = Math.min(LIMITS.sendBurst, tokens + ((timers.now() - last) / 1000) * LIMITS.sendsPerSecond)
    last = timers.now()
    if (tokens < 1) return false
    tokens--
    return true
  }
  for (let i = 0; i < burst; i++) if (serverTakes()) taken++
  for (let ms = 0; ms < 5000 && sent().length < ids.length; ms += 50) {
    const before = sent().length
    await timers.advance(50)
    for (let i = before; i < sent().length; i++) if (serverTakes()) taken++
  }
  t.same(sent(), ids, 'the rest follow, in order, at the server\'s rate')
  t.equal(taken, ids.length, 'the server\'s bucket would take every one')
})

t.test('while the server refuses, one refused send is tried again and the rest wait for its answer', async (t) => {
  const { conn, timers, sends, socket } = await opened(t, ['lobby'])
  const a = handled(conn.send('lobby', 'a', { clientMsgId: 'a' }))
  const b = handled(conn.send('lobby', 'b', { clientMsgId: 'b' }))
  const c = handled(conn.send('lobby', 'c', { clientMsgId: 'c' }))
  for (const ref of ['a', 'b', 'c']) socket.deliver({ type: 'error', code: 'unavailable', message: 'engine down', ref })
  await timers.advance(1000)
  t.same([sends('a'), sends('b'), sends('c')], [2, 1, 1], 'only the oldest is tried again')
  socket.deliver({ type: 'error', code: 'unavailable', message: 'engine down', ref: 'a' })
  await timers.advance(1000)
  t.equal(sends('a'), 2, 'the probe waits longer each time')
  const d = handled(conn.send('lobby', 'd', { clientMsgId: 'd' }))
  t.equal(sends('d'), 1, 'a new send still goes out at once, to get its answer')
  socket.deliver({ type: 'ack', clientMsgId: 'd', id: '5-0' })
  t.equal(await d, '5-0')
  t.same(socket.ofType('send').slice(-3).map((f) => f.clientMsgId), ['a', 'b', 'c'], 'a send got through: the held ones go at once, in order')
  socket.deliver([{ type: 'ack', clientMsgId: 'a', id: '5-1' }, { type: 'ack', clientMsgId: 'b', id: '5-2' }, { type: 'ack', clientMsgId: 'c', id: '5-3' }])
  t.same(await Promise.all([a, b, c]), ['5-1', '5-2', '5-3'])
  t.same(conn.pending(), [])
})

t.test('when the probe gives up, the sends held behind it fail with it; a probe that leaves hands over', async (t) => {
  const { conn, timers, sends, socket, a, b, c } = await refusedInTwoRooms(t)
  conn.leave('side')
  await t.rejects(a, { code: 'not_joined' })
  await timers.advance(1000)
  t.same([sends('b'), sends('c')], [2, 1], 'the next oldest refused send became the probe')
  for (let i = 2; i <= 5; i++) {
    socket.deliver({ type: 'error', code: 'unavailable', message: 'engine down', ref: 'b' })
    await timers.advance(1000 * i)
  }
  t.same([sends('b'), sends('c')], [6, 1])
  socket.deliver({ type: 'error', code: 'unavailable', message: 'engine down', ref: 'b' })
  await t.rejects(b, { code: 'unavailable', ref: 'b' })
  await t.rejects(c, { code: 'unavailable', ref: 'c' })
  t.same(conn.pending(), [])
  const e = handled(conn.send('lobby', 'e', { clientMsgId: 'e' }))
  t.equal(sends('e'), 1, 'later sends start afresh')
  socket.deliver({ type: 'ack', clientMsgId: 'e', id: '9-0' })
  t.equal(await e, '9-0')
})

t.test('held sends keep their place across a reconnect, and go paced after the rejoin', async (t) => {
  const { conn, timers } = await opened(t, ['lobby'])
  const ids = Array.from({ length: 30 }, (_, i) => `r${i}`)
  for (const id of ids) void handled(conn.send('lobby', id, { clientMsgId: id }))
  FakeSocket.last().drop(1006)
  await timers.advance(1000)
  FakeSocket.last().accept()
  FakeSocket.last().deliver(joined('lobby'))
  const resent = FakeSocket.last().ofType('send').map((f) => f.clientMsgId)
  t.ok(resent.length > 0 && resent.length < LIMITS.sendBurst, `${resent.length} go at once after the rejoin, below the burst the server allows`)
  t.same(resent, ids.slice(0, resent.length), 'oldest first')
  await timers.advance(5000)
  t.same(FakeSocket.last().ofType('send').map((f) => f.clientMsgId), ids, 'then the rest, in order')
})

t.test('a probe that fails or leaves while held sends wait hands over at once', async (t) => {
  const { conn, timers, sends, socket, a, b, c } = await refusedInTwoRooms(t)
  await timers.advance(1000)
  t.same([sends('a'), sends('b'), sends('c')], [2, 1, 1], 'the probe is in flight, the others wait')
  conn.leave('side')
  await t.rejects(a, { code: 'not_joined' })
  t.same([sends('b'), sends('c')], [2, 1], 'leaving the probe\'s room hands over to the next held send at once')
  socket.deliver({ type: 'error', code: 'internal', message: 'boom', ref: 'b' })
  await t.rejects(b, { code: 'internal' })
  t.equal(sends('c'), 2, 'a probe that fails for good hands over too')
  socket.deliver({ type: 'ack', clientMsgId: 'c', id: '7-0' })
  t.equal(await c, '7-0')
})

t.test('held sends go again on a new socket, without waiting for the probe\'s delay', async (t) => {
  const { conn, timers } = await opened(t, ['lobby'])
  void handled(conn.send('lobby', 'a', { clientMsgId: 'a' }))
  void handled(conn.send('lobby', 'b', { clientMsgId: 'b' }))
  for (let i = 0; i < 3; i++) {
    for (const ref of ['a', 'b']) FakeSocket.last().deliver({ type: 'error', code: 'unavailable', message: 'engine down', ref })
    await timers.advance(1000 * (i + 1))
  }
  FakeSocket.last().drop(1012)
  await timers.flush()
  FakeSocket.last().accept()
  FakeSocket.last().deliver(joined('lobby'))
  t.same(FakeSocket.last().ofType('send').map((f) => f.clientMsgId), ['a', 'b'], 'both, in order, right after the rejoin')
})
