import t from 'tap'
import { validate } from '@webchat/shared'
import { encodeBody, frameOf, framePublish, messageIdOf, messageTsOf, toChatMessage } from '../../src/delivery/message-frame.js'

t.test('message frames are built once with the id spliced in, and read without parsing', async (t) => {
  const data = encodeBody({ ts: 1700000000123, room: 'r', user: { id: 'u', name: 'N "quoted"' }, text: 'hé\n"x"', clientMsgId: 'c1' })
  const { before, after } = framePublish(data)
  const frame = before + '1700000000123-4' + after
  t.equal(frame, frameOf('1700000000123-4', data))
  const parsed = JSON.parse(frame) as Record<string, unknown>
  t.same(parsed, { type: 'message', id: '1700000000123-4', ts: 1700000000123, room: 'r', user: { id: 'u', name: 'N "quoted"' }, text: 'hé\n"x"', clientMsgId: 'c1' })
  t.equal(messageIdOf(frame), '1700000000123-4')
  t.equal(messageTsOf(frame, '1700000000123-4'), 1700000000123)
  t.equal(messageIdOf('{"type":"typing","room":"r"}'), null)
  t.ok(Number.isNaN(messageTsOf('{"type":"message","id":"1-0","room":"r"}', '1-0')))
  const message = toChatMessage('1-0', data)
  t.same(message, { room: 'r', id: '1-0', user: { id: 'u', name: 'N "quoted"' }, text: 'hé\n"x"', ts: 1700000000123, clientMsgId: 'c1' })
  t.equal(toChatMessage('1-0', 'not json'), null)
  t.equal(toChatMessage('1-0', '{"text":1}'), null)
  t.notOk('clientMsgId' in toChatMessage('1-0', encodeBody({ ts: 1, room: 'r', user: { id: 'u', name: 'n' }, text: 't' }))!)
})

t.test('server frames built by the service match the shared schemas', async (t) => {
  const data = encodeBody({ ts: 1, room: 'r', user: { id: 'u', name: 'n' }, text: 't', clientMsgId: 'c' })
  t.ok(validate.messagesPage({ messages: [toChatMessage('1-0', data)], more: false }))
})
