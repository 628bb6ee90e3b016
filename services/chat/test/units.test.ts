import t from 'tap'
import { validate } from '@webchat/shared'
import { refine } from '../src/connection/refusal.js'
import { encodeBody, frameOf, framePublish, messageIdOf, messageTsOf, toChatMessage } from '../src/message-frame.js'
import { compareIds, maxId } from '../src/message-ids.js'

t.test('log ids order by ms then seq, at any length', async (t) => {
  t.equal(compareIds('1-0', '1-0'), 0)
  t.ok(compareIds('1-1', '1-0') > 0)
  t.ok(compareIds('2-0', '1-9') > 0)
  t.ok(compareIds('10-0', '9-99') > 0)
  t.ok(compareIds('1700000000000-10', '1700000000000-9') > 0)
  t.ok(compareIds('99999999999999999-0', '99999999999999998-5') > 0, 'beyond 2^53')
  t.equal(maxId(null, '1-0'), '1-0')
  t.equal(maxId('2-0', null), '2-0')
  t.equal(maxId('2-0', '10-0'), '10-0')
})

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

t.test('refusals name invalid rooms and long texts and refer to what was sent', async (t) => {
  const bad = { code: 'bad_frame', message: 'invalid send frame' } as const
  t.same(refine('{"type":"send","room":"Bad Room","text":"x","clientMsgId":"c"}', bad),
    { code: 'invalid_room', message: 'room names are 1 to 64 characters from a-z, 0-9, _ and -', ref: 'c' })
  t.match(refine(JSON.stringify({ type: 'send', room: 'r', text: 'x'.repeat(4001), clientMsgId: 'c' }), bad), { code: 'text_too_long', ref: 'c' })
  t.same(refine('{"type":"join","room":"ok","x":1}', bad), { ...bad, ref: 'ok' })
  t.same(refine('{"type":"send","room":"ok","text":1,"clientMsgId":"has space"}', bad), { ...bad, ref: 'ok' })
  t.same(refine('nope', bad), bad)
  t.same(refine('[]', bad), bad)
  const other = { code: 'unknown_type', message: 'unknown frame type' } as const
  t.equal(refine('{"type":"x"}', other), other)
})

t.test('server frames built by the service match the shared schemas', async (t) => {
  const data = encodeBody({ ts: 1, room: 'r', user: { id: 'u', name: 'n' }, text: 't', clientMsgId: 'c' })
  t.ok(validate.messagesPage({ messages: [toChatMessage('1-0', data)], more: false }))
})
