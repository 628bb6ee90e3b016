import t from 'tap'
import type { Room } from '@webchat/shared'
import { fail } from '../../src/connection/refusal.js'
import { createRequests } from '../../src/connection/requests.js'
import { createFakeLink } from '../helpers/fake-link.js'
import { createFakeTimers } from '../helpers/fake-timers.js'
import { handled } from '../helpers/setup.js'

const ROOM: Room = { id: 'p-abcdefghijklmnopqrstuvwx', kind: 'private', title: 'Launch', topic: '', createdAt: '2026-12-05T09:00:00.000Z', createdBy: 'u1', archived: false }

function requesting (open = true) {
  const timers = createFakeTimers()
  const link = createFakeLink()
  link.open = open
  const requests = createRequests({ timers, timeoutMs: 5000, link })
  /** The ref of the n-th frame written. */
  const ref = (n: number): string => (link.sent[n] as { ref: string }).ref
  return { timers, link, requests, ref }
}

t.test('each request goes out with a fresh ref and is settled by the answer with that ref', async (t) => {
  const { link, requests, ref, timers } = requesting()
  const made = requests.ask('create', { title: 'Launch' })
  const invited = requests.ask('invite', { room: ROOM.id, user: 'u2' })
  const listed = requests.ask('list_members', { room: ROOM.id })
  t.same(link.sent.map((f) => f.type), ['create', 'invite', 'list_members'])
  t.match(link.sent[0], { type: 'create', title: 'Launch', ref: /^req:/ })
  t.equal(new Set([ref(0), ref(1), ref(2)]).size, 3, 'three different refs')
  t.notOk(/^[a-z0-9_-]+$/.test(ref(0)), 'a ref is never a room name')
  // Answered out of order: each goes to the request with its ref.
  t.equal(requests.answer({ type: 'members', ref: ref(2), room: ROOM.id, members: [] }), true)
  t.equal(requests.answer({ type: 'done', ref: ref(1) }), true)
  t.equal(requests.answer({ type: 'done', ref: ref(0), room: ROOM }), true)
  t.same(await made, { type: 'done', ref: ref(0), room: ROOM })
  t.same(await invited, { type: 'done', ref: ref(1) })
  t.same((await listed).members, [])
  t.same(timers.pending(), [], 'their timeouts are cancelled')
})

t.test('answers with an unknown ref, or none, are ignored', async (t) => {
  const { requests, ref } = requesting()
  const listed = requests.ask('list_rooms', {})
  t.equal(requests.answer({ type: 'done', ref: 'req:999' }), false)
  t.equal(requests.answer({ type: 'rooms', rooms: [] }), false, 'the unsolicited list after ready')
  t.equal(requests.refuse('lobby', fail('not_found', 'no', 'lobby')), false, 'an error about a room')
  t.equal(requests.answer({ type: 'rooms', ref: ref(0), rooms: [] }), true)
  t.same((await listed).rooms, [])
  t.equal(requests.answer({ type: 'rooms', ref: ref(0), rooms: [] }), false, 'answered once only')
})

t.test('an answer of the wrong kind fails the request', async (t) => {
  const { requests, ref } = requesting()
  const listed = handled(requests.ask('list_rooms', {}))
  t.equal(requests.answer({ type: 'done', ref: ref(0) }), true)
  await t.rejects(listed, { code: 'bad_response', ref: ref(0) })
})

t.test('an error with a request\'s ref rejects it with the server\'s code', async (t) => {
  const { requests, ref } = requesting()
  const removing = handled(requests.ask('remove', { room: ROOM.id, user: 'u2' }))
  const other = requests.ask('unmute', { room: ROOM.id, user: 'u3' })
  t.equal(requests.refuse(ref(0), fail('forbidden', 'not your role', ref(0))), true)
  await t.rejects(removing, { name: 'WebchatError', code: 'forbidden', ref: ref(0) })
  t.equal(requests.refuse(ref(0), fail('forbidden', 'again', ref(0))), false, 'settled already')
  requests.answer({ type: 'done', ref: ref(1) })
  t.same(await other, { type: 'done', ref: ref(1) }, 'the other request is untouched')
})

t.test('requests in flight when the socket drops fail with a passing unavailable and are not sent again', async (t) => {
  const { link, requests, ref } = requesting()
  const made = handled(requests.ask('create', { title: 'Once' }))
  link.open = false
  const later = requests.ask('list_rooms', {})
  t.equal(link.sent.length, 1, 'the second waits for the socket')
  requests.dropped()
  await t.rejects(made, { code: 'unavailable', ref: ref(0) })
  link.swap()
  requests.flush()
  t.same(link.sent.map((f) => f.type), ['create', 'list_rooms'], 'only the waiting one goes, the create is not repeated')
  requests.answer({ type: 'rooms', ref: ref(1), rooms: [] })
  t.same((await later).rooms, [])
})

t.test('requests made while disconnected wait for ready and go oldest first', async (t) => {
  const { link, requests, ref } = requesting(false)
  const first = requests.ask('direct', { user: 'u2' })
  const second = requests.ask('leave_room', { room: ROOM.id })
  t.same(link.sent, [])
  requests.dropped()
  t.same(link.sent, [], 'a drop before they went does not fail them')
  link.swap()
  requests.flush()
  requests.flush()
  t.same(link.sent.map((f) => f.type), ['direct', 'leave_room'], 'each written once')
  requests.answer({ type: 'done', ref: ref(0), room: { ...ROOM, kind: 'direct' } })
  requests.answer({ type: 'done', ref: ref(1) })
  t.equal((await first).room?.kind, 'direct')
  t.same(await second, { type: 'done', ref: ref(1) })
})

t.test('a request without an answer in time fails with timeout, waiting for ready included', async (t) => {
  const { link, requests, timers } = requesting(false)
  const waiting = handled(requests.ask('list_rooms', {}))
  await timers.advance(3000)
  link.swap()
  requests.flush()
  const ref = (link.sent[0] as { ref: string }).ref
  await timers.advance(1999)
  t.equal(requests.answer({ type: 'rooms', ref: 'req:other', rooms: [] }), false)
  await timers.advance(1)
  await t.rejects(waiting, { code: 'timeout', ref })
  t.equal(requests.answer({ type: 'rooms', ref, rooms: [] }), false, 'a late answer is ignored')
})

t.test('rejectAll fails every request, sent or waiting', async (t) => {
  const { link, requests, timers } = requesting()
  const sent = handled(requests.ask('ban', { room: ROOM.id, user: 'u2' }))
  link.open = false
  const waiting = handled(requests.ask('unban', { room: ROOM.id, user: 'u2' }))
  requests.rejectAll(fail('closed', 'the connection was closed'))
  await t.rejects(sent, { code: 'closed' })
  await t.rejects(waiting, { code: 'closed' })
  t.same(timers.pending(), [])
  link.swap()
  requests.flush()
  t.equal(link.sent.length, 1, 'nothing left to send')
})
