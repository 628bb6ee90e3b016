import t from 'tap'
import { LIMITS, type ChatMessage } from '@webchat/shared'
import { addPending } from '../src/model/pending.js'
import { applyPresence, applyRead, applyTyping, memberList, readersByMessage, typingPeople } from '../src/model/room-people.js'
import { applyHistory, applyJoined, applyMessage, createRoomState, markRead } from '../src/model/room-state.js'

const me = 'me'
const msg = (id: string, user = 'ben', extra: Partial<ChatMessage> = {}): ChatMessage =>
  ({ room: 'r', id, user: { id: user, name: user.toUpperCase() }, text: `t${id}`, ts: 1, ...extra })
const ids = (list: readonly ChatMessage[]): string[] => list.map((m) => m.id)

t.test('a first join fills the room; unread counts messages of others after my marker', async (t) => {
  const room = applyJoined(createRoomState('r'), { members: [{ id: 'ben', name: 'Ben' }, { id: me, name: 'Me' }], messages: [msg('1-0'), msg('2-0', me), msg('3-0'), msg('4-0')], recovered: false, lastRead: '1-0' }, me)
  t.same(ids(room.messages), ['1-0', '2-0', '3-0', '4-0'])
  t.equal(room.unread, 2)
  t.equal(room.more, false, 'a short page means no older messages')
  t.same(memberList(room).map((m) => `${m.name}:${m.online}`), ['Ben:true', 'Me:true'])
  const full = applyJoined(createRoomState('f'), { members: [], messages: Array.from({ length: LIMITS.historyPage }, (_, i) => msg(`${i + 1}-0`)), recovered: false, lastRead: null }, me)
  t.equal(full.more, true)
})

t.test('a recovered rejoin adds only what is missing, once', async (t) => {
  let room = applyJoined(createRoomState('r'), { members: [{ id: 'ben', name: 'Ben' }], messages: [msg('1-0'), msg('2-0')], recovered: false, lastRead: '2-0' }, me)
  room = applyMessage(room, msg('3-0'), me)
  room = applyJoined(room, { members: [], messages: [msg('3-0'), msg('4-0')], recovered: true, lastRead: '2-0' }, me)
  t.same(ids(room.messages), ['1-0', '2-0', '3-0', '4-0'])
  t.equal(room.unread, 2)
  t.same(memberList(room).map((m) => `${m.name}:${m.online}`), ['BEN:false'], 'members not in the new list are offline (named as in their latest message)')
  room = applyJoined(room, { members: [], messages: [msg('9-0')], recovered: false, lastRead: '2-0' }, me)
  t.same(ids(room.messages), ['9-0'], 'not recovered: start over')
})

t.test('messages go in id order, duplicates are ignored, pending ones are replaced', async (t) => {
  let room = addPending(createRoomState('r'), { clientMsgId: 'c1', text: 'hi', ts: 1, status: 'sending' })
  room = applyMessage(room, msg('5-0'), me)
  t.same(ids(room.messages), ['5-0'], 'at the end')
  room = applyMessage(room, msg('3-0'), me)
  t.same(ids(room.messages), ['3-0', '5-0'], 'in the middle')
  t.equal(applyMessage(room, msg('5-0'), me), room, 'a duplicate changes nothing')
  room = applyMessage(room, msg('6-0', me, { clientMsgId: 'c1' }), me)
  t.same(ids(room.messages), ['3-0', '5-0', '6-0'])
  t.same(room.pending, [])
  t.equal(room.unread, 2, 'my own message is not unread')
  room = markRead(room)
  t.equal(room.lastRead, '6-0')
  t.equal(room.unread, 0)
  t.equal(markRead(room), room, 'nothing new')
})

t.test('older pages', async (t) => {
  let room = applyJoined(createRoomState('r'), { members: [], messages: [msg('10-0')], recovered: false, lastRead: null }, me)
  room = applyHistory({ ...room, loadingOlder: true }, [msg('8-0'), msg('9-0')], true)
  t.same(ids(room.messages), ['8-0', '9-0', '10-0'])
  t.equal(room.more, true)
  t.equal(room.loadingOlder, false)
})

t.test('presence, typing and read markers', async (t) => {
  let room = applyPresence(createRoomState('r'), 'join', { id: 'ana', name: 'Ana' })
  room = applyTyping(room, { id: 'ana', name: 'Ana' }, 1000)
  room = applyTyping(room, { id: me, name: 'Me' }, 1000)
  t.same(typingPeople(room, 2000, me), [{ id: 'ana', name: 'Ana' }])
  t.same(typingPeople(room, 99_999, me), [], 'typing fades')
  room = applyTyping(room, { id: 'ana', name: 'Ana' }, 1000)
  room = applyPresence(room, 'leave', { id: 'ana', name: 'Ana' })
  t.same(typingPeople(room, 2000, me), [], 'leaving stops typing')
  t.same(memberList(room), [{ id: 'ana', name: 'Ana', online: false }])

  room = applyJoined(room, { members: [], messages: [msg('1-0'), msg('2-0'), msg('4-0')], recovered: false, lastRead: null }, me)
  room = applyRead(room, { id: 'ana', name: 'Ana' }, '2-0')
  room = applyRead(room, { id: 'ana', name: 'Ana' }, '1-0')
  room = applyRead(room, { id: 'cy', name: 'Cy' }, '3-0')
  room = applyRead(room, { id: me, name: 'Me' }, '4-0')
  t.same([...readersByMessage(room, me)], [['2-0', [{ id: 'ana', name: 'Ana' }, { id: 'cy', name: 'Cy' }]]], 'newest marker only; a marker between messages shows at the one before')
  room = applyRead(room, { id: 'ben', name: 'Ben' }, '4-0')
  t.same([...readersByMessage(room, me)], [['2-0', [{ id: 'ana', name: 'Ana' }, { id: 'cy', name: 'Cy' }]]], 'all written by Ben: nothing to show for him')
  room = applyMessage(room, msg('5-0', 'ana'), me)
  room = applyMessage(room, msg('6-0', 'cy'), me)
  room = applyRead(room, { id: 'cy', name: 'Cy' }, '6-0')
  t.same([...readersByMessage(room, me)], [['2-0', [{ id: 'ana', name: 'Ana' }]], ['5-0', [{ id: 'cy', name: 'Cy' }]]], 'under the newest message by someone else')
})

t.test('a change shares every part it does not touch', async (t) => {
  const joined = applyJoined(createRoomState('r'), { members: [{ id: 'ana', name: 'ANA' }], messages: [msg('1-0')], recovered: false, lastRead: null }, me)
  const typing = applyTyping(joined, { id: 'ana', name: 'Ana' }, 1000)
  t.equal(typing.messages, joined.messages, 'typing leaves the messages as they were')
  t.equal(typing.members, joined.members)
  const read = applyRead(typing, { id: 'ana', name: 'Ana' }, '1-0')
  t.equal(read.typing, typing.typing, 'a read marker leaves the typing')
  t.equal(applyRead(read, { id: 'ana', name: 'Ana' }, '1-0'), read, 'an old marker changes nothing')
  const next = applyMessage(read, msg('2-0', 'ana'), me)
  t.equal(next.reads, read.reads, 'a message leaves the read markers')
  t.equal(next.members, read.members, 'an author named as before leaves the members')
  t.same(typingPeople(next, 1500, me), [], 'a message ends its author\'s typing')
})
