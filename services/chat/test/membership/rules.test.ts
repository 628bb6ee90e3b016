import t from 'tap'
import { directRoomId, isReservedRoomId, privateRoomId } from '../../src/membership/room-ids.js'

t.test('room ids: private ones random, direct ones the same for both people, both reserved', async (t) => {
  const ids = new Set(Array.from({ length: 1000 }, () => privateRoomId()))
  t.equal(ids.size, 1000)
  for (const id of ids) t.match(id, /^p-[a-z2-7]{24}$/)
  t.equal(directRoomId('ada', 'bob'), directRoomId('bob', 'ada'))
  t.not(directRoomId('ada', 'bob'), directRoomId('ada', 'bo'))
  t.not(directRoomId('a', 'b-c'), directRoomId('a-b', 'c'), 'ids are separated, not concatenated')
  t.match(directRoomId('ada', 'bob'), /^d-[a-z2-7]{26}$/)
  t.ok(isReservedRoomId('p-x') && isReservedRoomId('d-x'))
  t.notOk(isReservedRoomId('general') || isReservedRoomId('pd-x'))
})

t.test('what a member may not do, decided from the connection\'s copy', async (t) => {
  const { sendRefusal } = await import('../../src/membership/access.js')
  const now = Date.parse('2026-12-05T10:00:00.000Z')
  t.equal(sendRefusal(undefined, now), null, 'a public room')
  t.equal(sendRefusal({ archived: false }, now), null)
  t.match(sendRefusal({ archived: true }, now), { code: 'archived' })
  t.match(sendRefusal({ archived: false, mutedUntil: 'forever' }, now), { code: 'muted', message: 'you are muted in this room' })
  t.match(sendRefusal({ archived: false, mutedUntil: '2026-12-05T10:30:00.000Z' }, now), { code: 'muted', message: /until 2026-12-05T10:30/ })
  t.equal(sendRefusal({ archived: false, mutedUntil: '2026-12-05T09:59:59.999Z' }, now), null, 'a mute that ran out')
})

t.test('a socket keeps the newest of what it was told about a room, in whatever order it comes', async (t) => {
  const { keepNewest } = await import('../../src/membership/access.js')
  const accesses = new Map()
  keepNewest(accesses, 'p-r', { archived: false, mutedUntil: 'forever', rev: 3, since: 100 })
  keepNewest(accesses, 'p-r', { archived: false, rev: 2, since: 200 })
  t.same(accesses.get('p-r'), { archived: false, mutedUntil: 'forever', rev: 3, since: 100 }, 'an older read (a join\'s) does not undo a newer notice')
  keepNewest(accesses, 'p-r', { archived: false, rev: 4, since: 300 })
  t.same(accesses.get('p-r'), { archived: false, rev: 4, since: 100 }, 'a newer one replaces it, and the socket is still in since it was let in')
})

t.test('a copy made from a read before a room or member change is older than the notice of it', async (t) => {
  const { revOf } = await import('../../src/membership/records.js')
  const room = { kind: 'private' as const, title: 't', topic: '', createdAt: '', createdBy: 'a', archived: false }
  const member = { role: 'member' as const, name: 'n', addedAt: '', addedBy: 'a' }
  const before = revOf(room, member)
  t.ok(revOf({ ...room, archived: true, rev: 1 }, member) > before, 'archiving the room')
  t.ok(revOf(room, { ...member, mutedUntil: 'forever', rev: 1 }) > before, 'muting the member')
  t.ok(revOf({ ...room, rev: 3 }, { ...member, rev: 2 }) > revOf({ ...room, rev: 3 }, { ...member, rev: 1 }), 'each count only grows, so their sum does')
})
