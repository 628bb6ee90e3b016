import t from 'tap'
import { LIMITS, parseClientFrame, parseRecord } from '../src/index.js'

const ok = (frame: object): ReturnType<typeof parseClientFrame> => parseClientFrame(JSON.stringify(frame))

t.test('accepts every well-formed client frame', async (t) => {
  const frames = [
    { type: 'join', room: 'general' },
    { type: 'join', room: 'general', since: '1700000000000-0', epoch: 'e1' },
    { type: 'leave', room: 'a_b-9' },
    { type: 'send', room: 'general', text: 'hello', clientMsgId: 'c-1' },
    { type: 'typing', room: 'general' },
    { type: 'read', room: 'general', id: '1-0' },
    { type: 'history', room: 'general', before: '1700000000000-3', limit: 50 },
    { type: 'refresh', token: 'a.b.c' }
  ]
  for (const frame of frames) t.same(ok(frame), { ok: true, frame }, frame.type)
})

t.test('refuses malformed input with a typed error, never a throw', async (t) => {
  const cases: Array<[string, string]> = [
    ['not json', 'bad_frame'],
    ['', 'bad_frame'],
    ['null', 'bad_frame'],
    ['[{"type":"join","room":"a"}]', 'bad_frame'],
    ['"join"', 'bad_frame'],
    ['{"type":"nope"}', 'unknown_type'],
    ['{"type":"__proto__"}', 'unknown_type'],
    ['{"type":"constructor"}', 'unknown_type'],
    ['{"type":"hasOwnProperty"}', 'unknown_type'],
    ['{"room":"a"}', 'unknown_type'],
    ['{"type":7}', 'unknown_type'],
    ['{"type":"join","room":"General"}', 'bad_frame'],
    ['{"type":"join","room":""}', 'bad_frame'],
    [`{"type":"join","room":"${'a'.repeat(65)}"}`, 'bad_frame'],
    ['{"type":"join","room":"a","extra":1}', 'bad_frame'],
    ['{"type":"join","room":"a","__proto__":{"polluted":true}}', 'bad_frame'],
    ['{"type":"join","room":"a","constructor":{"prototype":{}}}', 'bad_frame'],
    ['{"type":"join","room":"a","since":"yesterday"}', 'bad_frame'],
    ['{"type":"send","room":"a","text":"","clientMsgId":"x"}', 'bad_frame'],
    ['{"type":"send","room":"a","text":5,"clientMsgId":"x"}', 'bad_frame'],
    ['{"type":"send","room":"a","text":"hi"}', 'bad_frame'],
    ['{"type":"send","room":"a","text":"hi","clientMsgId":"has space"}', 'bad_frame'],
    ['{"type":"history","room":"a","before":"1-0","limit":1000}', 'bad_frame'],
    ['{"type":"history","room":"a","before":"1-0","limit":1.5}', 'bad_frame'],
    ['{"type":"refresh","token":""}', 'bad_frame']
  ]
  for (const [text, code] of cases) {
    const result = parseClientFrame(text)
    t.equal(result.ok, false, text.slice(0, 60))
    if (!result.ok) t.equal(result.code, code, text.slice(0, 60))
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution')
})

t.test('text is limited in characters, not UTF-16 units', async (t) => {
  const emoji = '😀'.repeat(LIMITS.textChars)
  t.equal(ok({ type: 'send', room: 'a', text: emoji, clientMsgId: 'x' }).ok, true, `${LIMITS.textChars} astral characters pass`)
  t.equal(ok({ type: 'send', room: 'a', text: 'a'.repeat(LIMITS.textChars + 1), clientMsgId: 'x' }).ok, false, 'one more fails')
})

t.test('parseRecord: a stored record with its fields, or null', async (t) => {
  const fields = { sid: 'string', exp: 'number' } as const
  t.same(parseRecord<{ sid: string, exp: number }>('{"sid":"s1","exp":5,"more":true}', fields), { sid: 's1', exp: 5, more: true }, 'other fields are kept')
  t.equal(parseRecord('{"sid":"s1"}', fields), null, 'a field missing')
  t.equal(parseRecord('{"sid":"s1","exp":"5"}', fields), null, 'a field of another type')
  t.equal(parseRecord('{"sid":', fields), null, 'not JSON')
  t.equal(parseRecord('null', fields), null, 'not an object')
  t.equal(parseRecord('"text"', fields), null, 'a string')
})
