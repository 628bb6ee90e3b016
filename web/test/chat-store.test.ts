import t from 'tap'
import { effect } from '@preact/signals'
import { WebchatError } from '@webchat/client'
import { joined, message } from './helpers/fake-connection.js'
import { storeWith } from './helpers/store.js'

const settle = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

t.test('rooms: the remembered ones, the one in the address, joining and leaving', async (t) => {
  const { store, fake, saved, storage } = storeWith({ rooms: ['general', 'dev'], initialRoom: 'design' })
  t.same(fake.log.rooms, ['general', 'dev', 'design'], 'the connection joins every room')
  t.equal(store.active.value, 'design', 'the address names the open room')
  t.same(saved(), ['general', 'dev', 'design'])

  const joining = store.join('ops')
  t.equal(store.active.value, 'ops', 'a room opens as it is joined')
  fake.log.joins[0]!.reply.resolve(joined('ops', []))
  t.equal(await joining, undefined)
  t.same(saved(), ['general', 'dev', 'design', 'ops'])

  const refused = store.join('more')
  fake.log.joins[1]!.reply.reject(new WebchatError('too_many_rooms', 'limit'))
  t.equal(await refused, 'You are in as many rooms as allowed. Leave one first.')
  t.same([...store.rooms.value.keys()], ['general', 'dev', 'design', 'ops'], 'a refused room is dropped')
  t.equal(store.active.value, 'general', 'and the first room opens')

  const writes = storage.writes
  fake.emit('message', message('general', '1-0', 'ben'))
  t.equal(storage.writes, writes, 'a message does not rewrite the saved rooms')

  store.leave('general')
  t.same(fake.log.leaves, ['general'])
  t.equal(store.active.value, 'dev')
  for (const room of ['dev', 'design']) store.leave(room)
  store.leave('ops')
  t.same([...store.rooms.value.keys()], ['ops'], 'the last room cannot be left')
  t.same(saved(), ['ops'])
})

t.test('the open room is read while the reader sees its newest message', async (t) => {
  const { store, fake } = storeWith()
  fake.emit('joined', joined('general', [message('general', '1-0', 'ben')], { lastRead: null }))
  t.same(fake.log.reads, [['general', '1-0']], 'seen at once: the marker goes to the server')
  t.equal(store.room.value.unread, 0)

  store.seen(false)
  fake.emit('message', message('general', '2-0', 'ben'))
  fake.emit('message', message('general', '3-0', 'ben'))
  t.equal(store.room.value.unread, 2, 'scrolled up: unread')
  t.equal(store.view.newBelow.value, 2, 'and pointed at')
  t.equal(store.announcement.value, 'BEN: text 3-0', 'screen readers hear the newest')
  store.seen(true)
  t.same(fake.log.reads.at(-1), ['general', '3-0'])
  t.equal(store.view.newBelow.value, 0)

  store.setVisible(false)
  fake.emit('message', message('general', '4-0', 'ben'))
  t.equal(store.unreadElsewhere.value, 1, 'a hidden page counts the open room in the title')
  store.setVisible(true)
  t.equal(store.unreadElsewhere.value, 0)
  t.same(fake.log.reads.at(-1), ['general', '4-0'])

  fake.emit('message', message('general', '5-0', 'me'))
  t.equal(store.announcement.value, 'BEN: text 4-0', 'my own messages are not announced')
})

t.test('other rooms count unread messages for the sidebar and the title', async (t) => {
  const { store, fake } = storeWith({ rooms: ['general', 'dev'] })
  fake.emit('joined', joined('dev', [], { lastRead: null }))
  fake.emit('message', message('dev', '1-0', 'ben'))
  t.equal(store.rooms.value.get('dev')!.unread, 1)
  t.equal(store.unreadElsewhere.value, 1)
  t.equal(store.announcement.value, '', 'only the open room is announced')
  t.same(fake.log.reads, [])
  store.select('dev')
  t.same(fake.log.reads, [['dev', '1-0']], 'opening the room reads it')
  t.equal(store.unreadElsewhere.value, 0)
  store.select('nowhere')
  t.equal(store.active.value, 'dev', 'a room I am not in does not open')
})

