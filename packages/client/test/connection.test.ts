import t from 'tap'
import { CloseCode, LIMITS } from '@webchat/shared'
import { WebchatError } from '../src/errors.js'
import { FakeSocket } from './helpers/fake-socket.js'
import { chat, handled, joined, msg, setup } from './helpers/setup.js'

/** A connection that is open and has joined `rooms`; `sends(id)` counts the sends of a clientMsgId on its socket. */
async function opened (t: Parameters<typeof setup>[0], rooms: string[], options: Parameters<typeof setup>[1] = {}) {
  const context = setup(t, { rooms, ...options })
  await context.timers.flush()
  const socket = FakeSocket.last()
  socket.accept()
  socket.deliver(rooms.map((room) => joined(room)))
  const sends = (id: string): number => socket.ofType('send').filter((f) => f.clientMsgId === id).length
  return { ...context, socket, sends }
}

/** Sends `a` (room side), `b` and `c` (lobby), all three refused as `unavailable`. */
async function refusedInTwoRooms (t: Parameters<typeof setup>[0]) {
  const context = await opened(t, ['lobby', 'side'])
  const a = handled(context.conn.send('side', 'a', { clientMsgId: 'a' }))
  const b = handled(context.conn.send('lobby', 'b', { clientMsgId: 'b' }))
  const c = handled(context.conn.send('lobby', 'c', { clientMsgId: 'c' }))
  for (const ref of ['a', 'b', 'c']) context.socket.deliver({ type: 'error', code: 'unavailable', message: 'engine down', ref })
  return { ...context, a, b, c }
}

t.test('fetches a fresh token for every connect and offers it as a subprotocol', async (t) => {
  const { conn, timers, tokens } = setup(t)
  await timers.flush()
  t.equal(FakeSocket.all.length, 1)
  t.same(FakeSocket.last().protocols, ['webchat.v1', tokens[0]])
  FakeSocket.last().accept()
  t.equal(conn.state.state, 'open')
  FakeSocket.last().drop(1006)
  await timers.advance(1000)
  t.equal(FakeSocket.all.length, 2)
  t.equal(tokens.length, 2)
  t.not(tokens[0], tokens[1])
  t.same(FakeSocket.last().protocols, ['webchat.v1', tokens[1]])
})

t.test('backs off 1, 2, 4, 8, 16, 16 s while the server is unreachable, and resets once ready', async (t) => {
  const { timers, states } = setup(t)
  await timers.flush()
  const waits: number[] = []
  for (let i = 0; i < 6; i++) {
    FakeSocket.last().drop(1006)
    await timers.flush()
    const state = states[states.length - 1]!
    t.equal(state.state, 'reconnecting')
    if (state.state === 'reconnecting') {
      waits.push(state.inMs)
      t.equal(state.attempt, i + 1)
      t.equal(state.code, 1006)
      await timers.advance(state.inMs - 1)
      t.equal(FakeSocket.all.length, i + 1, 'not before the delay')
      await timers.advance(1)
      t.equal(FakeSocket.all.length, i + 2, 'right at the delay')
    }
  }
  t.same(waits, [1000, 2000, 4000, 8000, 16000, 16000])
  FakeSocket.last().accept()
  FakeSocket.last().drop(1011)
  await timers.flush()
  const state = states[states.length - 1]!
  t.same(state.state === 'reconnecting' && state.inMs, 1000, 'a successful connection resets the schedule')
})

t.test('jitter spreads delays within [nominal/2, nominal]', async (t) => {
  const { timers, states } = setup(t, { backoff: { random: () => 0.999 } })
  await timers.flush()
  FakeSocket.last().drop(1006)
  await timers.flush()
  const state = states[states.length - 1]!
  t.ok(state.state === 'reconnecting' && state.inMs >= 500 && state.inMs <= 1000)
})

