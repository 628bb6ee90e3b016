import t from 'tap'
import { LIMITS, NO_EPOCH, type ServerFrameOf } from '@webchat/shared'
import { fail } from '../../src/connection/refusal.js'
import { createRooms } from '../../src/connection/rooms.js'
import type { WebchatError } from '../../src/errors.js'
import { createFakeLink } from '../helpers/fake-link.js'
import { createFakeTimers } from '../helpers/fake-timers.js'
import { chat, handled, joined } from '../helpers/setup.js'

/** Rooms over a fake link, recording what they tell the rest of the connection. */
function tracked (initial?: string[]) {
  const timers = createFakeTimers()
  const link = createFakeLink()
  const told = { stored: [] as string[], joined: [] as Array<ServerFrameOf<'joined'>>, usable: [] as string[], forgotten: [] as Array<[string, WebchatError]> }
  const rooms = createRooms({
    timers,
    backoff: { random: () => 0 },
    initial,
    transmit: link.transmit,
    hooks: {
      stored: (m) => told.stored.push(m.id),
      joined: (frame) => told.joined.push(frame),
      usable: (track) => told.usable.push(track.room),
      forgotten: (room, err) => told.forgotten.push([room, err])
    }
  })
  return { timers, link, told, rooms }
}

t.test('starts with the valid initial rooms and joins them all on a new socket', async (t) => {
  const { link, rooms } = tracked(['lobby', 'Not A Room', 'dev'])
  t.same(rooms.names(), ['lobby', 'dev'])
  rooms.rejoinAll()
  t.same(link.ofType('join'), [{ type: 'join', room: 'lobby' }, { type: 'join', room: 'dev' }])
  t.equal(rooms.get('lobby')?.joining, true)
  t.equal(rooms.isJoined('lobby'), false)
})

t.test('join checks the name and the room limit, and waits for the answer', async (t) => {
  const { link, rooms, told } = tracked()
  await t.rejects(rooms.join('Not A Room'), { code: 'invalid_room' })
  const joining = rooms.join('lobby')
  const again = rooms.join('lobby')
  t.equal(link.ofType('join').length, 1, 'one join for both callers')
  rooms.answer(joined('lobby', { messages: [chat('lobby', '1-0')] }))
  t.same((await joining).messages.map((m) => m.id), ['1-0'])
  t.equal(await again, await joining)
  t.same(told.joined.map((j) => j.room), ['lobby'])
  t.same(told.usable, ['lobby'])
  t.equal(await rooms.join('lobby'), told.joined[0], 'joined already: its last joined frame at once')
  const full = tracked(Array.from({ length: LIMITS.roomsPerConnection }, (_, i) => `r${i}`))
  await t.rejects(full.rooms.join('one-more'), { code: 'too_many_rooms', ref: 'one-more' })
})

t.test('an answer keeps only unseen messages, tells of every stored one, and is ignored for an unknown room', async (t) => {
  const { rooms, told } = tracked(['lobby'])
  rooms.answer(joined('lobby', { messages: [chat('lobby', '1-0')] }))
  t.equal(rooms.admit('lobby', '2-0'), true)
  t.equal(rooms.admit('lobby', '2-0'), false, 'seen')
  t.equal(rooms.admit('dev', '2-0'), false, 'not tracked')
  rooms.answer(joined('lobby', { messages: [chat('lobby', '2-0'), chat('lobby', '3-0')] }))
  t.same(told.joined[1]!.messages.map((m) => m.id), ['3-0'])
  t.same(told.stored, ['1-0', '2-0', '3-0'])
  rooms.answer(joined('dev'))
  t.equal(told.joined.length, 2)
})

t.test('a room joined without messages (epoch 0) keeps what it saw when its first message makes the epoch', async (t) => {
  const { rooms, told } = tracked(['lobby'])
  rooms.answer(joined('lobby', { epoch: NO_EPOCH, recovered: false }))
  t.equal(rooms.admit('lobby', '5-0'), true, 'a live message')
  t.same(rooms.get('lobby')!.joinFrame(), { type: 'join', room: 'lobby', since: '5-0', epoch: NO_EPOCH })
  rooms.answer(joined('lobby', { epoch: 'e1', messages: [chat('lobby', '5-0'), chat('lobby', '6-0')] }))
  t.same(told.joined[1]!.messages.map((m) => m.id), ['6-0'], 'no reset: what was seen stays seen')
  t.same(rooms.get('lobby')!.joinFrame(), { type: 'join', room: 'lobby', since: '6-0', epoch: 'e1' })
  rooms.answer(joined('lobby', { epoch: 'e2', messages: [chat('lobby', '6-0')] }))
  t.same(told.joined[2]!.messages.map((m) => m.id), ['6-0'], 'a real change of epoch still resets')
})

