import t from 'tap'
import { emptyInbox, type InboxEntry, type Room, type RoomListEntry } from '@webchat/shared'
import { WebchatError } from '@webchat/client'
import { joined, message } from './helpers/fake-connection.js'
import { ME, storeWith } from './helpers/store.js'

const settle = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }
const details = (id: string): Room => ({ id, kind: 'private', title: id, topic: '', createdAt: '2030-01-01T00:00:00.000Z', createdBy: 'ana', archived: false })
const inbox = (extra: Partial<InboxEntry>): InboxEntry => ({ ...emptyInbox(), ...extra })
const entry = (id: string, counts: Partial<InboxEntry> = {}): RoomListEntry => ({ room: details(id), role: 'member', inbox: inbox(counts) })

t.test('badges: the server\'s counts, cleared when I read the room here or on another device', async (t) => {
  const { store, fake } = storeWith({ rooms: ['general'] })
  fake.emit('rooms', { type: 'rooms', rooms: [entry('p-1', { seq: 4, readSeq: 1, unread: 3, mentions: 1, lastRead: '1-0' }), entry('p-2', { seq: 2, unread: 2 })] })
  t.match(store.rooms.value.get('p-1'), { unread: 3, mentions: 1 }, 'from the list')
  t.equal(store.unreadElsewhere.value, 5)

  fake.emit('inbox', { room: 'p-2', inbox: inbox({ seq: 2, readSeq: 2, lastRead: '2-0' }) })
  t.match(store.rooms.value.get('p-2'), { unread: 0, mentions: 0, lastRead: '2-0' }, 'read on another device')

  store.select('p-1')
  fake.emit('joined', joined('p-1', [message('p-1', '1-0', 'ben'), message('p-1', '4-0', 'ben', { seq: 4 })], { lastRead: '1-0' }))
  t.same(fake.log.reads.at(-1), ['p-1', '4-0'], 'open and seen: read up to the newest shown')
  t.match(store.rooms.value.get('p-1'), { unread: 0, mentions: 0 })

  fake.emit('inbox', { room: 'p-1', inbox: undefined })
  t.equal(store.rooms.value.get('p-1')!.inbox, null, 'a room gone from the list counts by itself')
})

t.test('a reply and mentions go with the message, and show from its ack', async (t) => {
  const { store, fake } = storeWith({ rooms: ['general'] })
  fake.emit('joined', joined('general', [message('general', '1-0', 'ben', { text: 'lunch?' })]))
  store.replyTo(store.room.value.messages[0]!)
  store.send('yes @Ben', { mentions: ['ben'], mentionsRoom: false })
  t.equal(store.replying.value, null, 'the reply is on its way')
  t.same(fake.log.sends[0]!.options, { clientMsgId: 'c1', replyTo: '1-0', mentions: ['ben'] })
  fake.log.sends[0]!.reply.resolve('2-0')
  await settle()
  t.match(store.room.value.messages[1], { id: '2-0', replyTo: { id: '1-0', user: { id: 'ben' }, preview: 'lunch?' }, mentions: ['ben'] })
})

t.test('edit, delete and react: the change shows when the server says so; a refusal as a notice', async (t) => {
  const { store, fake } = storeWith({ rooms: ['general'] })
  fake.emit('ready', { type: 'ready', user: { id: ME.id, name: ME.name }, connectionId: 'c', editWindowMs: 60_000 })
  t.equal(store.editWindowMs.value, 60_000)
  fake.emit('joined', joined('general', [message('general', '1-0', ME.id, { text: 'tpyo' }), message('general', '2-0', 'ben')]))

  store.startEdit('1-0')
  const saving = store.saveEdit('1-0', ' typo ')
  t.match(fake.log.changes[0], { type: 'edit', room: 'general', id: '1-0', text: 'typo' })
  fake.log.changes[0]!.reply.resolve('3-0')
  t.equal(await saving, undefined)
  t.equal(store.editing.value, null, 'the editor closes')
  fake.emit('change', { type: 'change', room: 'general', id: '3-0', kind: 'edit', target: '1-0', user: { id: ME.id, name: ME.name }, ts: 3, text: 'typo', editedAt: 3 })
  t.match(store.room.value.messages[0], { text: 'typo', editedAt: 3 })
  t.equal(await store.saveEdit('1-0', 'typo'), undefined, 'nothing changed: nothing sent')
  t.equal(fake.log.changes.length, 1)

  const reacting = store.toggleReaction('2-0', '👍')
  t.match(fake.log.changes[1], { type: 'react', id: '2-0', emoji: '👍' })
  t.notOk('remove' in fake.log.changes[1]!)
  fake.log.changes[1]!.reply.resolve('4-0')
  await reacting
  fake.emit('change', { type: 'change', room: 'general', id: '4-0', kind: 'reaction', target: '2-0', user: { id: ME.id, name: ME.name }, ts: 4, emoji: '👍', reactions: [{ emoji: '👍', users: [{ id: ME.id, name: ME.name }] }] })
  void store.toggleReaction('2-0', '👍')
  t.match(fake.log.changes[2], { type: 'react', emoji: '👍', remove: true }, 'mine already: taken away')

  store.replyTo(store.room.value.messages[1]!)
  const deleting = store.deleteMessage('2-0')
  fake.log.changes[3]!.reply.reject(new WebchatError('forbidden', 'no'))
  t.equal(await deleting, 'You are not allowed to change that message.')
  t.equal(store.notice.value, 'You are not allowed to change that message.')
  fake.emit('change', { type: 'change', room: 'general', id: '5-0', kind: 'delete', target: '2-0', user: { id: 'mod', name: 'Mod' }, ts: 5 })
  t.match(store.room.value.messages[1], { text: '', deleted: true })
  t.equal(store.replying.value, null, 'no reply to a message deleted meanwhile')

  const late = store.saveEdit('1-0', 'later')
  fake.log.changes[4]!.reply.reject(new WebchatError('edit_window_passed', 'too late'))
  t.equal(await late, 'That message can no longer be edited.')
})
