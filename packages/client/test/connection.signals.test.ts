import t from 'tap'
import { LIMITS } from '@webchat/shared'
import { FakeSocket } from './helpers/fake-socket.js'
import { handled, joined, setup } from './helpers/setup.js'

t.test('decodes arrays of frames and drops invalid ones', async (t) => {
  const { conn, timers } = setup(t, { rooms: ['lobby'] })
  const invalid: number[] = []
  const typing: string[] = []
  conn.on('invalid', (e) => invalid.push(e.count))
  conn.on('typing', (e) => typing.push(e.user.name))
  await timers.flush()
  FakeSocket.last().accept()
  FakeSocket.last().deliver(joined('lobby'))
  FakeSocket.last().deliver('not json')
  FakeSocket.last().deliver(JSON.stringify([
    { type: 'typing', room: 'lobby', user: { id: 'u2', name: 'Ben' } },
    { type: 'typing', room: 'lobby', user: { id: 'u2', name: 'Ben' }, extra: 1 },
    { type: 'nope' },
    { type: 'typing', room: 'lobby', user: { id: 'u3', name: 'Cy' } }
  ]))
  t.same(invalid, [1, 2])
  t.same(typing, ['Ben', 'Cy'])
})

t.test('typing is throttled; read markers are kept for the next connection', async (t) => {
  const { conn, timers } = setup(t, { rooms: ['lobby'] })
  await timers.flush()
  t.equal(conn.typing('lobby'), false, 'not while connecting')
  FakeSocket.last().accept()
  FakeSocket.last().deliver(joined('lobby', { lastRead: '2-0' }))
  t.equal(conn.typing('lobby'), true)
  t.equal(conn.typing('lobby'), false, 'held back within the interval')
  t.equal(conn.typing('lobby'), false)
  await timers.advance(LIMITS.typingIntervalMs + 249)
  t.equal(FakeSocket.last().ofType('typing').length, 1)
  await timers.advance(1)
  t.equal(FakeSocket.last().ofType('typing').length, 2, 'the held-back signal goes out once when the interval (with a margin) ends')
  await timers.advance(LIMITS.typingIntervalMs + 250)
  t.equal(conn.typing('lobby'), true)
  t.equal(conn.typing('lobby'), false)
  void handled(conn.send('lobby', 'done'))
  await timers.advance(LIMITS.typingIntervalMs + 250)
  t.equal(FakeSocket.last().ofType('typing').length, 3, 'a send cancels the held-back signal')
  conn.read('lobby', '1-0')
  t.same(FakeSocket.last().ofType('read'), [], 'older than the server already has')
  conn.read('lobby', '3-0')
  t.same(FakeSocket.last().ofType('read'), [{ type: 'read', room: 'lobby', id: '3-0' }])
  FakeSocket.last().drop(1006)
  conn.read('lobby', '4-0')
  await timers.advance(1000)
  FakeSocket.last().accept()
  FakeSocket.last().deliver(joined('lobby', { lastRead: '3-0' }))
  t.same(FakeSocket.last().ofType('read'), [{ type: 'read', room: 'lobby', id: '4-0' }])
})

t.test('history pages resolve in order and fail on a drop', async (t) => {
  const { conn, timers } = setup(t, { rooms: ['lobby'] })
  await timers.flush()
  await t.rejects(conn.history('lobby', '5-0'), { code: 'not_connected' })
  FakeSocket.last().accept()
  FakeSocket.last().deliver(joined('lobby'))
  const page = handled(conn.history('lobby', '5-0', 2))
  t.same(FakeSocket.last().ofType('history'), [{ type: 'history', room: 'lobby', before: '5-0', limit: 2 }])
  FakeSocket.last().deliver({ type: 'history', room: 'lobby', messages: [{ room: 'lobby', id: '4-0', user: { id: 'u', name: 'U' }, text: 'x', ts: 1 }], more: false })
  t.same((await page).messages.map((m) => m.id), ['4-0'])
  const lost = handled(conn.history('lobby', '4-0'))
  FakeSocket.last().drop(1006)
  await t.rejects(lost, { code: 'disconnected' })
})
