import t from 'tap'
import type { Room, RoomListEntry } from '@webchat/shared'
import { WebchatError } from '@webchat/client'
import { joined } from './helpers/fake-connection.js'
import { ME, storeWith } from './helpers/store.js'

const settle = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

const details = (id: string, kind: Room['kind'], title = `Title ${id}`): Room =>
  ({ id, kind, title, topic: '', createdAt: '2030-01-01T00:00:00.000Z', createdBy: 'ana', archived: false })
const entry = (id: string, kind: Room['kind'], extra: Partial<RoomListEntry> = {}): RoomListEntry =>
  ({ room: details(id, kind), role: 'member', ...extra })

t.test('the server lists my rooms: they join the list beside the public ones, each once, and are joined', async (t) => {
  const { store, fake, saved } = storeWith({ rooms: ['general'] })
  fake.emit('rooms', { type: 'rooms', rooms: [entry('p-1', 'private'), entry('d-1', 'direct', { peer: { id: 'ben', name: 'Ben' } })] })
  t.same([...store.rooms.value.keys()], ['general', 'p-1', 'd-1'])
  t.same(fake.log.joins.map((j) => j.room), ['p-1', 'd-1'], 'each listed room is joined')
  t.same(saved(), ['general'], 'only public rooms are kept in the browser')

  fake.emit('room', { type: 'room', entry: entry('general', 'public') })
  t.same([...store.rooms.value.keys()], ['general', 'p-1', 'd-1'], 'a public room the server lists too is there once')
  t.ok(store.rooms.value.get('general')!.info.listed)

  fake.emit('room', { type: 'room', entry: entry('p-2', 'private') })
  t.ok(store.rooms.value.has('p-2'), 'a room added live')
  fake.emit('room_updated', { type: 'room_updated', room: 'p-2', details: { ...details('p-2', 'private'), title: 'Renamed', topic: 'Now' } })
  t.same([store.rooms.value.get('p-2')!.info.title, store.rooms.value.get('p-2')!.info.topic], ['Renamed', 'Now'])

  fake.emit('rooms', { type: 'rooms', rooms: [entry('p-1', 'private'), entry('d-1', 'direct')] })
  t.notOk(store.rooms.value.has('p-2'), 'a listed room missing from a new list (after a reconnect) goes')
  t.notOk(store.rooms.value.get('general')!.info.listed, 'a public one stays, as joined by name')
  t.equal(store.notice.value, 'You are no longer in Renamed.')
})

t.test('removed or banned: the room goes at once, with a notice, and the next room opens', async (t) => {
  const { store, fake } = storeWith({ rooms: ['general'] })
  fake.emit('rooms', { type: 'rooms', rooms: [entry('p-1', 'private'), entry('p-2', 'private')] })
  store.select('p-1')
  fake.emit('left', { type: 'left', room: 'p-1', reason: 'removed' })
  t.notOk(store.rooms.value.has('p-1'))
  t.equal(store.notice.value, 'You were removed from Title p-1.')
  t.equal(store.active.value, 'general', 'another room opens')
  fake.emit('room_removed', { type: 'room_removed', room: 'p-1', reason: 'removed' })
  t.equal(store.notice.value, 'You were removed from Title p-1.', 'the second word of it changes nothing')
  store.dismissNotice()
  fake.emit('room_removed', { type: 'room_removed', room: 'p-2', reason: 'banned' })
  t.equal(store.notice.value, 'You were banned from Title p-2.')
  fake.emit('room', { type: 'room', entry: entry('p-3', 'private') })
  fake.emit('room_removed', { type: 'room_removed', room: 'p-3', reason: 'left' })
  t.notOk(store.rooms.value.has('p-3'), 'left on another device: gone')
  t.equal(store.notice.value, 'You were banned from Title p-2.', 'without a notice')
  fake.emit('room', { type: 'room', entry: entry('p-4', 'private') })
  fake.emit('left', { type: 'left', room: 'p-4', reason: 'archived' })
  t.ok(store.rooms.value.get('p-4')!.info.archived, 'archived: kept, read-only')
  fake.emit('left', { type: 'left', room: 'general' })
  t.ok(store.rooms.value.has('general'), 'a plain left (this socket\'s own leave) is no removal')
})

