import t from 'tap'
import type { ClientFrame, Room, RoomListEntry, ServerFrame } from '@webchat/shared'
import { FakeSocket } from './helpers/fake-socket.js'
import { handled, joined, opened, setup } from './helpers/setup.js'

const ROOM: Room = { id: 'p-abcdefghijklmnopqrstuvwx', kind: 'private', title: 'Launch', topic: 'Monday', createdAt: '2026-12-05T09:00:00.000Z', createdBy: 'u1', archived: false }
const ENTRY: RoomListEntry = { room: ROOM, role: 'owner' }

/** The last frame the client wrote, and its ref. */
function lastSent (socket: FakeSocket): ClientFrame & { ref: string } {
  return socket.sent[socket.sent.length - 1] as ClientFrame & { ref: string }
}

t.test('each method sends its request and resolves with its typed answer', async (t) => {
  const { conn, socket } = await opened(t, [])
  const made = conn.createRoom({ title: 'Launch', topic: 'Monday' })
  const create = lastSent(socket)
  t.match(create, { type: 'create', title: 'Launch', topic: 'Monday', ref: /./ })
  socket.deliver({ type: 'done', ref: create.ref, room: ROOM })
  t.same(await made, ROOM)

  const calls: Array<[Promise<unknown>, Record<string, unknown>]> = [
    [conn.direct('u2'), { type: 'direct', user: 'u2' }],
    [conn.direct({ ticket: 'h.p.s' }), { type: 'direct', ticket: 'h.p.s' }],
    [conn.invite(ROOM.id, 'u2'), { type: 'invite', room: ROOM.id, user: 'u2' }],
    [conn.invite(ROOM.id, { ticket: 'h.p.s' }), { type: 'invite', room: ROOM.id, ticket: 'h.p.s' }],
    [conn.remove(ROOM.id, 'u2'), { type: 'remove', room: ROOM.id, user: 'u2' }],
    [conn.ban(ROOM.id, 'u2'), { type: 'ban', room: ROOM.id, user: 'u2' }],
    [conn.unban(ROOM.id, 'u2'), { type: 'unban', room: ROOM.id, user: 'u2' }],
    [conn.setRole(ROOM.id, 'u2', 'moderator'), { type: 'set_role', room: ROOM.id, user: 'u2', role: 'moderator' }],
    [conn.mute(ROOM.id, 'u2', 10), { type: 'mute', room: ROOM.id, user: 'u2', minutes: 10 }],
    [conn.mute(ROOM.id, 'u3'), { type: 'mute', room: ROOM.id, user: 'u3' }],
    [conn.unmute(ROOM.id, 'u2'), { type: 'unmute', room: ROOM.id, user: 'u2' }],
    [conn.updateRoom(ROOM.id, { topic: 'Tuesday' }), { type: 'update_room', room: ROOM.id, topic: 'Tuesday' }],
    [conn.leaveRoom(ROOM.id), { type: 'leave_room', room: ROOM.id }]
  ]
  const frames = socket.sent.slice(-calls.length) as Array<ClientFrame & { ref: string }>
  for (const [i, [, expected]] of calls.entries()) {
    const { ref: _ref, ...rest } = frames[i]!
    t.same(rest, expected, `${String(expected.type)} sent`)
  }
  socket.deliver(frames.map((f): ServerFrame => f.type === 'direct'
    ? { type: 'done', ref: f.ref, room: { ...ROOM, id: 'd-abcdefghijklmnopqrstuvwxyz', kind: 'direct' } }
    : { type: 'done', ref: f.ref }))
  const results = await Promise.all(calls.map(async ([call]) => await call))
  t.match(results.slice(0, 2), [{ kind: 'direct' }, { kind: 'direct' }], 'direct gives the room, by id or by ticket')
  t.same(results.slice(2), Array.from({ length: calls.length - 2 }, () => undefined), 'the others give nothing')

  const rooms = conn.listRooms()
  socket.deliver({ type: 'rooms', ref: lastSent(socket).ref, rooms: [ENTRY] })
  t.same(await rooms, [ENTRY])
  const members = conn.listMembers(ROOM.id)
  t.match(lastSent(socket), { type: 'list_members', room: ROOM.id })
  socket.deliver({ type: 'members', ref: lastSent(socket).ref, room: ROOM.id, members: [{ user: { id: 'u1', name: 'Ana' }, role: 'owner', addedAt: ROOM.createdAt, addedBy: 'u1' }] })
  t.same((await members).map((m) => m.role), ['owner'])
})

