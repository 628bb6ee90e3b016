import t from 'tap'
import { readToken, refreshDelay } from '../src/token.js'
import { fakeJwt } from './helpers/setup.js'

t.test('lifetime from the token own iat/exp, immune to local clock skew', async (t) => {
  const token = fakeJwt(1, 900, 1000)
  t.same(readToken(token, 0), { token, lifetimeMs: 900_000 })
  t.same(readToken({ token, expiresAt: '2000-01-01T00:00:00.000Z' }, Date.now()), { token, lifetimeMs: 900_000 })
})

t.test('falls back to expiresAt, else unknown', async (t) => {
  const now = Date.parse('2030-01-01T00:00:00.000Z')
  t.same(readToken({ token: 'opaque', expiresAt: '2030-01-01T00:05:00.000Z' }, now), { token: 'opaque', lifetimeMs: 300_000 })
  t.same(readToken({ token: 'a.%%%.c', expiresAt: '2029-01-01T00:00:00.000Z' }, now), { token: 'a.%%%.c', lifetimeMs: undefined })
  t.same(readToken('opaque', now), { token: 'opaque', lifetimeMs: undefined })
})

t.test('refresh a quarter before the end, at most 60 s before, never sooner than 1 s', async (t) => {
  t.equal(refreshDelay(900_000), 840_000)
  t.equal(refreshDelay(120_000), 90_000)
  t.equal(refreshDelay(1000), 1000)
  t.equal(refreshDelay(60_000, 10_000), 50_000)
})