t.test('sending: pending, shown from the ack, once; a failure can be retried or discarded', async (t) => {
  const { store, fake } = storeWith()
  store.send('hello')
  t.same(store.view.pending.value.map((p) => [p.clientMsgId, p.text, p.status]), [['c1', 'hello', 'sending']])
  fake.log.sends[0]!.reply.resolve('7-0')
  await settle()
  t.same(store.view.pending.value, [], 'the ack replaces the pending message')
  t.same(store.view.messages.value.map((m) => [m.id, m.text, m.user.id]), [['7-0', 'hello', 'me']])
  fake.emit('message', message('general', '7-0', 'me', { text: 'hello', clientMsgId: 'c1' }))
  t.equal(store.view.messages.value.length, 1, 'the message itself, after its ack, is not shown twice')

  store.send('again')
  fake.log.sends[1]!.reply.reject(new WebchatError('rate_limited', 'slow down'))
  await settle()
  t.same(store.view.pending.value.map((p) => [p.status, p.error]), [['failed', 'you are sending too fast']])
  store.retry('c2')
  t.same(store.view.pending.value.map((p) => [p.status, p.error]), [['sending', undefined]], 'a retry sends again')
  t.equal(fake.log.sends[2]!.clientMsgId, 'c2', 'with the same id')
  fake.log.sends[2]!.reply.reject(new WebchatError('network', 'down'))
  await settle()
  store.discard('c2')
  t.same(store.view.pending.value, [])

  store.typing()
  t.same(fake.log.typing, ['general'])
})

t.test('each part of the open room changes only when it does', async (t) => {
  const { store, fake } = storeWith()
  fake.emit('joined', joined('general', [message('general', '1-0', 'ben')], { members: [{ id: 'ben', name: 'Ben' }] }))
  const runs = { messages: 0, members: 0, typing: 0 }
  const stops = [
    effect(() => { void store.view.messages.value; runs.messages++ }),
    effect(() => { void store.view.members.value; runs.members++ }),
    effect(() => { void store.view.typing.value; runs.typing++ })
  ]
  t.teardown(() => { for (const stop of stops) stop() })
  fake.emit('typing', { type: 'typing', room: 'general', user: { id: 'ben', name: 'Ben' } })
  t.same(runs, { messages: 1, members: 1, typing: 2 }, 'typing redraws the typing line only')
  fake.emit('typing', { type: 'typing', room: 'general', user: { id: 'me', name: 'Me' } })
  t.equal(runs.typing, 2, 'my own typing is not shown')
  fake.emit('message', message('general', '2-0', 'ben', { user: { id: 'ben', name: 'Ben' } }))
  t.same(runs, { messages: 2, members: 1, typing: 3 }, 'a message: the messages, and its author stops typing')
  fake.emit('presence', { type: 'presence', room: 'general', event: 'join', user: { id: 'cy', name: 'Cy' } })
  t.same(runs, { messages: 2, members: 2, typing: 3 })
  t.same(store.view.members.value.map((m) => m.name), ['Ben', 'Cy'])
  fake.emit('presence', { type: 'presence', room: 'general', event: 'join', user: { id: 'dee', name: 'Dee' }, more: [{ event: 'leave', user: { id: 'cy', name: 'Cy' } }, { event: 'join', user: { id: 'eve', name: 'Eve' } }] })
  t.equal(runs.members, 3, 'changes that came together: one redraw')
  t.same(store.view.members.value.filter((m) => m.online).map((m) => m.name), ['Ben', 'Dee', 'Eve'], 'every change applied, in order')
  fake.emit('read', { type: 'read', room: 'general', user: { id: 'cy', name: 'Cy' }, id: '2-0' })
  t.same([...store.view.readers.value], [['2-0', [{ id: 'cy', name: 'Cy' }]]])
  t.same(runs, { messages: 2, members: 3, typing: 3 }, 'a read marker redraws only who has read')
  fake.emit('message', message('elsewhere', '9-0', 'ben'))
  t.equal(runs.messages, 2, 'a room I am not in changes nothing')
})

