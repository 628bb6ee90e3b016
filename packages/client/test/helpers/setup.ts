import type { Test } from 'tap'
import type { ChatMessage, ServerFrameOf } from '@webchat/shared'
import { createConnection, type ConnectionOptions, type ConnectionState } from '../../src/connection.js'
import { FakeSocket } from './fake-socket.js'
import { createFakeTimers } from './fake-timers.js'

/** A JWT-shaped token (unsigned: the client only reads iat/exp to plan refreshes). */
export function fakeJwt (n: number, lifetimeS = 300, iat = 1_700_000_000): string {
  const part = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url')
  return `${part({ alg: 'ES256' })}.${part({ sub: 'u1', iat, exp: iat + lifetimeS, jti: `t${n}` })}.sig`
}

export function msg (room: string, id: string, text = `text ${id}`, extra: Partial<ServerFrameOf<'message'>> = {}): ServerFrameOf<'message'> {
  return { type: 'message', room, id, user: { id: 'u2', name: 'Ben' }, text, ts: 1, ...extra }
}

/** A stored message, as `joined` and `history` frames carry it. */
export function chat (room: string, id: string, text = `text ${id}`, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { room, id, user: { id: 'u2', name: 'Ben' }, text, ts: 1, ...extra }
}

export function joined (room: string, extra: Partial<ServerFrameOf<'joined'>> = {}): ServerFrameOf<'joined'> {
  return { type: 'joined', room, epoch: 'e1', members: [], messages: [], recovered: true, lastRead: null, ...extra }
}

export function setup (t: Test, options: Partial<ConnectionOptions> & { lifetimeS?: number } = {}) {
  FakeSocket.reset()
  const timers = createFakeTimers()
  const tokens: string[] = []
  const states: ConnectionState[] = []
  const conn = createConnection({
    url: 'ws://chat.test/ws',
    getToken: async () => {
      const token = fakeJwt(tokens.length + 1, options.lifetimeS)
      tokens.push(token)
      return { token, expiresAt: new Date(timers.now() + 300_000).toISOString() }
    },
    WebSocket: FakeSocket,
    timers,
    network: null,
    backoff: { random: () => 0 },
    ...options
  })
  conn.on('state', (s) => states.push(s))
  t.teardown(() => conn.close())
  return { conn, timers, states, tokens }
}

/** A connection that is open and has joined `rooms`; `sends(id)` counts the sends of a clientMsgId on its socket. */
export async function opened (t: Parameters<typeof setup>[0], rooms: string[], options: Parameters<typeof setup>[1] = {}) {
  const context = setup(t, { rooms, ...options })
  await context.timers.flush()
  const socket = FakeSocket.last()
  socket.accept()
  socket.deliver(rooms.map((room) => joined(room)))
  const sends = (id: string): number => socket.ofType('send').filter((f) => f.clientMsgId === id).length
  return { ...context, socket, sends }
}

/** Marks a promise as handled now (the test checks its outcome later), so an early rejection is not "unhandled". */
export function handled<T> (promise: Promise<T>): Promise<T> {
  promise.catch(() => {})
  return promise
}