t.test('the last room removed: the default room opens', async (t) => {
  const { store, fake } = storeWith({ rooms: ['general'] })
  fake.emit('room', { type: 'room', entry: entry('p-1', 'private') })
  store.leave('general')
  t.same([...store.rooms.value.keys()], ['p-1'])
  fake.emit('room_removed', { type: 'room_removed', room: 'p-1', reason: 'removed' })
  t.same([...store.rooms.value.keys()], ['general'])
  t.equal(store.active.value, 'general')
  t.equal(fake.log.joins.at(-1)!.room, 'general', 'and is joined')
})

t.test('mutes and roles of mine follow the server', async (t) => {
  const { store, fake } = storeWith({ rooms: ['general'] })
  fake.emit('room', { type: 'room', entry: entry('p-1', 'private') })
  store.select('p-1')
  fake.emit('room', { type: 'room', entry: entry('p-1', 'private', { mutedUntil: 'forever' }) })
  t.equal(store.view.info.value.mutedUntil, 'forever', 'muted')
  fake.emit('member', { type: 'member', room: 'p-1', event: 'unmuted', user: { id: ME.id, name: ME.name }, by: 'ana' })
  t.equal(store.view.info.value.mutedUntil, undefined, 'unmuted')
  fake.emit('member', { type: 'member', room: 'p-1', event: 'role', user: { id: ME.id, name: ME.name }, role: 'moderator', by: 'ana' })
  t.equal(store.view.info.value.role, 'moderator')
})

t.test('the open room\'s roster is asked for once a join, and kept current', async (t) => {
  const { store, fake } = storeWith({ rooms: ['general'] })
  t.same(fake.log.requests, [], 'a public room joined by name has no roster to ask for')
  fake.emit('room', { type: 'room', entry: entry('p-1', 'private', { role: 'owner' }) })
  fake.emit('room', { type: 'room', entry: entry('d-1', 'direct') })
  store.select('d-1')
  t.same(fake.log.requests, [], 'nor a direct room')
  store.select('p-1')
  t.same(fake.log.requests.map((r) => [r.method, r.args]), [['listMembers', ['p-1']]])
  fake.log.requests[0]!.reply.resolve([{ user: { id: ME.id, name: ME.name }, role: 'owner', addedAt: 'x', addedBy: ME.id }])
  await settle()
  t.same(store.view.members.value.map((m) => [m.id, m.role]), [[ME.id, 'owner']])
  fake.emit('member', { type: 'member', room: 'p-1', event: 'added', user: { id: 'ben', name: 'Ben' }, role: 'member', by: ME.id })
  t.same(store.view.members.value.map((m) => m.id), ['ben', ME.id], 'a member added live')
  store.select('general')
  store.select('p-1')
  t.equal(fake.log.requests.length, 1, 'not asked again while it is current')
  fake.emit('joined', joined('p-1', []))
  t.equal(fake.log.requests.length, 2, 'a rejoin may have missed changes: asked again')
})