t.test('reconnects at once after 1012 and after 4003, with a new token', async (t) => {
  for (const code of [CloseCode.restarting, CloseCode.tokenExpired]) {
    t.test(`code ${code}`, async (t) => {
      const { timers, states, tokens } = setup(t)
      await timers.flush()
      FakeSocket.last().accept()
      FakeSocket.last().drop(code)
      await timers.flush()
      t.equal(FakeSocket.all.length, 2, 'second socket without waiting')
      t.notOk(states.some((s) => s.state === 'reconnecting'))
      t.equal(tokens.length, 2)
      // If that immediate attempt fails too, it falls back to the backoff schedule.
      FakeSocket.last().drop(code)
      await timers.flush()
      const last = states[states.length - 1]!
      t.equal(last.state, 'reconnecting')
    })
  }
})

t.test('never reconnects after 4001: the session ended, pending sends fail', async (t) => {
  const { conn, timers, states } = await opened(t, ['lobby'])
  FakeSocket.last().drop(1006)
  const sending = handled(conn.send('lobby', 'hello'))
  await timers.advance(1000)
  FakeSocket.last().drop(CloseCode.sessionEnded)
  await timers.advance(60_000)
  t.equal(FakeSocket.all.length, 2)
  t.same(states[states.length - 1], { state: 'ended', reason: 'session_ended' })
  await t.rejects(sending, { code: 'session_ended' })
  await t.rejects(conn.join('other'), { code: 'session_ended' })
})

t.test('ends without retrying when the token endpoint says unauthorized', async (t) => {
  const { timers, states } = setup(t, {
    getToken: async () => { throw new WebchatError('unauthorized', 'not signed in', { status: 401 }) }
  })
  await timers.advance(60_000)
  t.equal(FakeSocket.all.length, 0)
  t.same(states[states.length - 1], { state: 'ended', reason: 'unauthorized' })
})

t.test('retries with backoff when the token endpoint is unreachable', async (t) => {
  let calls = 0
  const { timers, states } = setup(t, {
    getToken: async () => {
      calls++
      if (calls < 3) throw new WebchatError('network', 'down')
      return 'tok'
    }
  })
  await timers.flush()
  t.equal(states[states.length - 1]!.state, 'reconnecting')
  await timers.advance(1000 + 2000)
  t.equal(calls, 3)
  t.equal(FakeSocket.all.length, 1)
})

t.test('rejoins with since and epoch and shows each message once', async (t) => {
  const { conn, timers } = setup(t)
  const seen: string[] = []
  conn.on('message', (m) => seen.push(m.id))
  const joinedRooms: Array<{ ids: string[], recovered: boolean }> = []
  conn.on('joined', (j) => joinedRooms.push({ ids: j.messages.map((m) => m.id), recovered: j.recovered }))
  await timers.flush()
  const first = FakeSocket.last()
  first.accept()
  const joining = handled(conn.join('lobby'))
  t.same(first.ofType('join'), [{ type: 'join', room: 'lobby' }])
  first.deliver(joined('lobby', { epoch: 'E', messages: [chat('lobby', '10-0'), chat('lobby', '11-0')], recovered: false }))
  t.equal((await joining).room, 'lobby')
  first.deliver([msg('lobby', '12-0'), msg('lobby', '12-0'), msg('lobby', '12-1')])
  t.same(seen, ['12-0', '12-1'], 'duplicate live frame dropped')
  first.drop(1006)
  await timers.advance(1000)
  const second = FakeSocket.last()
  second.accept()
  t.same(second.ofType('join'), [{ type: 'join', room: 'lobby', since: '12-1', epoch: 'E' }])
  // The server replays from `since`; an overlap (12-1) and a live frame racing the catch-up are dropped.
  second.deliver(msg('lobby', '13-0'))
  second.deliver(joined('lobby', { epoch: 'E', messages: [chat('lobby', '12-1'), chat('lobby', '13-0'), chat('lobby', '14-0')] }))
  t.same(joinedRooms, [
    { ids: ['10-0', '11-0'], recovered: false },
    { ids: ['14-0'], recovered: true }
  ])
  t.same(seen, ['12-0', '12-1', '13-0'])
})

