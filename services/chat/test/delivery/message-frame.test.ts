import t from 'tap'
import { validate } from '@webchat/shared'
import { encodeBody, entryIdOf, frameOf, framePublish, messageIdOf, messageTsOf, toChatMessage } from '../../src/delivery/message-frame.js'

/** What the engine stores and publishes: the room's message number where the body left a NUL. */
const numbered = (text: string, seq = 7): string => text.replace('\u0000', String(seq))

t.test('message frames are built once with the id spliced in, and read without parsing', async (t) => {
  const body = encodeBody({ ts: 1700000000123, room: 'r', user: { id: 'u', name: 'N "quoted"' }, text: 'hé\n"x"\u0000', clientMsgId: 'c1' })
  t.equal(body.split('\u0000').length, 2, 'one raw NUL: the text\'s own is escaped')
  const data = numbered(body)
  const published = framePublish(body)
  const before = published.before
  const after = numbered(published.after)
  const frame = before + '1700000000123-4' + after
  t.equal(frame, frameOf('1700000000123-4', data))
  const parsed = JSON.parse(frame) as Record<string, unknown>
  t.same(parsed, { type: 'message', id: '1700000000123-4', ts: 1700000000123, seq: 7, room: 'r', user: { id: 'u', name: 'N "quoted"' }, text: 'hé\n"x"\u0000', clientMsgId: 'c1' })
  t.equal(messageIdOf(frame), '1700000000123-4')
  t.equal(messageTsOf(frame, '1700000000123-4'), 1700000000123)
  t.equal(messageIdOf('{"type":"typing","room":"r"}'), null)
  t.ok(Number.isNaN(messageTsOf('{"type":"message","id":"1-0","room":"r"}', '1-0')))
  const message = toChatMessage('1-0', data)
  t.same(message, { room: 'r', id: '1-0', user: { id: 'u', name: 'N "quoted"' }, text: 'hé\n"x"\u0000', ts: 1700000000123, clientMsgId: 'c1', seq: 7 })
  t.equal(toChatMessage('1-0', 'not json'), null)
  t.equal(toChatMessage('1-0', '{"text":1}'), null)
  t.notOk('clientMsgId' in toChatMessage('1-0', numbered(encodeBody({ ts: 1, room: 'r', user: { id: 'u', name: 'n' }, text: 't' })))!)
  t.equal(toChatMessage('2-0', '{"kind":"edit","ts":1,"room":"r","user":{"id":"u","name":"n"},"target":"1-0","text":"t"}'), null, 'a change is no message')
  t.equal(entryIdOf('{"type":"change","id":"2-0","kind":"edit"}'), '2-0', 'changes are log entries')
  t.equal(messageIdOf('{"type":"change","id":"2-0","kind":"edit"}'), null, 'but not messages')
})

t.test('mentions and a reply are stored with the message; the quote\'s preview goes out live only', async (t) => {
  const base = { ts: 5, room: 'r', user: { id: 'u', name: 'n' }, text: 'hi @Ann', mentions: ['ann'], mentionsRoom: true }
  const stored = numbered(encodeBody({ ...base, replyTo: { id: '1-0', user: { id: 'b', name: 'B' } } }), 3)
  const live = numbered(encodeBody({ ...base, replyTo: { id: '1-0', user: { id: 'b', name: 'B' }, preview: 'earlier' } }), 3)
  t.same(toChatMessage('4-0', stored), { ...base, id: '4-0', seq: 3, replyTo: { id: '1-0', user: { id: 'b', name: 'B' } } })
  t.notMatch(stored, /earlier/, 'the log does not copy the quoted text')
  t.match(JSON.parse(frameOf('4-0', live)), { type: 'message', replyTo: { preview: 'earlier' } })
  t.ok(validate.messagesPage({ messages: [toChatMessage('4-0', stored)], more: false }))
})

t.test('server frames built by the service match the shared schemas', async (t) => {
  const data = numbered(encodeBody({ ts: 1, room: 'r', user: { id: 'u', name: 'n' }, text: 't', clientMsgId: 'c' }))
  t.ok(validate.messagesPage({ messages: [toChatMessage('1-0', data)], more: false }))
})
