import t from 'tap'
import type { RoomListEntry } from '@webchat/shared'
import { composerBlock, groupRooms, infoFromEntry, isMuted, lastLine, localInfo, roomLabel, withDetails } from '../src/model/room-info.js'

const room = (id: string, kind: 'public' | 'private' | 'direct', extra: Partial<RoomListEntry> = {}): RoomListEntry => ({
  room: { id, kind, title: kind === 'direct' ? '' : `Title of ${id}`, topic: '', createdAt: '2030-01-01T00:00:00.000Z', createdBy: 'u1', archived: false },
  role: 'member',
  ...extra
})

t.test('what a room is called, by kind', async (t) => {
  t.equal(roomLabel('general', localInfo('general')), '#general', 'a public room by its name')
  t.equal(roomLabel('p-abc', infoFromEntry(room('p-abc', 'private'))), 'Title of p-abc')
  t.equal(roomLabel('d-abc', infoFromEntry(room('d-abc', 'direct', { peer: { id: 'u2', name: 'Ben' } }))), 'Ben', 'a direct room by the other person')
  t.equal(roomLabel('d-abc', infoFromEntry(room('d-abc', 'direct', { peer: { id: 'u2', name: '' } }))), 'Direct message', 'someone not signed in yet')
  t.equal(localInfo('p-abc').kind, 'private', 'an id in the address says its kind before the list arrives')
  t.equal(localInfo('d-abc').kind, 'direct')
  t.equal(roomLabel('p-abc', localInfo('p-abc')), 'Private room')
  t.notOk(localInfo('general').listed)
})

t.test('the sidebar groups rooms and direct conversations, in order, each room once', async (t) => {
  const groups = groupRooms([
    { name: 'general', info: localInfo('general'), unread: 2, mentions: 1 },
    { name: 'd-1', info: infoFromEntry(room('d-1', 'direct', { peer: { id: 'u2', name: 'Ben' } })), unread: 0, mentions: 0 },
    { name: 'p-1', info: infoFromEntry(room('p-1', 'private')), unread: 1, mentions: 0 }
  ])
  t.same(groups.rooms.map((r) => [r.id, r.kind, r.label, r.unread, r.mentions]), [['general', 'public', '#general', 2, 1], ['p-1', 'private', 'Title of p-1', 1, 0]])
  t.same(groups.direct.map((r) => [r.id, r.label, r.peer]), [['d-1', 'Ben', 'u2']])
})

t.test('my role and mute stay when the room\'s details change', async (t) => {
  const info = infoFromEntry(room('p-1', 'private', { role: 'moderator', mutedUntil: 'forever' }))
  const next = withDetails(info, { ...room('p-1', 'private').room, title: 'New', topic: 'Topic', archived: true })
  t.same([next.title, next.topic, next.archived, next.role, next.mutedUntil], ['New', 'Topic', true, 'moderator', 'forever'])
})

t.test('why the message box is off', async (t) => {
  const now = Date.parse('2030-01-01T12:00:00.000Z')
  const fmt = (ms: number): string => new Date(ms).toISOString()
  const info = infoFromEntry(room('p-1', 'private'))
  t.equal(composerBlock(info, now, fmt), null, 'a member may write')
  t.match(composerBlock({ ...info, archived: true }, now, fmt), /archived: it is read-only/)
  t.match(composerBlock({ ...info, mutedUntil: 'forever' }, now, fmt), /muted in this room until a moderator unmutes you/)
  t.match(composerBlock({ ...info, mutedUntil: '2030-01-01T12:15:00.000Z' }, now, fmt), /muted in this room until 2030-01-01T12:15:00.000Z/)
  t.equal(composerBlock({ ...info, mutedUntil: '2030-01-01T11:00:00.000Z' }, now, fmt), null, 'a mute that ended')
  t.notOk(isMuted(undefined, now))
  t.ok(isMuted('forever', now))
})

t.test('a room\'s newest message as its hover text', async (t) => {
  const last = { id: '1-0', user: { id: 'ben', name: 'Ben' }, preview: 'The draft…', ts: 1 }
  t.equal(lastLine(last), 'Ben: The draft…')
  t.equal(lastLine({ ...last, preview: '', deleted: true }), 'Ben: deleted message')
  t.equal(lastLine(null), undefined)
  t.equal(groupRooms([{ name: 'p-1', info: localInfo('p-1'), unread: 0, mentions: 0, last }]).rooms[0]!.last, 'Ben: The draft…')
})
