import t from 'tap'
import { clientFrameValidators, isClientMsgId, isUserId, LIMITS } from '../src/index.js'

t.test('user ids: 1 to 64 characters from A-Z, a-z, 0-9, _ and -', async (t) => {
  for (const good of ['u', 'Ana_1-x', 'z'.repeat(LIMITS.userIdChars)]) t.ok(isUserId(good), good)
  for (const bad of ['', 'a b', 'é', 'a:b', 'z'.repeat(LIMITS.userIdChars + 1), 7, null]) t.notOk(isUserId(bad), String(bad))
})

t.test('client message ids: 1 to 64 printable ASCII characters without spaces', async (t) => {
  for (const good of ['c1', '!~', 'x'.repeat(LIMITS.clientMsgIdChars)]) t.ok(isClientMsgId(good), good)
  for (const bad of ['', 'a b', 'é', 'a\n', 'x'.repeat(LIMITS.clientMsgIdChars + 1), 1, undefined]) t.notOk(isClientMsgId(bad), String(bad))
})

t.test('the frame schemas use the same rules', async (t) => {
  const send = (clientMsgId: string): boolean => clientFrameValidators.send({ type: 'send', room: 'r', text: 'hi', clientMsgId })
  t.ok(send('x'.repeat(LIMITS.clientMsgIdChars)))
  t.notOk(send('x'.repeat(LIMITS.clientMsgIdChars + 1)))
  t.notOk(send('a b'))
})
