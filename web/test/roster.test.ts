import t from 'tap'
import { infoFromEntry } from '../src/model/room-info.js'
import { applyPresence, memberList } from '../src/model/room-people.js'
import { createRoomState } from '../src/model/room-state.js'
import { applyMemberChange, applyRoster, namePeer } from '../src/model/roster.js'

const entry = (id: string, name: string, role: 'owner' | 'moderator' | 'member', mutedUntil?: string) =>
  ({ user: { id, name }, role, addedAt: '2030-01-01T00:00:00.000Z', addedBy: 'me', ...(mutedUntil === undefined ? {} : { mutedUntil }) })

const privateRoom = () => createRoomState('p-1', infoFromEntry({
  room: { id: 'p-1', kind: 'private', title: 'Launch', topic: '', createdAt: '2030-01-01T00:00:00.000Z', createdBy: 'me', archived: false },
  role: 'owner'
}))

t.test('a roster lists every member with their role, online ones first', async (t) => {
  let room = applyRoster(privateRoom(), [entry('me', 'Me', 'owner'), entry('ben', 'Ben', 'member'), entry('cy', '', 'moderator', 'forever')])
  room = applyPresence(room, 'join', { id: 'ben', name: 'Benjamin' })
  t.same(memberList(room), [
    { id: 'ben', name: 'Benjamin', online: true, role: 'member', mutedUntil: undefined },
    { id: 'cy', name: '', online: false, role: 'moderator', mutedUntil: 'forever' },
    { id: 'me', name: 'Me', online: false, role: 'owner', mutedUntil: undefined }
  ], 'the name seen live wins; offline members are listed too')
  t.same(memberList(applyPresence(privateRoom(), 'join', { id: 'ben', name: 'Ben' })), [{ id: 'ben', name: 'Ben', online: true }], 'without a roster: who was seen')
})

t.test('roster changes, live', async (t) => {
  let room = applyRoster(privateRoom(), [entry('me', 'Me', 'owner'), entry('ben', 'Ben', 'member')])
  room = applyMemberChange(room, { event: 'added', user: { id: 'cy', name: 'Cy' }, role: 'member' }, 'me')
  t.equal(room.roster!.get('cy')?.role, 'member', 'added')
  room = applyMemberChange(room, { event: 'muted', user: { id: 'ben', name: 'Ben' }, mutedUntil: '2030-01-01T01:00:00.000Z' }, 'me')
  t.equal(room.roster!.get('ben')?.mutedUntil, '2030-01-01T01:00:00.000Z', 'muted')
  room = applyMemberChange(room, { event: 'unmuted', user: { id: 'ben', name: 'Ben' } }, 'me')
  t.equal(room.roster!.get('ben')?.mutedUntil, undefined, 'unmuted')
  room = applyMemberChange(room, { event: 'role', user: { id: 'ben', name: 'Ben' }, role: 'owner' }, 'me')
  room = applyMemberChange(room, { event: 'role', user: { id: 'me', name: 'Me' }, role: 'moderator' }, 'me')
  t.same([room.roster!.get('ben')?.role, room.roster!.get('me')?.role, room.info.role], ['owner', 'moderator', 'moderator'], 'a hand-over: my own role changes too')
  room = applyPresence(room, 'join', { id: 'cy', name: 'Cy' })
  room = applyMemberChange(room, { event: 'banned', user: { id: 'cy', name: 'Cy' } }, 'me')
  t.notOk(room.roster!.has('cy'), 'banned: no member')
  t.notOk(room.members.has('cy'), 'nor present')
  t.same([...room.banned.keys()], ['cy'], 'but listed as banned')
  room = applyMemberChange(room, { event: 'unbanned', user: { id: 'cy', name: 'Cy' } }, 'me')
  t.equal(room.banned.size, 0, 'unbanned')
  room = applyMemberChange(room, { event: 'removed', user: { id: 'ben', name: 'Ben' } }, 'me')
  t.same([...room.roster!.keys()], ['me'], 'removed')
})

t.test('changes about me count without a roster', async (t) => {
  let room = privateRoom()
  room = applyMemberChange(room, { event: 'muted', user: { id: 'me', name: 'Me' } }, 'me')
  t.equal(room.info.mutedUntil, 'forever', 'muted with no end: until unmuted')
  t.equal(room.roster, null, 'no roster made up')
  room = applyMemberChange(room, { event: 'unmuted', user: { id: 'me', name: 'Me' } }, 'me')
  t.equal(room.info.mutedUntil, undefined)
  const same = applyMemberChange(room, { event: 'role', user: { id: 'ben', name: 'Ben' }, role: 'moderator' }, 'me')
  t.equal(same, room, 'nothing to change: the same state')
})

t.test('a direct room\'s other person, listed without a name or an older one, is named as seen', async (t) => {
  const direct = createRoomState('d-1', infoFromEntry({
    room: { id: 'd-1', kind: 'direct', title: '', topic: '', createdAt: '2030-01-01T00:00:00.000Z', createdBy: 'me', archived: false },
    role: 'member',
    peer: { id: 'ben', name: '' }
  }))
  t.equal(namePeer(direct), direct, 'not seen yet: unchanged')
  t.same(namePeer(applyPresence(direct, 'join', { id: 'ben', name: 'Ben' })).info.peer, { id: 'ben', name: 'Ben' }, 'present')
  t.same(namePeer({ ...direct, messages: [{ room: 'd-1', id: '1-0', user: { id: 'ben', name: 'Benji' }, text: 'hi', ts: 1 }] }).info.peer, { id: 'ben', name: 'Benji' }, 'writing')
  const named = namePeer(applyPresence(direct, 'join', { id: 'ben', name: 'Ben' }))
  t.equal(namePeer(named), named, 'the same name: unchanged')
  t.equal(namePeer(applyPresence(named, 'join', { id: 'ben', name: 'Benjamin' })).info.peer?.name, 'Benjamin', 'renamed since: the name seen here wins')
})
