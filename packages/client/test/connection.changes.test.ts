import t from 'tap'
import type { MessageChange, ServerFrameOf } from '@webchat/shared'
import { FakeSocket } from './helpers/fake-socket.js'
import { chat, handled, joined, msg, opened } from './helpers/setup.js'

const ben = { id: 'u2', name: 'Ben' }
const change = (id: string, target: string, extra: Partial<MessageChange> = {}): MessageChange =>
  ({ room: 'lobby', id, kind: 'edit', target, user: ben, ts: 2, text: 'new', editedAt: 2, ...extra })

t.test('a send carries its reply, mentions and @room', async (t) => {
  const { conn, socket } = await opened(t, ['lobby'])
  handled(conn.send('lobby', 'hi @Ben', { clientMsgId: 's1', replyTo: '5-0', mentions: ['u2', 'u2', 'u3'], mentionsRoom: true }))
  handled(conn.send('lobby', 'plain', { clientMsgId: 's2', mentions: [], mentionsRoom: false }))
  t.same(socket.ofType('send'), [
    { type: 'send', room: 'lobby', text: 'hi @Ben', clientMsgId: 's1', replyTo: '5-0', mentions: ['u2', 'u3'], mentionsRoom: true },
    { type: 'send', room: 'lobby', text: 'plain', clientMsgId: 's2' }
  ], 'mentions once each; nothing empty or false is sent')
  const many = Array.from({ length: 21 }, (_, i) => `u${i}`)
  await t.rejects(conn.send('lobby', 'x', { mentions: many }), { code: 'bad_request' })
})

t.test('edit, delete and react resolve with the id of their ack, and are refused with typed errors', async (t) => {
  const { conn, socket } = await opened(t, ['lobby'])
  const edit = conn.edit('lobby', '1-0', 'fixed', { clientMsgId: 'e1' })
  const del = handled(conn.delete('lobby', '2-0', { clientMsgId: 'd1' }))
  const react = conn.react('lobby', '1-0', '👍', { clientMsgId: 'r1' })
  const unreact = conn.react('lobby', '1-0', '👍', { clientMsgId: 'r2', remove: true })
  t.same(socket.sent.slice(-4), [
    { type: 'edit', room: 'lobby', id: '1-0', text: 'fixed', clientMsgId: 'e1' },
    { type: 'delete', room: 'lobby', id: '2-0', clientMsgId: 'd1' },
    { type: 'react', room: 'lobby', id: '1-0', emoji: '👍', clientMsgId: 'r1' },
    { type: 'react', room: 'lobby', id: '1-0', emoji: '👍', remove: true, clientMsgId: 'r2' }
  ])
  socket.deliver([{ type: 'ack', clientMsgId: 'e1', id: '3-0' }, { type: 'ack', clientMsgId: 'r1', id: '4-0' }, { type: 'ack', clientMsgId: 'r2', id: '4-1' }])
  t.equal(await edit, '3-0')
  t.equal(await react, '4-0')
  t.equal(await unreact, '4-1')
  socket.deliver({ type: 'error', code: 'forbidden', message: 'not yours', ref: 'd1' })
  await t.rejects(del, { name: 'WebchatError', code: 'forbidden', ref: 'd1' })

  for (const code of ['edit_window_passed', 'not_found', 'too_many_reactions'] as const) {
    const refused = handled(conn.edit('lobby', '1-0', 'again', { clientMsgId: code }))
    socket.deliver({ type: 'error', code, message: code, ref: code })
    await t.rejects(refused, { code }, code)
  }
  await t.rejects(conn.react('lobby', '1-0', 'no'), { code: 'invalid_reaction' }, 'not one emoji: refused before it goes')
  await t.rejects(conn.edit('lobby', '1-0', ''), { code: 'bad_request' })
  await t.rejects(conn.delete('elsewhere', '1-0'), { code: 'not_joined' })
})

t.test('a change is resent across a reconnect with its clientMsgId, or settled by the catch-up', async (t) => {
  const { conn, timers, socket } = await opened(t, ['lobby'])
  const edit = conn.edit('lobby', '1-0', 'fixed', { clientMsgId: 'e1' })
  const react = conn.react('lobby', '1-0', '🎉', { clientMsgId: 'r1' })
  socket.drop(1006)
  await timers.advance(1000)
  const next = FakeSocket.last()
  next.accept()
  const mine = change('6-0', '1-0', { user: { id: 'u1', name: 'Ana' }, clientMsgId: 'e1', text: 'fixed' })
  const seen: Array<ServerFrameOf<'change'>> = []
  conn.on('change', (c) => seen.push(c))
  next.deliver(joined('lobby', { messages: [], changes: [mine] }))
  t.equal(await edit, '6-0', 'the catch-up holds the edit: settled, not resent')
  t.same(next.ofType('edit'), [])
  t.same(next.ofType('react'), [{ type: 'react', room: 'lobby', id: '1-0', emoji: '🎉', clientMsgId: 'r1' }], 'the reaction goes again')
  next.deliver({ type: 'ack', clientMsgId: 'r1', id: '7-0' })
  t.equal(await react, '7-0')
  t.same(seen.map((c) => c.id), ['6-0'])
})

t.test('changes: live once each, and those of a resume in order right after its joined', async (t) => {
  const { conn, timers, socket } = await opened(t, ['lobby'])
  const events: string[] = []
  conn.on('joined', (f) => events.push(`joined ${f.messages.map((m) => m.id).join(',')}`))
  conn.on('change', (c) => events.push(`change ${c.id} ${c.kind} ${c.target}`))
  socket.deliver(msg('lobby', '1-0'))
  socket.deliver({ type: 'change', ...change('2-0', '1-0') })
  socket.deliver({ type: 'change', ...change('2-0', '1-0') })
  socket.drop(1006)
  await timers.advance(1000)
  const next = FakeSocket.last()
  next.accept()
  t.match(next.ofType('join')[0], { room: 'lobby', since: '2-0' }, 'resumes after the newest change')
  next.deliver(joined('lobby', {
    messages: [chat('lobby', '4-0')],
    changes: [change('2-0', '1-0'), change('3-0', '1-0', { kind: 'delete', text: '' }), change('5-0', '1-0', { kind: 'reaction', emoji: '👍', reactions: [{ emoji: '👍', users: [ben] }] })]
  }))
  t.same(events, ['change 2-0 edit 1-0', 'joined 4-0', 'change 3-0 delete 1-0', 'change 5-0 reaction 1-0'])
})
