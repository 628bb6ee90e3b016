import t from 'tap'
import { refine } from '../src/connection/refusal.js'
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
