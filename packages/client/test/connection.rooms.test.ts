import t from 'tap'
import { FakeSocket } from './helpers/fake-socket.js'
import { chat, handled, joined, msg, opened, setup } from './helpers/setup.js'

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
