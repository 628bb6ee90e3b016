import t from 'tap'
import { formatTime } from '../src/model/format.js'
import { signInMessage } from '../src/model/sign-in-errors.js'

t.test('a clear message for every error code of the auth API', async (t) => {
  const now = new Date(2030, 0, 1, 14, 0, 0).getTime()
  t.match(signInMessage({ code: 'invalid_email' }).text, /does not look like an email/)
  t.match(signInMessage({ code: 'domain_not_allowed' }).text, /this domain/)
  t.same(signInMessage({ code: 'rate_limited', retryAfter: 42 }), { text: 'Too many codes asked for. Try again in 42 s.', waitSeconds: 42 })
  t.match(signInMessage({ code: 'rate_limited' }).text, /Wait a little/)
  t.match(signInMessage({ code: 'mail_unavailable' }).text, /could not send the email/)
  t.equal(signInMessage({ code: 'invalid_code', attemptsLeft: 3 }).text, 'That code is not right. 3 attempts left.')
  t.equal(signInMessage({ code: 'invalid_code', attemptsLeft: 1 }).text, 'That code is not right. 1 attempt left.')
  t.same(signInMessage({ code: 'invalid_code', attemptsLeft: 0 }).needNewCode, true)
  t.match(signInMessage({ code: 'invalid_code' }).text, /not right or has expired.*new code in this browser/)
  t.same(signInMessage({ code: 'code_expired' }), { text: 'This code has expired. Ask for a new one.', needNewCode: true })
  const locked = signInMessage({ code: 'locked', retryAfter: 600 }, now)
  t.equal(locked.text, `Too many wrong codes: sign-in is locked for 10 min, until ${formatTime(now + 600_000)}.`)
  t.equal(locked.waitSeconds, 600)
  t.match(signInMessage({ code: 'locked' }).text, /locked/)
  t.match(signInMessage({ code: 'network' }).text, /cannot be reached/)
  t.match(signInMessage({ code: 'unavailable' }).text, /our side/)
  t.match(signInMessage({ code: 'cross_site' }).text, /not allowed/)
  t.match(signInMessage({ code: 'something_new' }).text, /something_new/)
})