t.test('an error with a request\'s ref rejects that request only, and is still an error event', async (t) => {
  const { conn, socket } = await opened(t, ['lobby'])
  const errors: string[] = []
  conn.on('error', (e) => errors.push(e.code))
  const inviting = handled(conn.invite(ROOM.id, 'u2'))
  const ref = lastSent(socket).ref
  const sending = conn.send('lobby', 'hello', { clientMsgId: 'm1' })
  socket.deliver({ type: 'error', code: 'forbidden', message: 'members may not invite', ref })
  await t.rejects(inviting, { name: 'WebchatError', code: 'forbidden', message: 'members may not invite', ref })
  t.same(errors, ['forbidden'])
  t.same(conn.rooms(), ['lobby'], 'the rooms are untouched')
  socket.deliver({ type: 'ack', clientMsgId: 'm1', id: '1-0' })
  t.equal(await sending, '1-0', 'and so are the sends')
  const made = handled(conn.createRoom({ title: 'x' }))
  socket.deliver({ type: 'done', ref: lastSent(socket).ref })
  await t.rejects(made, { code: 'bad_response' }, 'a create answered without a room')
})

t.test('a request in flight fails with unavailable on a drop and is not resent; one made offline waits for ready', async (t) => {
  const { conn, socket, timers } = await opened(t, [])
  const made = handled(conn.createRoom({ title: 'Once' }))
  socket.drop(1006)
  await t.rejects(made, { code: 'unavailable' })
  const listing = conn.listRooms()
  await timers.advance(1000)
  const next = FakeSocket.last()
  t.not(next, socket)
  t.same(next.sent, [], 'nothing before ready')
  next.accept()
  t.same(next.sent.map((f) => f.type), ['list_rooms'], 'the waiting request goes after ready; the create does not')
  next.deliver({ type: 'rooms', ref: lastSent(next).ref, rooms: [ENTRY] })
  t.same(await listing, [ENTRY])
})

t.test('a request waits for ready at most the request timeout; after close() every request fails', async (t) => {
  const { conn, timers } = setup(t, { requestTimeoutMs: 5000 })
  await timers.flush()
  const waiting = handled(conn.listRooms())
  await timers.advance(5000)
  await t.rejects(waiting, { code: 'timeout' })
  t.same(FakeSocket.last().sent, [])
  const pending = handled(conn.listMembers(ROOM.id))
  conn.close()
  await t.rejects(pending, { code: 'closed' })
  await t.rejects(conn.direct('u2'), { code: 'closed' })
})

t.test('the user\'s list and roster events reach listeners', async (t) => {
  const { conn, timers } = setup(t)
  const seen: string[] = []
  for (const event of ['rooms', 'room', 'room_removed', 'room_updated', 'member'] as const) conn.on(event, (frame) => seen.push(frame.type))
  await timers.flush()
  const socket = FakeSocket.last()
  socket.accept()
  socket.deliver([
    { type: 'rooms', rooms: [ENTRY] },
    { type: 'room', entry: { ...ENTRY, role: 'member' } },
    { type: 'room_updated', room: ROOM.id, details: { ...ROOM, topic: 'Tuesday' } },
    { type: 'member', room: ROOM.id, event: 'muted', user: { id: 'u2', name: 'Ben' }, mutedUntil: 'forever', by: 'u1' },
    { type: 'room_removed', room: ROOM.id, reason: 'left' }
  ])
  t.same(seen, ['rooms', 'room', 'room_updated', 'member', 'room_removed'])
})

t.test('a room whose membership ended is not rejoined after a reconnect', async (t) => {
  const { conn, socket, timers } = await opened(t, ['lobby', ROOM.id, 'side'])
  const lefts: Array<string | undefined> = []
  conn.on('left', (frame) => lefts.push(frame.reason))
  const queued = handled(conn.send(ROOM.id, 'too late', { clientMsgId: 'late' }))
  socket.deliver({ type: 'ack', clientMsgId: 'late', id: '1-0' })
  await queued
  socket.drop(1006)
  const lost = handled(conn.send(ROOM.id, 'never', { clientMsgId: 'never' }))
  await timers.advance(1000)
  const second = FakeSocket.last()
  second.accept()
  second.deliver(joined('lobby'))
  // The server ended it meanwhile: its rejoin is answered `left {reason}`.
  second.deliver([{ type: 'left', room: ROOM.id, reason: 'removed' }, { type: 'room_removed', room: ROOM.id, reason: 'removed' }])
  t.same(lefts, ['removed'])
  await t.rejects(lost, { code: 'not_joined', ref: ROOM.id })
  t.same(conn.rooms(), ['lobby', 'side'])
  second.deliver({ type: 'room_removed', room: 'side', reason: 'banned' })
  t.same(conn.rooms(), ['lobby'], 'room_removed alone drops it too')
  conn.leave('lobby')
  second.deliver({ type: 'left', room: 'lobby' })
  t.same(lefts, ['removed', undefined], 'the answer to leave() is a left without a reason')
  const rejoining = handled(conn.join('lobby'))
  second.drop(1006)
  await timers.advance(1000)
  FakeSocket.last().accept()
  t.same(FakeSocket.last().ofType('join').map((f) => f.room), ['lobby'], 'only the room still wanted is rejoined')
  FakeSocket.last().deliver(joined('lobby'))
  t.equal((await rejoining).room, 'lobby')
})
