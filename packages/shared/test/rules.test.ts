import t from 'tap'
import { CloseCode, CODE_PATTERN, EMAIL_PATTERN, isRoomName, LIMITS, normalizeName, reconnectPolicy, validate } from '../src/index.js'

const email = new RegExp(EMAIL_PATTERN, 'u')

t.test('email rule: one plain address, nothing that could inject headers', async (t) => {
  for (const good of ['ana@example.com', 'a.b+tag@mail.example.co.uk', 'x_y-z@a-b.io']) t.ok(email.test(good), good)
  for (const bad of ['ana', 'ana@', '@example.com', 'ana@example', 'a b@example.com', 'ana@example.com\r\nBcc: x@y.z',
    'ana@example.com,bob@example.com', 'Ana <ana@example.com>', 'ana@example.com\n', 'ana@-example.com', 'ana@@example.com']) {
    t.notOk(email.test(bad), JSON.stringify(bad))
  }
})

t.test('room names', async (t) => {
  for (const good of ['a', 'general', 'team_1-dev', 'z'.repeat(64)]) t.ok(isRoomName(good), good)
  for (const bad of ['', 'General', 'with space', 'é', 'z'.repeat(65), 'a/b', 7, null]) t.notOk(isRoomName(bad), String(bad))
})

t.test('display names are trimmed, 1 to 40 characters, without control characters', async (t) => {
  t.equal(normalizeName('  Ana  '), 'Ana')
  t.equal(normalizeName('😀'.repeat(40)), '😀'.repeat(40))
  t.equal(normalizeName('a'.repeat(41)), null)
  t.equal(normalizeName('   '), null)
  t.equal(normalizeName('a\u0000b'), null)
  t.equal(normalizeName('a\u202eb'), null, 'bidi override refused')
  t.equal(normalizeName('line\nbreak'), null)
})

t.test('close codes tell the client what to do', async (t) => {
  t.equal(reconnectPolicy(CloseCode.sessionEnded), 'never')
  t.equal(reconnectPolicy(CloseCode.restarting), 'now')
  t.equal(reconnectPolicy(CloseCode.tokenExpired), 'now')
  t.equal(reconnectPolicy(1006), 'backoff')
  t.equal(reconnectPolicy(CloseCode.tooSlow), 'backoff')
})

t.test('precompiled HTTP body validators', async (t) => {
  t.ok(validate.tokenResponse({ token: 'a.b.c', expiresAt: '2026-11-21T06:00:00.000Z' }))
  t.notOk(validate.tokenResponse({ token: 'a.b.c', expiresAt: 'tomorrow' }))
  t.ok(validate.errorBody({ error: 'invalid_code', message: 'wrong code', attemptsLeft: 3 }))
  t.notOk(validate.errorBody({ error: 'made_up', message: 'x' }))
  t.ok(validate.userBody({ user: { id: 'u1', email: 'a@b.co', name: 'Ana', createdAt: '2026-11-21T06:00:00Z' } }))
})

t.test('sign-in codes: exactly LIMITS.codeDigits (8) ASCII digits', async (t) => {
  const code = new RegExp(CODE_PATTERN)
  t.equal(LIMITS.codeDigits, 8)
  for (const good of ['00000000', '01234567', '99999999']) t.ok(code.test(good), good)
  for (const bad of ['123456', '1234567', '123456789', '1234 5678', '1234-5678', ' 12345678', '12345678\n', '１２３４５６７８', 'abcdefgh', '']) {
    t.notOk(code.test(bad), JSON.stringify(bad))
  }
})
