import t from 'tap'
import { LIMITS } from '@webchat/shared'
import { createSignals } from '../../src/connection/signals.js'
import { createRoomTrack, type RoomTrack } from '../../src/room-track.js'
import { createFakeLink } from '../helpers/fake-link.js'
import { createFakeTimers } from '../helpers/fake-timers.js'

/** Signals over a fake link, with `lobby` tracked (joined unless told) and nothing else. */
function signalling (joined = true) {
  const timers = createFakeTimers()
  const link = createFakeLink()
  const lobby: RoomTrack = createRoomTrack('lobby')
  lobby.joined = joined
  const tracks = new Map([['lobby', lobby]])
  const signals = createSignals({ timers, rooms: { get: (room) => tracks.get(room) }, link })
  return { timers, link, lobby, tracks, signals }
}

t.test('typing goes out at most once per interval (with a margin); the last of a burst goes when it ends', async (t) => {
  const { timers, link, signals } = signalling()
  t.equal(signals.typing('lobby'), true)
  t.equal(signals.typing('lobby'), false)
  t.equal(signals.typing('lobby'), false)
  t.same(timers.pending(), [LIMITS.typingIntervalMs + 250], 'one held-back signal')
  await timers.advance(LIMITS.typingIntervalMs + 250)
  t.same(link.ofType('typing'), [{ type: 'typing', room: 'lobby' }, { type: 'typing', room: 'lobby' }])
  t.equal(signals.typing('lobby'), false, 'the held-back one started a new interval')
})

t.test('no typing in a room not joined, not tracked, or while the socket is closed', async (t) => {
  const { link, signals } = signalling(false)
  t.equal(signals.typing('lobby'), false)
  t.equal(signals.typing('dev'), false)
  const open = signalling()
  open.link.open = false
  t.equal(open.signals.typing('lobby'), false)
  t.same([...link.sent, ...open.link.sent], [])
})

t.test('a send drops the held-back typing signal; one of a room left meanwhile is not sent', async (t) => {
  const { timers, link, tracks, signals } = signalling()
  signals.typing('lobby')
  signals.typing('lobby')
  signals.cancelTyping('lobby')
  signals.cancelTyping('dev')
  t.same(timers.pending(), [])
  signals.typing('lobby')
  tracks.delete('lobby')
  await timers.advance(LIMITS.typingIntervalMs + 250)
  t.equal(link.ofType('typing').length, 1)
})

t.test('read markers: only newer than what the server has, and kept until the room is joined', async (t) => {
  const { link, lobby, signals } = signalling(false)
  signals.read('lobby', '3-0')
  signals.read('lobby', '2-0')
  signals.read('dev', '9-0')
  t.same(link.sent, [], 'not joined yet')
  t.equal(lobby.wantRead, '3-0', 'the newest is kept')
  lobby.joined = true
  lobby.sentRead = '4-0'
  signals.flushRead(lobby)
  t.same(link.sent, [], 'the server has a newer one')
  lobby.sentRead = '1-0'
  signals.flushRead(lobby)
  t.same(link.ofType('read'), [{ type: 'read', room: 'lobby', id: '3-0' }])
  t.equal(lobby.sentRead, '3-0')
  signals.flushRead(lobby)
  t.equal(link.sent.length, 1, 'not twice')
})

t.test('a read marker that could not be written stays to send', async (t) => {
  const { link, lobby, signals } = signalling()
  link.open = false
  signals.read('lobby', '5-0')
  t.equal(lobby.sentRead, undefined)
  link.open = true
  signals.flushRead(lobby)
  t.same(link.ofType('read'), [{ type: 'read', room: 'lobby', id: '5-0' }])
})
