import t, { type Test } from 'tap'
import { CloseCode, type ServerFrame } from '@webchat/shared'
import { createLink, type LinkDeps } from '../../src/connection/link.js'
import type { ConnectionEvents, ConnectionState } from '../../src/connection/types.js'
import { WebchatError } from '../../src/errors.js'
import type { NetworkStatus } from '../../src/timers.js'
import { FakeSocket } from '../helpers/fake-socket.js'
import { createFakeTimers } from '../helpers/fake-timers.js'
import { fakeJwt } from '../helpers/setup.js'

/** A started link on fake sockets, recording its states, invalid counts and what it told the hooks. */
async function linked (t: Test, deps: Partial<LinkDeps> = {}) {
  FakeSocket.reset()
  const timers = createFakeTimers()
  const states: ConnectionState[] = []
  const invalid: number[] = []
  const told = { offered: [] as Array<number | undefined>, frames: [] as ServerFrame[], dropped: 0, ending: [] as WebchatError[] }
  const emit = <K extends keyof ConnectionEvents>(event: K, value: ConnectionEvents[K]): void => {
    if (event === 'state') states.push(value as ConnectionState)
    if (event === 'invalid') invalid.push((value as ConnectionEvents['invalid']).count)
  }
  const link = createLink({
    url: 'ws://chat.test/ws',
    getToken: async () => fakeJwt(1, 120),
    WebSocket: FakeSocket,
    timers,
    network: undefined,
    backoff: { random: () => 0 },
    readyTimeoutMs: 3000,
    reconnectTickets: true,
    emit,
    hooks: {
      offered: (ms) => told.offered.push(ms),
      frame: (frame) => told.frames.push(frame),
      dropped: () => { told.dropped++ },
      ending: (err) => told.ending.push(err)
    },
    ...deps
  })
  t.teardown(() => link.end('closed'))
  link.start()
  await timers.flush()
  return { link, timers, states, invalid, told }
}

t.test('connects on start with the token as a subprotocol, and tells its lifetime', async (t) => {
  const { link, states, told } = await linked(t)
  t.same(FakeSocket.last().protocols, ['webchat.v1', fakeJwt(1, 120)])
  t.equal(FakeSocket.last().url, 'ws://chat.test/ws')
  t.same(told.offered, [120_000])
  t.same(states, [{ state: 'connecting', attempt: 0 }])
  t.equal(link.isOpen(), false, 'not before ready')
  t.equal(link.transmit({ type: 'typing', room: 'lobby' }), false)
})

t.test('asks a url function before every connect', async (t) => {
  let n = 0
  await linked(t, { url: async () => `ws://chat${++n}.test/ws` })
  t.equal(FakeSocket.last().url, 'ws://chat1.test/ws')
})

t.test('ready opens it: state, user, transmit', async (t) => {
  const { link, states } = await linked(t)
  const socket = FakeSocket.last()
  socket.readyState = 1
  link.ready({ id: 'u1', name: 'Ana' }, undefined)
  t.same(states[states.length - 1], { state: 'open', user: { id: 'u1', name: 'Ana' } })
  t.same(link.user, { id: 'u1', name: 'Ana' })
  t.equal(link.socket(), socket)
  t.equal(link.transmit({ type: 'typing', room: 'lobby' }), true)
  t.same(socket.sent, [{ type: 'typing', room: 'lobby' }])
})

t.test('hands valid frames to the hook and counts the others; none after the socket is dropped', async (t) => {
  const { link, invalid, told } = await linked(t)
  const socket = FakeSocket.last()
  socket.deliver('not json')
  socket.deliver([{ type: 'left', room: 'a' }, { type: 'left', room: 'b' }])
  t.same(invalid, [1])
  t.same(told.frames.map((f) => f.type === 'left' && f.room), ['a', 'b'])
  link.drop(1006)
  t.equal(told.dropped, 1)
  t.equal(socket.closedByClient, CloseCode.normal)
  t.equal(socket.onmessage, null, 'detached')
})

t.test('a drop reconnects with backoff; 1012 at once, once; 4001 ends the session', async (t) => {
  const { link, timers, states, told } = await linked(t)
  FakeSocket.last().drop(1006)
  t.same(states[states.length - 1], { state: 'reconnecting', inMs: 1000, at: timers.now() + 1000, attempt: 1, code: 1006 })
  await timers.advance(1000)
  t.equal(FakeSocket.all.length, 2)
  FakeSocket.last().drop(CloseCode.restarting)
  await timers.flush()
  t.equal(FakeSocket.all.length, 3, 'at once')
  FakeSocket.last().drop(CloseCode.restarting)
  t.equal(states[states.length - 1]!.state, 'reconnecting', 'the second time with backoff')
  link.reconnect()
  await timers.flush()
  FakeSocket.last().drop(CloseCode.sessionEnded)
  t.same(states[states.length - 1], { state: 'ended', reason: 'session_ended' })
  t.equal(told.ending[0]!.code, 'session_ended')
  t.equal(link.endedError().code, 'session_ended')
})

t.test('a socket that never says ready is dropped', async (t) => {
  const { timers, told } = await linked(t)
  await timers.advance(3000)
  t.equal(FakeSocket.all[0]!.closedByClient, CloseCode.normal)
  t.equal(told.dropped, 1)
})

t.test('end: waiters fail first, then the socket closes and the state says why, once', async (t) => {
  const { link, timers, states, told } = await linked(t)
  t.equal(link.endedError().code, 'closed', 'before the end, calls fail as closed')
  link.end('unauthorized')
  link.end('closed')
  t.same(told.ending.map((e) => e.code), ['unauthorized'])
  t.equal(told.dropped, 1)
  t.same(states.filter((s) => s.state === 'ended'), [{ state: 'ended', reason: 'unauthorized' }])
  t.equal(link.ended(), true)
  await timers.advance(60_000)
  t.equal(FakeSocket.all.length, 1)
})

t.test('a token endpoint that refuses ends; one that fails retries; a socket that cannot be made retries', async (t) => {
  const refused = await linked(t, { getToken: async () => { throw new WebchatError('unauthorized', 'no', { status: 401 }) } })
  t.same(refused.states[refused.states.length - 1], { state: 'ended', reason: 'unauthorized' })
  const failing = await linked(t, { getToken: async () => { throw new Error('down') } })
  t.equal(failing.states[failing.states.length - 1]!.state, 'reconnecting')
  const broken = await linked(t, { WebSocket: class { constructor () { throw new Error('bad url') } } as never })
  t.same(broken.states[broken.states.length - 1], { state: 'reconnecting', inMs: 1000, at: broken.timers.now() + 1000, attempt: 1, code: 1006 })
})

t.test('offline: no countdown, the socket is dropped, and it connects when the network is back', async (t) => {
  let online = true
  let notify: (online: boolean) => void = () => {}
  let unsubscribed = false
  const network: NetworkStatus = { online: () => online, subscribe: (fn) => { notify = fn; return () => { unsubscribed = true } } }
  const { link, timers, states } = await linked(t, { network })
  online = false
  notify(false)
  t.same(states[states.length - 1], { state: 'offline' })
  t.same(timers.pending(), [])
  online = true
  notify(true)
  await timers.flush()
  t.equal(FakeSocket.all.length, 2)
  link.end('closed')
  t.equal(unsubscribed, true)
})
