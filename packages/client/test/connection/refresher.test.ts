import t from 'tap'
import { createRefresher } from '../../src/connection/refresher.js'
import { WebchatError } from '../../src/errors.js'
import type { TokenSource } from '../../src/token.js'
import { createFakeLink } from '../helpers/fake-link.js'
import { createFakeTimers } from '../helpers/fake-timers.js'
import { fakeJwt } from '../helpers/setup.js'

/** A refresher whose token endpoint gives tokens of `lifetimeS`, or throws `failure` when set. */
function refresher (options: { lifetimeS?: number, refreshLeadMs?: number } = {}) {
  const timers = createFakeTimers()
  const link = createFakeLink()
  const given: string[] = []
  const endpoint: { failure: Error | undefined } = { failure: undefined }
  const getToken = async (): Promise<TokenSource> => {
    if (endpoint.failure !== undefined) throw endpoint.failure
    given.push(fakeJwt(given.length + 1, options.lifetimeS ?? 120))
    return given[given.length - 1]!
  }
  const r = createRefresher({ timers, getToken, refreshLeadMs: options.refreshLeadMs, link })
  return { timers, link, given, endpoint, r }
}

t.test('plans the refresh from the offered token: a quarter of its life before its end, or the lead given', async (t) => {
  const { timers, link, given, r } = refresher()
  r.offered(120_000)
  r.schedule()
  t.same(timers.pending(), [90_000])
  await timers.advance(90_000)
  t.same(link.ofType('refresh'), [{ type: 'refresh', token: given[0] }])
  const led = refresher({ refreshLeadMs: 10_000 })
  led.r.offered(120_000)
  led.r.schedule()
  t.same(led.timers.pending(), [110_000])
})

t.test('a token of unknown lifetime is not refreshed on a timer', async (t) => {
  const { timers, r } = refresher()
  r.offered(undefined)
  r.schedule()
  t.same(timers.pending(), [])
})

t.test('refreshed: the next refresh follows the lifetime of the token sent, else the server\'s expiresAt', async (t) => {
  const { timers, r } = refresher({ lifetimeS: 200 })
  r.now()
  await timers.flush()
  r.refreshed({ type: 'refreshed', expiresAt: new Date(timers.now() + 999_000).toISOString() })
  t.same(timers.pending(), [150_000], 'from the token\'s own 200 s')
  r.refreshed({ type: 'refreshed', expiresAt: new Date(timers.now() + 80_000).toISOString() })
  t.same(timers.pending(), [60_000], 'nothing sent since: from expiresAt')
})

t.test('now() refreshes only on an open socket', async (t) => {
  const { timers, link, r } = refresher()
  link.open = false
  r.now()
  await timers.flush()
  t.same(link.sent, [])
  link.open = true
  r.now()
  await timers.flush()
  t.equal(link.ofType('refresh').length, 1)
})

t.test('a refused refresh is tried again in 5 s; a refusal with nothing sent is not ours', async (t) => {
  const { timers, link, r } = refresher()
  r.refused()
  t.same(timers.pending(), [], 'no refresh in flight')
  r.now()
  await timers.flush()
  r.refused()
  t.same(timers.pending(), [5000])
  r.refused()
  t.same(timers.pending(), [5000], 'once')
  await timers.advance(5000)
  t.equal(link.ofType('refresh').length, 2)
})

t.test('an unreachable token endpoint is tried again in 5 s on the same socket; unauthorized ends', async (t) => {
  const { timers, link, endpoint, r } = refresher()
  endpoint.failure = new WebchatError('network', 'down')
  r.now()
  await timers.flush()
  t.same(timers.pending(), [5000])
  endpoint.failure = new WebchatError('unauthorized', 'signed out', { status: 401 })
  await timers.advance(5000)
  t.same(link.ends, ['unauthorized'])
  t.same(link.sent, [])
})

t.test('a token that comes after the socket changed is not sent, and no retry is planned for the old socket', async (t) => {
  const { timers, link, endpoint, r } = refresher()
  r.now()
  link.swap()
  await timers.flush()
  t.same(link.sent, [], 'the token was fetched for the old socket')
  endpoint.failure = new WebchatError('network', 'down')
  r.now()
  link.swap()
  await timers.flush()
  t.same(timers.pending(), [])
})

t.test('stop cancels the planned refresh', async (t) => {
  const { timers, r } = refresher()
  r.offered(60_000)
  r.schedule()
  r.stop()
  t.same(timers.pending(), [])
})
