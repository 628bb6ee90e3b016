import t from 'tap'
import { fail, passing } from '../../src/connection/refusal.js'
import { WebchatError } from '../../src/errors.js'

t.test('fail builds a WebchatError about its ref, if any', async (t) => {
  const about = fail('not_joined', 'not in dev', 'dev')
  t.ok(about instanceof WebchatError)
  t.match(about, { code: 'not_joined', message: 'not in dev', ref: 'dev' })
  t.equal(fail('timeout', 'late').ref, undefined)
})

t.test('only rate_limited and unavailable pass', async (t) => {
  t.equal(passing('rate_limited'), true)
  t.equal(passing('unavailable'), true)
  for (const code of ['internal', 'too_many_rooms', 'text_too_long', 'invalid_token']) t.equal(passing(code), false, code)
})
