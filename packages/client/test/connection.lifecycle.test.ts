import t from 'tap'
import { CloseCode } from '@webchat/shared'
import { WebchatError } from '../src/errors.js'
import { FakeSocket } from './helpers/fake-socket.js'
import { handled, opened, setup } from './helpers/setup.js'

t.test('fetches a fresh token for every connect and offers it as a subprotocol', async (t) => {
  const { conn, timers, tokens } = setup(t)
  await timers.flush()
  t.equal(FakeSocket.all.length, 1)
  t.same(FakeSocket.last().protocols, ['webchat.v1', tokens[0]])
  FakeSocket.last().accept()
  t.equal(conn.state.state, 'open')
  FakeSocket.last().drop(1006)
  await timers.advance(1000)
  t.equal(FakeSocket.all.length, 2)
  t.equal(tokens.length, 2)
  t.not(tokens[0], tokens[1])
  t.same(FakeSocket.last().protocols, ['webchat.v1', tokens[1]])
})

t.test('backs off 1, 2, 4, 8, 16, 16 s while the server is unreachable, and resets once ready', async (t) => {
  const { timers, states } = setup(t)
  await timers.flush()
  const waits: number[] = []
  for (let i = 0; i < 6; i++) {
    FakeSocket.last().drop(1006)
    await timers.flush()
    const state = states[states.length - 1]!
    t.equal(state.state, 'reconnecting')
    if (state.state === 'reconnecting') {
      waits.push(state.inMs)
      t.equal(state.attempt, i + 1)
      t.equal(state.code, 1006)
      await timers.advance(state.inMs - 1)
      t.equal(FakeSocket.all.length, i + 1, 'not before the delay')
      await timers.advance(1)
      t.equal(FakeSocket.all.length, i + 2, 'right at the delay')
    }
  }
  t.same(waits, [1000, 2000, 4000, 8000, 16000, 16000])
  FakeSocket.last().accept()
  FakeSocket.last().drop(1011)
  await timers.flush()
  const state = states[states.length - 1]!
  t.same(state.state === 'reconnecting' && state.inMs, 1000, 'a successful connection resets the schedule')
})

t.test('jitter spreads delays within [nominal/2, nominal]', async (t) => {
  const { timers, states } = setup(t, { backoff: { random: () => 0.999 } })
  await timers.flush()
  FakeSocket.last().drop(1006)
  await timers.flush()
  const state = states[states.length - 1]!
  t.ok(state.state === 'reconnecting' && state.inMs >= 500 && state.inMs <= 1000)
})

t.test('reconnects at once after 1012 and after 4003, with a new token', async (t) => {
  for (const code of [CloseCode.restarting, CloseCode.tokenExpired]) {
    t.test(`code ${code}`, async (t) => {
      const { timers, states, tokens } = setup(t)
      await timers.flush()
      FakeSocket.last().accept()
      FakeSocket.last().drop(code)
      await timers.flush()
      t.equal(FakeSocket.all.length, 2, 'second socket without waiting')
      t.notOk(states.some((s) => s.state === 'reconnecting'))
      t.equal(tokens.length, 2)
      // If that immediate attempt fails too, it falls back to the backoff schedule.
      FakeSocket.last().drop(code)
      await timers.flush()
      const last = states[states.length - 1]!
      t.equal(last.state, 'reconnecting')
    })
  }
})

t.test('never reconnects after 4001: the session ended, pending sends fail', async (t) => {
  const { conn, timers, states } = await opened(t, ['lobby'])
  FakeSocket.last().drop(1006)
  const sending = handled(conn.send('lobby', 'hello'))
  await timers.advance(1000)
  FakeSocket.last().drop(CloseCode.sessionEnded)
  await timers.advance(60_000)
  t.equal(FakeSocket.all.length, 2)
  t.same(states[states.length - 1], { state: 'ended', reason: 'session_ended' })
  await t.rejects(sending, { code: 'session_ended' })
  await t.rejects(conn.join('other'), { code: 'session_ended' })
})

t.test('ends without retrying when the token endpoint says unauthorized', async (t) => {
  const { timers, states } = setup(t, {
    getToken: async () => { throw new WebchatError('unauthorized', 'not signed in', { status: 401 }) }
  })
  await timers.advance(60_000)
  t.equal(FakeSocket.all.length, 0)
  t.same(states[states.length - 1], { state: 'ended', reason: 'unauthorized' })
})

t.test('retries with backoff when the token endpoint is unreachable', async (t) => {
  let calls = 0
  const { timers, states } = setup(t, {
    getToken: async () => {
      calls++
      if (calls < 3) throw new WebchatError('network', 'down')
      return 'tok'
    }
  })
  await timers.flush()
  t.equal(states[states.length - 1]!.state, 'reconnecting')
  await timers.advance(1000 + 2000)
  t.equal(calls, 3)
  t.equal(FakeSocket.all.length, 1)
})

t.test('a socket that never says ready is dropped and retried', async (t) => {
  const { timers } = setup(t, { readyTimeoutMs: 3000 })
  await timers.flush()
  FakeSocket.last().readyState = 1
  await timers.advance(3000)
  t.equal(FakeSocket.all[0]!.closedByClient, 1000)
  await timers.advance(1000)
  t.equal(FakeSocket.all.length, 2)
})

t.test('waits for the network instead of counting down while offline', async (t) => {
  let online = true
  let notify: (online: boolean) => void = () => {}
  const { conn, timers, states } = setup(t, {
    network: { online: () => online, subscribe: (fn) => { notify = fn; return () => {} } }
  })
  await timers.flush()
  FakeSocket.last().accept()
  online = false
  notify(false)
  t.equal(FakeSocket.all[0]!.closedByClient, 1000)
  t.same(states[states.length - 1], { state: 'offline' })
  await timers.advance(60_000)
  t.equal(FakeSocket.all.length, 1, 'no attempts while offline')
  online = true
  notify(true)
  await timers.flush()
  t.equal(FakeSocket.all.length, 2)
  t.equal(conn.state.state, 'connecting')
})

t.test('reconnect() skips the wait; close() ends everything', async (t) => {
  const { conn, timers, states } = setup(t)
  await timers.flush()
  FakeSocket.last().drop(1006)
  await timers.flush()
  conn.reconnect()
  await timers.flush()
  t.equal(FakeSocket.all.length, 2)
  FakeSocket.last().accept()
  conn.close()
  t.equal(FakeSocket.last().closedByClient, 1000)
  t.same(states[states.length - 1], { state: 'ended', reason: 'closed' })
  await timers.advance(60_000)
  t.equal(FakeSocket.all.length, 2)
  await t.rejects(conn.send('lobby', 'x'), { code: 'closed' })
})

t.test('without a WebSocket class it says what to pass', async (t) => {
  const g = globalThis as { WebSocket?: unknown }
  const saved = g.WebSocket
  delete g.WebSocket
  t.teardown(() => { if (saved !== undefined) g.WebSocket = saved })
  const { createConnection } = await import('../src/connection.js')
  t.throws(() => createConnection({ url: 'ws://x', getToken: async () => 't' }), /options\.WebSocket/)
})
