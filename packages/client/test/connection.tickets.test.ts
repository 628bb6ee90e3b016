import t from 'tap'
import { FakeSocket } from './helpers/fake-socket.js'
import { setup } from './helpers/setup.js'

const ANA = { id: 'u1', name: 'Ana' }
/** The credential a socket offered beside the subprotocol. */
const credential = (socket: FakeSocket): string | undefined => socket.protocols[1]

t.test('reconnects with the ticket of the last ready, without asking for a token', async (t) => {
  const { timers, tokens } = setup(t)
  await timers.flush()
  const first = FakeSocket.last()
  t.equal(credential(first), tokens[0], 'the first connect needs a token')
  first.accept(ANA, { ticket: 'wcr2.dTE.first', expiresAt: new Date(timers.now() + 200_000).toISOString() })
  first.drop(1012)
  await timers.flush()
  const second = FakeSocket.last()
  t.not(second, first)
  t.equal(credential(second), 'wcr2.dTE.first', 'the ticket stands for the token')
  t.equal(tokens.length, 1, 'getToken was not called')
  second.accept(ANA, { ticket: 'wcr2.dTE.second', expiresAt: new Date(timers.now() + 200_000).toISOString() })
  second.drop(1006)
  await timers.advance(1000)
  t.equal(credential(FakeSocket.last()), 'wcr2.dTE.second', 'each ready\'s own ticket, once')
  t.equal(tokens.length, 1)
})

t.test('a refused ticket falls back to a fresh token after the first backoff step', async (t) => {
  const { timers, tokens, states } = setup(t)
  await timers.flush()
  FakeSocket.last().accept(ANA, { ticket: 'wcr2.dTE.used' })
  FakeSocket.last().drop(1012)
  await timers.flush()
  const onTicket = FakeSocket.last()
  t.equal(credential(onTicket), 'wcr2.dTE.used')
  onTicket.drop(1006)
  await timers.flush()
  t.equal(FakeSocket.last(), onTicket, 'not at once: a fleet refused together does not rush auth')
  t.match(states.at(-1), { state: 'reconnecting', attempt: 1 })
  await timers.advance(1000)
  const onToken = FakeSocket.last()
  t.not(onToken, onTicket)
  t.equal(credential(onToken), tokens[1], 'a fresh token')
  onToken.accept(ANA)
  onToken.drop(1006)
  await timers.advance(1000)
  t.equal(credential(FakeSocket.last()), tokens[2], 'no ticket given: a token again')
})

t.test('a ticket is not offered once 90 s have passed since the drop', async (t) => {
  const { timers, tokens } = setup(t, { backoff: { random: () => 0, baseMs: 100_000, capMs: 100_000 } })
  await timers.flush()
  FakeSocket.last().accept(ANA, { ticket: 'wcr2.dTE.stale' })
  FakeSocket.last().drop(1006)
  await timers.advance(100_000)
  t.equal(credential(FakeSocket.last()), tokens[1], 'too late for the ticket: a token')
})

t.test('after 4003 (token expired) the ticket is not offered', async (t) => {
  const { timers, tokens } = setup(t)
  await timers.flush()
  FakeSocket.last().accept(ANA, { ticket: 'wcr2.dTE.expired' })
  FakeSocket.last().drop(4003)
  await timers.flush()
  t.equal(credential(FakeSocket.last()), tokens[1])
})

t.test('refreshed brings a new ticket; reconnectTickets: false never offers one', async (t) => {
  const { conn, timers } = setup(t)
  const heard: unknown[] = []
  conn.on('ready', (frame) => heard.push(frame))
  conn.on('refreshed', (frame) => heard.push(frame))
  await timers.flush()
  const socket = FakeSocket.last()
  socket.accept(ANA, { ticket: 'wcr2.dTE.old' })
  socket.deliver({ type: 'refreshed', expiresAt: new Date(timers.now() + 300_000).toISOString(), ticket: 'wcr2.dTE.new' })
  socket.deliver({ type: 'refreshed', expiresAt: new Date(timers.now() + 300_000).toISOString() })
  t.equal(heard.length, 3)
  t.notOk(JSON.stringify(heard).includes('wcr2'), 'listeners never see a ticket')
  socket.drop(1012)
  await timers.flush()
  t.equal(credential(FakeSocket.last()), 'wcr2.dTE.new', 'the newest ticket; a refresh without one keeps it')

  const off = setup(t, { reconnectTickets: false })
  await off.timers.flush()
  FakeSocket.last().accept(ANA, { ticket: 'wcr2.dTE.unused' })
  FakeSocket.last().drop(1012)
  await off.timers.flush()
  t.equal(credential(FakeSocket.last()), off.tokens[1], 'a token, as before tickets')
})

t.test('a connection opened by a ticket plans its refresh from ready.expiresAt', async (t) => {
  const { timers, tokens } = setup(t, { lifetimeS: 300 })
  await timers.flush()
  FakeSocket.last().accept(ANA, { ticket: 'wcr2.dTE.a' })
  FakeSocket.last().drop(1012)
  await timers.flush()
  const socket = FakeSocket.last()
  socket.accept(ANA, { ticket: 'wcr2.dTE.b', expiresAt: new Date(timers.now() + 100_000).toISOString() })
  await timers.advance(74_999)
  t.same(socket.ofType('refresh'), [])
  await timers.advance(1)
  t.same(socket.ofType('refresh'), [{ type: 'refresh', token: tokens[1] }], 'a quarter of what was left before the end')
})
