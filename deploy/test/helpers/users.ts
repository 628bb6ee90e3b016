import type { Test } from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { createConnection, type AuthClient, type Connection, type ConnectionEvents, type ConnectionState } from '@webchat/client'
import { nextEvent } from '@webchat/testkit'
import type { ChatInstance, Topology } from './topology.js'

/** A signed-in user with one reconnecting connection, as the web app holds it. */
export interface User {
  auth: AuthClient
  conn: Connection
  closes: number[]
  states: ConnectionState[]
  /**
   * Every message delivered to the app: live ones and those a (re)join brought (`via`). Ids are
   * unique within a room only: two rooms' logs (on two shards) can make the same id.
   */
  seen: Array<{ room: string, id: string, text: string, via: 'live' | 'joined' }>
  /** Every message as the server sent it, before the client's deduplication (see `socketClass`). */
  wire: Array<{ room: string, id: string }>
}

/** The next `event` on `conn` that `match`es, or a rejection after `ms`. */
export async function next<K extends keyof ConnectionEvents> (conn: Connection, event: K, match?: (v: ConnectionEvents[K]) => boolean, ms?: number): Promise<ConnectionEvents[K]> {
  return await nextEvent<ConnectionEvents, K>(conn, event, match, ms)
}

/** Signs `email` in through the topology's entry point and connects to `room`, as the web app does. */
export async function connect (t: Test, topo: Topology, email: string, name: string, room: string): Promise<User> {
  const auth = await topo.signIn(email, name)
  const closes: number[] = []
  const wire: User['wire'] = []
  const conn = createConnection({
    url: await topo.chatUrl(auth),
    getToken: async () => await auth.token(),
    WebSocket: topo.socketClass(closes, wire),
    rooms: [room],
    backoff: { baseMs: 100, capMs: 500 },
    network: null
  })
  t.teardown(() => conn.close())
  const user: User = { auth, conn, closes, states: [], seen: [], wire }
  conn.on('state', (s) => user.states.push(s))
  conn.on('message', (m) => user.seen.push({ room: m.room, id: m.id, text: m.text, via: 'live' }))
  conn.on('joined', (j) => user.seen.push(...j.messages.map((m) => ({ room: j.room, id: m.id, text: m.text, via: 'joined' as const }))))
  await next(conn, 'joined', (j) => j.room === room, 15_000)
  return user
}

/** Counts of sockets per instance, polled until `expected` (the gauge moves just after the upgrade). */
export async function waitForCounts (chats: ChatInstance[], expected: number[], ms = 5000): Promise<number[]> {
  const deadline = Date.now() + ms
  let counts: number[] = []
  while (Date.now() < deadline) {
    counts = await Promise.all(chats.map(async (c) => c.done ? 0 : await c.connections()))
    if (counts.every((n, i) => n === expected[i])) return counts
    await sleep(50)
  }
  return counts
}

/** Waits until every id in `ids` has been seen by `user` in `room` (or `ms` passed: the caller checks). */
export async function waitForAll (user: User, room: string, ids: string[], ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const seen = new Set(user.seen.filter((m) => m.room === room).map((m) => m.id))
    if (ids.every((id) => seen.has(id))) return
    await sleep(50)
  }
}

/** `promise`'s value, or undefined after `ms` (the timer never outlives it). */
export async function within<T> (promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms) })])
  } finally {
    clearTimeout(timer)
  }
}

/** How often the server sent `user` the message `id` of `room`. */
export const timesSent = (user: User, room: string, id: string): number => user.wire.filter((m) => m.room === room && m.id === id).length

/** How often `user` was shown the message `id` of `room`. */
export const timesSeen = (user: User, room: string, id: string): number => user.seen.filter((m) => m.room === room && m.id === id).length