t.test('a listener that leaves on joined stops the room from being used', async (t) => {
  const timers = createFakeTimers()
  const link = createFakeLink()
  const usable: string[] = []
  const rooms = createRooms({
    timers,
    backoff: undefined,
    initial: ['lobby'],
    transmit: link.transmit,
    hooks: { stored: () => {}, joined: (frame) => rooms.leave(frame.room), usable: (track) => usable.push(track.room), forgotten: () => {} }
  })
  rooms.answer(joined('lobby'))
  t.same(usable, [])
  t.same(link.ofType('leave'), [{ type: 'leave', room: 'lobby' }])
})

t.test('a join refused for a passing reason goes again with backoff; waiters keep waiting', async (t) => {
  const { timers, link, rooms } = tracked()
  const joining = rooms.join('lobby')
  t.equal(rooms.refused('lobby', 'unavailable', fail('unavailable', 'down', 'lobby')), true)
  t.equal(rooms.refused('lobby', 'unavailable', fail('unavailable', 'down', 'lobby')), false, 'no join out: not a join refusal')
  await timers.advance(999)
  t.equal(link.ofType('join').length, 1)
  await timers.advance(1)
  t.equal(link.ofType('join').length, 2)
  rooms.refused('lobby', 'rate_limited', fail('rate_limited', 'slow', 'lobby'))
  t.same(timers.pending(), [2000], 'longer the second time')
  await timers.advance(2000)
  rooms.answer(joined('lobby'))
  t.equal((await joining).room, 'lobby')
  t.equal(rooms.refused('lobby', 'unavailable', fail('unavailable', 'down', 'lobby')), false, 'joined: not a join refusal')
})

t.test('a join refused for good forgets the room: its waiters fail, the rest of the connection is told', async (t) => {
  const { rooms, told } = tracked()
  const joining = handled(rooms.join('lobby'))
  const err = fail('too_many_rooms', 'no', 'lobby')
  t.equal(rooms.refused('lobby', 'too_many_rooms', err), true)
  await t.rejects(joining, err)
  t.same(rooms.names(), [])
  t.same(told.forgotten, [['lobby', err]])
})

t.test('leave forgets the room and says so to the server; an unknown room is ignored', async (t) => {
  const { link, rooms, told } = tracked(['lobby'])
  rooms.leave('dev')
  t.same(link.sent, [])
  const waiting = handled(rooms.join('lobby'))
  rooms.leave('lobby')
  await t.rejects(waiting, { code: 'not_joined', ref: 'lobby' })
  t.same(told.forgotten.map(([room, err]) => [room, err.code]), [['lobby', 'not_joined']])
  t.same(link.ofType('leave'), [{ type: 'leave', room: 'lobby' }])
})

t.test('a membership the server ended drops the room: not rejoined, nothing said to the server', async (t) => {
  const { timers, link, rooms, told } = tracked(['lobby', 'p-abcdefghijklmnopqrstuvwx'])
  rooms.rejoinAll()
  rooms.answer(joined('lobby'))
  const joining = handled(rooms.join('p-abcdefghijklmnopqrstuvwx'))
  rooms.refused('p-abcdefghijklmnopqrstuvwx', 'unavailable', fail('unavailable', 'down', 'p-abcdefghijklmnopqrstuvwx'))
  t.equal(rooms.ended('p-abcdefghijklmnopqrstuvwx', 'removed'), true)
  await t.rejects(joining, { code: 'not_joined', ref: 'p-abcdefghijklmnopqrstuvwx', message: /removed/ })
  t.same(timers.pending(), [], 'its rejoin timer is stopped')
  t.equal(rooms.ended('lobby', 'banned'), true)
  t.equal(rooms.ended('lobby', 'banned'), false, 'a second notice finds nothing')
  t.same(rooms.names(), [])
  t.same(told.forgotten.map(([room, err]) => [room, err.code]), [['p-abcdefghijklmnopqrstuvwx', 'not_joined'], ['lobby', 'not_joined']])
  t.same(link.ofType('leave'), [], 'the server closed it already')
  const before = link.sent.length
  rooms.rejoinAll()
  t.equal(link.sent.length, before, 'a new socket rejoins neither')
})

t.test('a drop unjoins every room and stops its timers; the end fails every join waiting', async (t) => {
  const { timers, rooms } = tracked(['lobby', 'dev'])
  rooms.rejoinAll()
  rooms.answer(joined('lobby'))
  rooms.refused('dev', 'unavailable', fail('unavailable', 'down', 'dev'))
  rooms.get('lobby')!.typingTimer = timers.setTimeout(() => {}, 100)
  t.equal(timers.pending().length, 2)
  rooms.reset()
  t.same([rooms.isJoined('lobby'), rooms.get('dev')!.joining], [false, false])
  t.same(timers.pending(), [])
  const waiting = handled(rooms.join('dev'))
  rooms.rejectJoins(fail('closed', 'closed'))
  await t.rejects(waiting, { code: 'closed' })
})
