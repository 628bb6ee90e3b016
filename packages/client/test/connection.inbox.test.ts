import t from 'tap'
import { emptyInbox, type InboxEntry, type RoomListEntry } from '@webchat/shared'
import { FakeSocket } from './helpers/fake-socket.js'
import { chat, joined, msg, opened } from './helpers/setup.js'

const entry = (id: string, inbox: Partial<InboxEntry> = {}): RoomListEntry => ({
  room: { id, kind: 'private', title: id, topic: '', createdAt: '2030-01-01T00:00:00.000Z', createdBy: 'u1', archived: false },
  role: 'member',
  inbox: { ...emptyInbox(), ...inbox }
})
const last = (id: string) => ({ id, user: { id: 'u2', name: 'Ben' }, preview: `text ${id}`, ts: 1 })

t.test('the inbox: the server\'s entries, counted here for joined rooms, totals', async (t) => {
  const { conn, socket } = await opened(t, ['lobby'])
  const heard: Array<[string, number | undefined]> = []
  conn.on('inbox', ({ room, inbox }) => heard.push([room, inbox?.unread]))
  socket.deliver({
    type: 'rooms',
    rooms: [entry('lobby', { seq: 4, readSeq: 2, unread: 2, lastRead: '2-0', last: last('4-0') }), entry('side', { seq: 1, unread: 1, mentions: 1 })],
    totals: { unread: 3, mentions: 1, rooms: 2 }
  })
  t.same(conn.totals(), { unread: 3, mentions: 1, rooms: 2 })

  socket.deliver(msg('lobby', '5-0', 'hi @Ana', { seq: 5, mentions: ['u1'] }))
  t.match(conn.inbox().get('lobby'), { seq: 5, unread: 3, mentions: 1, last: { id: '5-0', preview: 'hi @Ana' } }, 'a joined room counts its messages')
  socket.deliver(msg('side', '9-0', 'x', { seq: 2 }))
  t.match(conn.inbox().get('side'), { seq: 1, unread: 1 }, 'a room not joined here is the server\'s to count')
  socket.deliver({ type: 'inbox', room: 'side', inbox: { ...emptyInbox(), seq: 2, unread: 2, mentions: 1, last: last('9-0') } })
  t.same(conn.totals(), { unread: 5, mentions: 2, rooms: 2 })

  conn.read('lobby', '4-0')
  t.equal(conn.inbox().get('lobby')!.unread, 3, 'reading short of the newest waits for the server')
  conn.read('lobby', '5-0')
  t.match(conn.inbox().get('lobby'), { readSeq: 5, unread: 0, mentions: 0, lastRead: '5-0' }, 'reading the newest reads everything')

  socket.deliver({ type: 'change', room: 'lobby', id: '6-0', kind: 'edit', target: '5-0', user: { id: 'u2', name: 'Ben' }, ts: 2, text: 'edited', editedAt: 2 })
  t.equal(conn.inbox().get('lobby')!.last!.preview, 'edited', 'an edit of the newest message shows in its preview')
  socket.deliver({ type: 'change', room: 'lobby', id: '7-0', kind: 'delete', target: '5-0', user: { id: 'u2', name: 'Ben' }, ts: 3 })
  t.match(conn.inbox().get('lobby')!.last, { preview: '', deleted: true })

  socket.deliver(msg('lobby', '8-0', 'mine', { seq: 6, user: { id: 'u1', name: 'Ana' } }))
  t.match(conn.inbox().get('lobby'), { seq: 6, readSeq: 6, unread: 0 }, 'my own message reads the room')

  socket.deliver({ type: 'room_removed', room: 'side', reason: 'removed' })
  t.equal(conn.inbox().has('side'), false)
  t.same(heard.at(-1), ['side', undefined], 'a room gone from the list is said so')
  socket.deliver({ type: 'room', entry: entry('new', { seq: 3, unread: 3 }) })
  t.same(conn.totals(), { unread: 3, mentions: 0, rooms: 1 })
})

t.test('after a reconnect the list starts over, and a catch-up newer than it counts', async (t) => {
  const { conn, timers, socket } = await opened(t, ['lobby'])
  socket.deliver({ type: 'rooms', rooms: [entry('lobby', { seq: 1, readSeq: 1 }), entry('gone')] })
  socket.drop(1006)
  await timers.advance(1000)
  const next = FakeSocket.last()
  next.accept()
  next.deliver({ type: 'rooms', rooms: [entry('lobby', { seq: 2, readSeq: 1, unread: 1, last: last('2-0') })] })
  t.same([...conn.inbox().keys()], ['lobby'], 'a room no longer listed is dropped')
  next.deliver(joined('lobby', { messages: [chat('lobby', '2-0', 'x', { seq: 2 }), chat('lobby', '3-0', 'y', { seq: 3, mentionsRoom: true })] }))
  t.match(conn.inbox().get('lobby'), { seq: 3, unread: 2, mentions: 1 }, 'the message the list knew is not counted twice')
})