t.test('a new epoch or an unrecoverable gap starts the room over', async (t) => {
  const { conn, timers } = setup(t, { rooms: ['lobby'] })
  const batches: string[][] = []
  conn.on('joined', (j) => batches.push(j.messages.map((m) => m.id)))
  await timers.flush()
  FakeSocket.last().accept()
  FakeSocket.last().deliver(joined('lobby', { epoch: 'A', messages: [chat('lobby', '5-0')] }))
  FakeSocket.last().drop(1006)
  await timers.advance(1000)
  FakeSocket.last().accept()
  t.same(FakeSocket.last().ofType('join')[0], { type: 'join', room: 'lobby', since: '5-0', epoch: 'A' })
  FakeSocket.last().deliver(joined('lobby', { epoch: 'B', recovered: false, messages: [chat('lobby', '1-0'), chat('lobby', '5-0')] }))
  t.same(batches, [['5-0'], ['1-0', '5-0']], 'ids of the old epoch are forgotten')
})

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

t.test('a rejoin refused for a passing reason is tried again; one refused for good drops the room', async (t) => {
  const { conn, timers } = await opened(t, ['lobby', 'side'])
  const kept = handled(conn.send('lobby', 'kept', { clientMsgId: 'kept' }))
  const lost = handled(conn.send('side', 'lost', { clientMsgId: 'lost' }))
  FakeSocket.last().drop(1012)
  await timers.flush()
  FakeSocket.last().accept()
  const socket = FakeSocket.last()
  t.same(socket.ofType('join').map((f) => f.room), ['lobby', 'side'], 'both rooms rejoined')
  socket.deliver({ type: 'error', code: 'unavailable', message: 'storage down', ref: 'lobby' })
  socket.deliver({ type: 'error', code: 'too_many_rooms', message: 'no', ref: 'side' })
  await t.rejects(lost, { code: 'too_many_rooms', ref: 'side' })
  t.same(conn.rooms(), ['lobby'], 'the room refused for good is dropped')
  await timers.advance(999)
  t.equal(socket.ofType('join').length, 2, 'not before the backoff')
  await timers.advance(1)
  t.same(socket.ofType('join').map((f) => f.room), ['lobby', 'side', 'lobby'], 'the refused join again')
  socket.deliver(joined('lobby'))
  t.same(socket.ofType('send').map((f) => f.clientMsgId), ['kept'], 'its pending send goes once joined')
  socket.deliver({ type: 'ack', clientMsgId: 'kept', id: '8-0' })
  t.equal(await kept, '8-0')
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

t.test('refreshes the token in-band before it expires', async (t) => {
  const { timers, tokens } = setup(t, { lifetimeS: 120 })
  await timers.flush()
  const socket = FakeSocket.last()
  socket.accept()
  await timers.advance(89_999)
  t.same(socket.ofType('refresh'), [])
  await timers.advance(1)
  t.same(socket.ofType('refresh'), [{ type: 'refresh', token: tokens[1] }], '30 s (a quarter) before the end')
  socket.deliver({ type: 'refreshed', expiresAt: new Date(timers.now() + 120_000).toISOString() })
  await timers.advance(90_000)
  t.equal(socket.ofType('refresh').length, 2, 'and again for the new token')
  t.equal(FakeSocket.all.length, 1, 'on the same socket')
})

t.test('refreshToken() refreshes now', async (t) => {
  const { conn, timers, tokens } = setup(t)
  conn.refreshToken()
  await timers.flush()
  FakeSocket.last().accept()
  conn.refreshToken()
  await timers.flush()
  t.same(FakeSocket.last().ofType('refresh'), [{ type: 'refresh', token: tokens[1] }])
})

t.test('a refused refresh is tried again; an ended session ends the connection', async (t) => {
  let fail = false
  let n = 0
  const { timers, states } = setup(t, {
    getToken: async () => {
      n++
      if (fail) throw new WebchatError('unauthorized', 'gone', { status: 401 })
      return { token: `tok${n}`, expiresAt: new Date(timers.now() + 40_000).toISOString() }
    }
  })
  await timers.flush()
  const socket = FakeSocket.last()
  socket.accept()
  await timers.advance(30_000)
  t.equal(socket.ofType('refresh').length, 1)
  socket.deliver({ type: 'error', code: 'invalid_token', message: 'bad token' })
  fail = true
  await timers.advance(5000)
  t.same(states[states.length - 1], { state: 'ended', reason: 'unauthorized' })
  t.equal(socket.closedByClient, 1000)
})

t.test('decodes arrays of frames and drops invalid ones', async (t) => {
  const { conn, timers } = setup(t, { rooms: ['lobby'] })
  const invalid: number[] = []
  const typing: string[] = []
  conn.on('invalid', (e) => invalid.push(e.count))
  conn.on('typing', (e) => typing.push(e.user.name))
  await timers.flush()
  FakeSocket.last().accept()
  FakeSocket.last().deliver(joined('lobby'))
  FakeSocket.last().deliver('not json')
  FakeSocket.last().deliver(JSON.stringify([
    { type: 'typing', room: 'lobby', user: { id: 'u2', name: 'Ben' } },
    { type: 'typing', room: 'lobby', user: { id: 'u2', name: 'Ben' }, extra: 1 },
    { type: 'nope' },
    { type: 'typing', room: 'lobby', user: { id: 'u3', name: 'Cy' } }
  ]))
  t.same(invalid, [1, 2])
  t.same(typing, ['Ben', 'Cy'])
})

t.test('typing is throttled; read markers are kept for the next connection', async (t) => {
  const { conn, timers } = setup(t, { rooms: ['lobby'] })
  await timers.flush()
  t.equal(conn.typing('lobby'), false, 'not while connecting')
  FakeSocket.last().accept()
  FakeSocket.last().deliver(joined('lobby', { lastRead: '2-0' }))
  t.equal(conn.typing('lobby'), true)
  t.equal(conn.typing('lobby'), false, 'held back within the interval')
  t.equal(conn.typing('lobby'), false)
  await timers.advance(LIMITS.typingIntervalMs + 249)
  t.equal(FakeSocket.last().ofType('typing').length, 1)
  await timers.advance(1)
  t.equal(FakeSocket.last().ofType('typing').length, 2, 'the held-back signal goes out once when the interval (with a margin) ends')
  await timers.advance(LIMITS.typingIntervalMs + 250)
  t.equal(conn.typing('lobby'), true)
  t.equal(conn.typing('lobby'), false)
  void handled(conn.send('lobby', 'done'))
  await timers.advance(LIMITS.typingIntervalMs + 250)
  t.equal(FakeSocket.last().ofType('typing').length, 3, 'a send cancels the held-back signal')
  conn.read('lobby', '1-0')
  t.same(FakeSocket.last().ofType('read'), [], 'older than the server already has')
  conn.read('lobby', '3-0')
  t.same(FakeSocket.last().ofType('read'), [{ type: 'read', room: 'lobby', id: '3-0' }])
  FakeSocket.last().drop(1006)
  conn.read('lobby', '4-0')
  await timers.advance(1000)
  FakeSocket.last().accept()
  FakeSocket.last().deliver(joined('lobby', { lastRead: '3-0' }))
  t.same(FakeSocket.last().ofType('read'), [{ type: 'read', room: 'lobby', id: '4-0' }])
})

t.test('history pages resolve in order and fail on a drop', async (t) => {
  const { conn, timers } = setup(t, { rooms: ['lobby'] })
  await timers.flush()
  await t.rejects(conn.history('lobby', '5-0'), { code: 'not_connected' })
  FakeSocket.last().accept()
  FakeSocket.last().deliver(joined('lobby'))
  const page = handled(conn.history('lobby', '5-0', 2))
  t.same(FakeSocket.last().ofType('history'), [{ type: 'history', room: 'lobby', before: '5-0', limit: 2 }])
  FakeSocket.last().deliver({ type: 'history', room: 'lobby', messages: [{ room: 'lobby', id: '4-0', user: { id: 'u', name: 'U' }, text: 'x', ts: 1 }], more: false })
  t.same((await page).messages.map((m) => m.id), ['4-0'])
  const lost = handled(conn.history('lobby', '4-0'))
  FakeSocket.last().drop(1006)
  await t.rejects(lost, { code: 'disconnected' })
})

t.test('leaving a room stops its rejoin and fails its pending sends', async (t) => {
  const { conn, timers } = setup(t, { rooms: ['lobby', 'dev'] })
  await timers.flush()
  const sending = handled(conn.send('dev', 'x'))
  FakeSocket.last().accept()
  conn.leave('dev')
  await t.rejects(sending, { code: 'not_joined' })
  t.same(conn.rooms(), ['lobby'])
  t.same(FakeSocket.last().ofType('leave'), [{ type: 'leave', room: 'dev' }])
})

t.test('a join refused by the server rejects and is not retried', async (t) => {
  const { conn, timers } = setup(t)
  await timers.flush()
  FakeSocket.last().accept()
  const joining = handled(conn.join('r51'))
  FakeSocket.last().deliver({ type: 'error', code: 'too_many_rooms', message: 'limit', ref: 'r51' })
  await t.rejects(joining, { code: 'too_many_rooms' })
  t.same(conn.rooms(), [])
})

t.test('a socket that never says ready is dropped and retried', async (t) => {
  const { timers } = setup(t, { readyTimeoutMs: 3000 })
  await timers.flush()
  FakeSocket.last().readyState = 1
  await timers.advance(3000)
  t.equal(FakeSocket.all[0]!.closedByClient, 1000)
  await timers.advance(1000)
  t.equal(FakeSocket.all.length, 2)
})

t.test('waits for the network instead of counting down while offline', async (t) => {
  let online = true
  let notify: (online: boolean) => void = () => {}
  const { conn, timers, states } = setup(t, {
    network: { online: () => online, subscribe: (fn) => { notify = fn; return () => {} } }
  })
  await timers.flush()
  FakeSocket.last().accept()
  online = false
  notify(false)
  t.equal(FakeSocket.all[0]!.closedByClient, 1000)
  t.same(states[states.length - 1], { state: 'offline' })
  await timers.advance(60_000)
  t.equal(FakeSocket.all.length, 1, 'no attempts while offline')
  online = true
  notify(true)
  await timers.flush()
  t.equal(FakeSocket.all.length, 2)
  t.equal(conn.state.state, 'connecting')
})

t.test('reconnect() skips the wait; close() ends everything', async (t) => {
  const { conn, timers, states } = setup(t)
  await timers.flush()
  FakeSocket.last().drop(1006)
  await timers.flush()
  conn.reconnect()
  await timers.flush()
  t.equal(FakeSocket.all.length, 2)
  FakeSocket.last().accept()
  conn.close()
  t.equal(FakeSocket.last().closedByClient, 1000)
  t.same(states[states.length - 1], { state: 'ended', reason: 'closed' })
  await timers.advance(60_000)
  t.equal(FakeSocket.all.length, 2)
  await t.rejects(conn.send('lobby', 'x'), { code: 'closed' })
})

t.test('without a WebSocket class it says what to pass', async (t) => {
  const g = globalThis as { WebSocket?: unknown }
  const saved = g.WebSocket
  delete g.WebSocket
  t.teardown(() => { if (saved !== undefined) g.WebSocket = saved })
  const { createConnection } = await import('../src/connection.js')
  t.throws(() => createConnection({ url: 'ws://x', getToken: async () => 't' }), /options\.WebSocket/)
})
