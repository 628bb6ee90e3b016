import t from 'tap'
import { refine } from '../../src/connection/refusal.js'

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
