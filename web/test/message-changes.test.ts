import t from 'tap'
import { emptyInbox, type ChatMessage, type MessageChange } from '@webchat/shared'
import { canDelete, canEdit, reacted } from '../src/model/message-actions.js'
import { applyChange, applyChangeTo, quoteOf } from '../src/model/message-changes.js'
import { applyInbox, applyJoined, applyMessage, createRoomState, markRead } from '../src/model/room-state.js'

const ben = { id: 'ben', name: 'Ben' }
const msg = (id: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({ room: 'r', id, user: ben, text: `text ${id}`, ts: 1, ...extra })
const change = (kind: MessageChange['kind'], target: string, extra: Partial<MessageChange> = {}): MessageChange =>
  ({ room: 'r', id: '9-0', kind, target, user: ben, ts: 5, ...extra })

t.test('edits, deletions and reactions change the message, and the quotes of its replies', async (t) => {
  const reply = msg('2-0', { replyTo: quoteOf(msg('1-0')) })
  const list = [msg('1-0', { mentions: ['me'], reactions: [{ emoji: '👍', users: [ben] }] }), reply, msg('3-0')]
  const edited = applyChangeTo(list, change('edit', '1-0', { text: 'fixed\n  text', editedAt: 5 }))
  t.match(edited[0], { text: 'fixed\n  text', editedAt: 5 })
  t.same(edited[1]!.replyTo, { id: '1-0', user: ben, preview: 'fixed text' }, 'the quote shows the new text')
  t.equal(edited[2], list[2], 'the others are the same objects')

  const reacted1 = applyChangeTo(edited, change('reaction', '1-0', { emoji: '🎉', reactions: [{ emoji: '🎉', users: [{ id: 'me', name: 'Me' }] }] }))
  t.same(reacted1[0]!.reactions, [{ emoji: '🎉', users: [{ id: 'me', name: 'Me' }] }])
  t.ok(reacted(reacted1[0]!, '🎉', 'me'))
  t.notOk(reacted(reacted1[0]!, '👍', 'me'))

  const deleted = applyChangeTo(reacted1, change('delete', '1-0'))
  t.same(deleted[0], { room: 'r', id: '1-0', user: ben, text: '', ts: 1, deleted: true }, 'nothing of what it said is kept')
  t.same(deleted[1]!.replyTo, { id: '1-0', user: ben, deleted: true })
  t.same(applyChangeTo(deleted, change('edit', '1-0', { text: 'back?' }))[0], deleted[0], 'a deleted message stays deleted')

  const room = { messages: list }
  t.equal(applyChange(room, change('edit', '7-0', { text: 'x' })), room, 'a change to a message not loaded changes nothing')
})

t.test('what I may do to a message', async (t) => {
  const mine = msg('1-0', { user: { id: 'me', name: 'Me' }, ts: 1000 })
  t.ok(canEdit(mine, 'me', 2000, 60_000))
  t.notOk(canEdit(mine, 'me', 62_000, 60_000), 'past the window')
  t.notOk(canEdit(msg('1-0'), 'me', 1, 60_000), 'someone else\'s')
  t.ok(canDelete(mine, 'me', 'member'))
  t.notOk(canDelete(msg('1-0'), 'me', 'member'))
  t.ok(canDelete(msg('1-0'), 'me', 'moderator'))
  t.ok(canDelete(msg('1-0'), 'me', 'owner'))
  t.notOk(canDelete({ ...mine, deleted: true }, 'me', 'owner'), 'not twice')
})

t.test('counts: the server\'s for a room of my list, made here for the others', async (t) => {
  let local = applyJoined(createRoomState('r'), { members: [], messages: [msg('1-0'), msg('2-0', { mentionsRoom: true })], recovered: false, lastRead: null }, 'me')
  t.match(local, { unread: 2, mentions: 1 })
  local = applyMessage(local, msg('3-0', { mentions: ['me'] }), 'me')
  t.match(local, { unread: 3, mentions: 2 })
  t.match(markRead(local), { unread: 0, mentions: 0, lastRead: '3-0' })

  let listed = applyInbox(createRoomState('p'), { ...emptyInbox(), seq: 7, readSeq: 2, unread: 5, mentions: 1, lastRead: '2-0' })
  listed = applyMessage(listed, msg('8-0', { seq: 8, mentions: ['me'] }), 'me')
  t.match(listed, { unread: 5, mentions: 1 }, 'a message does not add to the server\'s counts (the connection counts it)')
  listed = applyJoined(listed, { members: [], messages: [msg('1-0'), msg('8-0')], recovered: false, lastRead: '2-0' }, 'me')
  t.match(listed, { unread: 5, mentions: 1, lastRead: '2-0' })
  listed = applyInbox(listed, { ...emptyInbox(), seq: 8, readSeq: 8, lastRead: '8-0' })
  t.match(listed, { unread: 0, mentions: 0, lastRead: '8-0' }, 'read on another device')
  t.equal(applyInbox(listed, undefined).inbox, null, 'off my list: counted here again')
})
