import t from 'tap'
import createError from '@fastify/error'
import { ErrorBody, validate } from '@webchat/shared'
import { errorResponses, reasonError, wireCodeOf, wireErrorOf, withDetail, type ErrorRegistry } from '../src/index.js'

const errors = {
  Locked: createError('WEBCHAT_ERR_LOCKED', 'too many failed attempts', 429),
  InvalidToken: createError('WEBCHAT_ERR_INVALID_TOKEN', '%s', 401)
} satisfies ErrorRegistry

t.test('a registry error answers with its wire code, status and message', async (t) => {
  const err = new errors.InvalidToken('token expired')
  t.equal(wireCodeOf(err), 'invalid_token')
  t.same(wireErrorOf(err), { statusCode: 401, body: { error: 'invalid_token', message: 'token expired' } })
  t.ok(validate.errorBody(wireErrorOf(err)!.body))
})

t.test('detail fields reach the body', async (t) => {
  const err = withDetail(new errors.Locked(), { retryAfter: 30 })
  t.equal(err.retryAfter, 30)
  t.same(wireErrorOf(err), { statusCode: 429, body: { error: 'locked', message: 'too many failed attempts', retryAfter: 30 } })
  t.same(wireErrorOf(withDetail(new errors.Locked(), { attemptsLeft: 0 }))?.body.attemptsLeft, 0)
})

t.test('any other error is not a wire error', async (t) => {
  const others = [
    new Error('plain'), Object.assign(new Error('fastify'), { code: 'FST_ERR_NOT_FOUND', statusCode: 404 }),
    createError('WEBCHAT_ERR_NO_SUCH_CODE', 'not in the contract', 400)(), null, undefined, 'text', { code: 42 }
  ]
  for (const err of others) {
    t.equal(wireCodeOf(err), undefined, String(err))
    t.equal(wireErrorOf(err), undefined)
  }
})

t.test('errorResponses documents each status with the error body', async (t) => {
  const responses = errorResponses(400, 401)
  t.same(Object.keys(responses), ['400', '401'])
  t.equal(responses[400], ErrorBody)
})

t.test('reasonError: the message is the reason given, and the type asks for one', async (t) => {
  const InvalidToken = reasonError('WEBCHAT_ERR_INVALID_TOKEN', 401)
  const err = new InvalidToken('token expired')
  t.match(err, { code: 'WEBCHAT_ERR_INVALID_TOKEN', statusCode: 401, message: 'token expired' })
  t.same(wireErrorOf(err), { statusCode: 401, body: { error: 'invalid_token', message: 'token expired' } })
  // @ts-expect-error a reason is required
  const untyped = (): unknown => new InvalidToken()
  t.type(untyped, 'function')
})