t.test('names two people share are known, and change only when that does', async (t) => {
  const { store, fake } = storeWith()
  fake.emit('joined', joined('general', [message('general', '1-0', 'ben', { user: { id: 'ben', name: 'Ben' } })], { members: [{ id: 'ben', name: 'Ben' }] }))
  let runs = 0
  const stop = effect(() => { void store.view.sharedNames.value; runs++ })
  t.teardown(stop)
  t.equal(store.view.sharedNames.value.size, 0)
  fake.emit('typing', { type: 'typing', room: 'general', user: { id: 'ben', name: 'Ben' } })
  fake.emit('message', message('general', '2-0', 'ben', { user: { id: 'ben', name: 'Ben' } }))
  fake.emit('presence', { type: 'presence', room: 'general', event: 'join', user: { id: 'cy', name: 'Cy' } })
  t.equal(runs, 1, 'no new shared name: nothing that shows tags redraws')
  fake.emit('presence', { type: 'presence', room: 'general', event: 'join', user: { id: 'ben-2', name: 'BEN' } })
  t.equal(runs, 2)
  t.same([...store.view.sharedNames.value], ['ben'], 'a second Ben')
})

t.test('older messages load once at a time, after the room is joined', async (t) => {
  const { store, fake } = storeWith()
  store.loadOlder()
  t.same(fake.log.history, [], 'nothing before the join')
  const page = Array.from({ length: 50 }, (_, i) => message('general', `${i + 11}-0`, 'ben'))
  fake.emit('joined', joined('general', page))
  t.equal(store.view.more.value, true)
  store.loadOlder()
  store.loadOlder()
  t.same(fake.log.history.map((h) => [h.room, h.before]), [['general', '11-0']], 'one request at a time')
  t.equal(store.view.loadingOlder.value, true)
  fake.log.history[0]!.reply.reject(new Error('timeout'))
  await settle()
  t.equal(store.view.loadingOlder.value, false, 'a failed page can be asked for again')
  store.loadOlder()
  fake.log.history[1]!.reply.resolve({ messages: [message('general', '9-0', 'ben'), message('general', '10-0', 'ben')], more: false })
  await settle()
  t.same(store.view.messages.value.slice(0, 3).map((m) => m.id), ['9-0', '10-0', '11-0'])
  t.equal(store.view.more.value, false)
  store.loadOlder()
  t.equal(fake.log.history.length, 2, 'nothing older')
})

t.test('connection state, rename and logout', async (t) => {
  const { store, fake, auth } = storeWith()
  t.equal(store.connection.value, undefined, 'nothing to say before the connection speaks')
  fake.emit('state', { state: 'open', user: { id: 'me', name: 'Me' } })
  fake.emit('state', { state: 'connecting', attempt: 1 })
  t.same([store.connection.value?.state, store.everOpen.value], ['connecting', true])
  store.reconnect()
  t.equal(fake.log.reconnects, 1)

  t.equal(await store.rename('Mia'), undefined)
  t.equal(store.me.value.name, 'Mia')
  t.equal(fake.log.refreshes, 1, 'a fresh token carries the new name')

  await store.logout()
  t.equal(auth.logouts, 1)
  t.equal(fake.log.closed, true, 'closed even when the server did not answer')

  const failing = storeWith({ renameFails: true })
  t.equal(await failing.store.rename('x'), 'That name cannot be used.')
  t.equal(failing.store.me.value.name, 'Me')
  failing.store.dispose()
})

t.test('email while away: the choice comes from and goes to the auth service', async (t) => {
  const { store, auth } = storeWith()
  t.equal(await store.mailChoice(), 'all', 'direct messages and mentions until the user says otherwise')
  t.equal(await store.saveMailChoice('direct'), undefined)
  t.same(auth.mail, { email: 'direct' })
  t.equal(await store.mailChoice(), 'direct')
  store.dispose()
  const failing = storeWith({ mailFails: true })
  t.equal(await failing.store.saveMailChoice('off'), 'Could not save: try again.', 'a failure is said in the dialog')
  t.same(failing.auth.mail, { email: 'all' }, 'and changes nothing')
  failing.store.dispose()
})