t.test('making, editing, leaving and managing rooms', async (t) => {
  const { store, fake } = storeWith({ rooms: ['general', 'dev'] })
  const made = store.createRoom('Launch', '')
  t.same(fake.log.requests[0]!.args, [{ title: 'Launch' }], 'an empty topic is not sent')
  fake.log.requests[0]!.reply.resolve(details('p-9', 'private', 'Launch'))
  t.equal(await made, undefined)
  t.equal(store.active.value, 'p-9', 'the new room opens')
  t.equal(store.view.info.value.role, 'owner')

  const edit = store.editRoom('Launch day', 'Monday')
  t.same(fake.log.requests.at(-1)!.args, ['p-9', { title: 'Launch day', topic: 'Monday' }])
  fake.log.requests.at(-1)!.reply.reject(new WebchatError('forbidden', 'only the owner and moderators edit a room'))
  t.equal(await edit, 'only the owner and moderators edit a room', 'the server\'s refusal, as text')

  const cases = [
    [{ item: 'remove' }, 'remove', ['p-9', 'ben']],
    [{ item: 'ban' }, 'ban', ['p-9', 'ben']],
    [{ item: 'unban' }, 'unban', ['p-9', 'ben']],
    [{ item: 'mute', minutes: 15 }, 'mute', ['p-9', 'ben', 15]],
    [{ item: 'mute', minutes: undefined }, 'mute', ['p-9', 'ben', undefined]],
    [{ item: 'unmute' }, 'unmute', ['p-9', 'ben']],
    [{ item: 'promote' }, 'setRole', ['p-9', 'ben', 'moderator']],
    [{ item: 'demote' }, 'setRole', ['p-9', 'ben', 'member']],
    [{ item: 'hand_over' }, 'setRole', ['p-9', 'ben', 'owner']]
  ] as const
  for (const [what, method, args] of cases) {
    const done = store.moderate('ben', what)
    t.same([fake.log.requests.at(-1)!.method, fake.log.requests.at(-1)!.args], [method, args], `${what.item}`)
    fake.log.requests.at(-1)!.reply.resolve(undefined)
    t.equal(await done, undefined)
  }

  const leaving = store.leaveRoom('p-9')
  t.same([fake.log.requests.at(-1)!.method, fake.log.requests.at(-1)!.args], ['leaveRoom', ['p-9']])
  fake.log.requests.at(-1)!.reply.reject(new WebchatError('forbidden', 'hand the room over before leaving it'))
  t.equal(await leaving, 'hand the room over before leaving it', 'an owner is told to hand over first')
  t.ok(store.rooms.value.has('p-9'), 'and stays')
  const left = store.leaveRoom('p-9')
  fake.log.requests.at(-1)!.reply.resolve(undefined)
  t.equal(await left, undefined)
  t.notOk(store.rooms.value.has('p-9'), 'left: gone')
  t.equal(store.notice.value, '', 'no notice for my own leaving')
  const before = fake.log.requests.length
  t.equal(await store.leaveRoom('general'), undefined)
  t.equal(fake.log.requests.length, before, 'a room joined by name is only left here')
  t.same(fake.log.leaves, ['general'])
  t.equal(await store.leaveRoom('dev'), undefined)
  t.same([...store.rooms.value.keys()], ['dev'], 'but never the last one')
})

t.test('by email address: a ticket from auth, then the chat request with it', async (t) => {
  const { store, fake, auth } = storeWith({ rooms: ['general'] })
  fake.emit('room', { type: 'room', entry: entry('p-1', 'private', { role: 'owner' }) })
  store.select('p-1')
  fake.log.requests.shift() // the roster
  const invited = store.invite('ben@example.com')
  await settle()
  t.same(auth.invitations, ['ben@example.com'])
  t.same([fake.log.requests[0]!.method, fake.log.requests[0]!.args], ['invite', ['p-1', { ticket: 'ticket-for-ben@example.com' }]])
  fake.log.requests[0]!.reply.reject(new WebchatError('banned', 'that user is banned from this room: unban them first'))
  t.equal(await invited, 'that user is banned from this room: unban them first')
  t.equal(store.notice.value, '', 'a refused invitation sends nothing')
  const again = store.invite('dee@example.com')
  await settle()
  fake.log.requests.pop()!.reply.resolve(undefined)
  t.equal(await again, undefined)
  t.equal(store.notice.value, 'Invitation sent to dee@example.com.')

  const started = store.startDirect('cy@example.com')
  await settle()
  t.same([fake.log.requests[1]!.method, fake.log.requests[1]!.args], ['direct', [{ ticket: 'ticket-for-cy@example.com' }]])
  fake.log.requests[1]!.reply.resolve(details('d-7', 'direct', ''))
  t.equal(await started, undefined)
  t.equal(store.active.value, 'd-7', 'the conversation opens')
  t.equal(store.rooms.value.get('d-7')!.info.kind, 'direct')
})

t.test('a private room\'s id typed by an outsider, or in the address: not found, and gone', async (t) => {
  const { store, fake } = storeWith({ rooms: ['general'], initialRoom: 'p-secret' })
  t.equal(store.view.info.value.kind, 'private', 'the address names a private room')
  fake.emit('error', { type: 'error', code: 'not_found', message: 'no such room', ref: 'p-secret' })
  t.notOk(store.rooms.value.has('p-secret'))
  t.match(store.notice.value, /^Room not found/)
  store.dismissNotice()

  const joining = store.join('p-other')
  fake.emit('error', { type: 'error', code: 'not_found', message: 'no such room', ref: 'p-other' })
  fake.log.joins.find((j) => j.room === 'p-other')!.reply.reject(new WebchatError('not_found', 'no such room', { ref: 'p-other' }))
  t.equal(await joining, 'Not found: no such room, or it is private.', 'the join form says so')
  t.notOk(store.rooms.value.has('p-other'))
  t.equal(store.notice.value, '', 'once: by the form, not also as a notice')
})
