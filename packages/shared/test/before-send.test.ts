import t from 'tap'
import { LIMITS, parseBeforeSendAnswer } from '../src/index.js'

const parse = (value: unknown): ReturnType<typeof parseBeforeSendAnswer> => parseBeforeSendAnswer(JSON.stringify(value))

t.test('each of the three answers', async (t) => {
  for (const answer of [
    { action: 'allow' },
    { action: 'reject' },
    { action: 'reject', reason: 'No links here.' },
    { action: 'reject', reason: '' },
    { action: 'reject', reason: '😀'.repeat(LIMITS.beforeSendReasonChars) },
    { action: 'rewrite', text: 'kept' },
    { action: 'rewrite', text: '  padded  ' },
    { action: 'rewrite', text: '😀'.repeat(LIMITS.textChars) }
  ]) {
    t.same(parse(answer), answer, JSON.stringify(answer).slice(0, 60))
  }
})

t.test('anything else is no answer', async (t) => {
  for (const text of ['', 'allow', 'null', '[]', '"allow"', '{}', '{"action":"allow"', 'true']) {
    t.equal(parseBeforeSendAnswer(text), undefined, JSON.stringify(text))
  }
  for (const answer of [
    { action: 'ALLOW' },
    { action: 'deny' },
    { allow: true },
    { action: 'allow', reason: 'fine' },
    { action: 'allow', extra: 1 },
    { action: 'reject', reason: 'x'.repeat(LIMITS.beforeSendReasonChars + 1) },
    { action: 'reject', reason: 7 },
    { action: 'reject', text: 'x' },
    { action: 'rewrite' },
    { action: 'rewrite', text: '' },
    { action: 'rewrite', text: ' \n\t\u00a0\u2003\ufeff' },
    { action: 'rewrite', text: 'x'.repeat(LIMITS.textChars + 1) },
    { action: 'rewrite', text: 'x', reason: 'y' },
    { action: 'rewrite', text: ['x'] },
    [{ action: 'allow' }]
  ]) {
    t.equal(parse(answer), undefined, JSON.stringify(answer).slice(0, 60))
  }
})

t.test('a rewrite is empty exactly when String.prototype.trim makes it so', async (t) => {
  for (const space of [' ', '\n', '\r', '\t', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff']) {
    t.equal(space.trim(), '', `trim removes U+${space.codePointAt(0)!.toString(16)}`)
    t.equal(parse({ action: 'rewrite', text: space }), undefined)
  }
  for (const visible of ['\u200b', '.', 'x']) {
    t.not(visible.trim(), '')
    t.same(parse({ action: 'rewrite', text: visible }), { action: 'rewrite', text: visible }, `U+${visible.codePointAt(0)!.toString(16)}`)
  }
})
