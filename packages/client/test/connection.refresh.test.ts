import t from 'tap'
import { WebchatError } from '../src/errors.js'
import { FakeSocket } from './helpers/fake-socket.js'
import { setup } from './helpers/setup.js'

t.test('refreshes the token in-band before it expires', async (t) => {
  const { timers, tokens } = setup(t, { lifetimeS: 120 })
  await timers.flush()
  const socket = FakeSocket.last()
  socket.accept()
  await timers.advance(89_999)
  t.same(socket.ofType('refresh'), [])
  await timers.advance(1)
  t.same(socket.ofType('refresh'), [{ type: 'refresh', token: tokens[1] }], '30 s (a quarter) before the end')
  socket.deliver({ type: 'refreshed', expiresAt: new Date(timers.now() + 120_000).toISOString() })
  await timers.advance(90_000)
  t.equal(socket.ofType('refresh').length, 2, 'and again for the new token')
  t.equal(FakeSocket.all.length, 1, 'on the same socket')
})

t.test('refreshToken() refreshes now', async (t) => {
  const { conn, timers, tokens } = setup(t)
  conn.refreshToken()
  await timers.flush()
  FakeSocket.last().accept()
  conn.refreshToken()
  await timers.flush()
  t.same(FakeSocket.last().ofType('refresh'), [{ type: 'refresh', token: tokens[1] }])
})

t.test('a refused refresh is tried again; an ended session ends the connection', async (t) => {
  let fail = false
  let n = 0
  const { timers, states } = setup(t, {
    getToken: async () => {
      n++
      if (fail) throw new WebchatError('unauthorized', 'gone', { status: 401 })
      return { token: `tok${n}`, expiresAt: new Date(timers.now() + 40_000).toISOString() }
    }
  })
  await timers.flush()
  const socket = FakeSocket.last()
  socket.accept()
  await timers.advance(30_000)
  t.equal(socket.ofType('refresh').length, 1)
  socket.deliver({ type: 'error', code: 'invalid_token', message: 'bad token' })
  fail = true
  await timers.advance(5000)
  t.same(states[states.length - 1], { state: 'ended', reason: 'unauthorized' })
  t.equal(socket.closedByClient, 1000)
})
