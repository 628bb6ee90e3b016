import { Redis } from 'ioredis'
import type { Frame, TestClient } from './client.js'
import type { Cluster } from './cluster.js'

let refs = 0
let sessions = 0

/**
 * Users connected (the i-th to instance i, each with a session of its own) and joined to `room`
 * in order: the first to join a new public room owns it.
 */
export async function members<const U extends ReadonlyArray<string | { sub: string, name?: string }>> (cluster: Cluster, room: string, users: U): Promise<{ [K in keyof U]: TestClient }> {
  const clients: TestClient[] = []
  for (const [i, user] of users.entries()) {
    const client = await cluster.connect(i, { ...(typeof user === 'string' ? { sub: user } : user), sid: `ls${++sessions}` })
    await cluster.join(client, room)
    clients.push(client)
  }
  return clients as { [K in keyof U]: TestClient }
}

/** A fresh clientMsgId. */
export const nextRef = (): string => `lc${++refs}`

/**
 * Sends a frame that carries a clientMsgId (send, edit, delete, react) and waits for its answer:
 * the `ack` or the `error` whose ref is that clientMsgId (only frames after it was sent).
 */
export async function act (client: TestClient, frame: Record<string, unknown>): Promise<Frame> {
  const clientMsgId = (frame.clientMsgId as string | undefined) ?? nextRef()
  const seen = client.frames.length
  client.send({ ...frame, clientMsgId })
  return await client.waitFor((f) => client.frames.indexOf(f) >= seen &&
    ((f.type === 'ack' && f.clientMsgId === clientMsgId) || (f.type === 'error' && f.ref === clientMsgId)), 5000, `answer to ${String(frame.type)} ${clientMsgId}`)
}

/** Sends a message and resolves with its id (throws on a refusal). */
export async function say (client: TestClient, room: string, text: string, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await act(client, { type: 'send', room, text, ...extra })
  if (answer.type !== 'ack') throw new Error(`send refused: ${JSON.stringify(answer)}`)
  return answer.id as string
}

/** The live frame of `type` about `id` (a message's id, or a change's target), waiting for it. */
export const liveChange = async (client: TestClient, target: string, kind: string): Promise<Frame> =>
  await client.waitFor((f) => f.type === 'change' && f.target === target && f.kind === kind, 5000, `${kind} of ${target}`)

/** The room's messages over HTTP (GET /api/rooms/:room/messages), oldest first. */
export async function httpMessages (cluster: Cluster, room: string, instance = 0): Promise<Frame[]> {
  const response = await fetch(`${cluster.httpUrl(instance)}/api/rooms/${room}/messages`, { headers: { authorization: `Bearer ${await cluster.auth.mint()}` } })
  if (response.status !== 200) throw new Error(`history refused: ${response.status}`)
  return (await response.json() as { messages: Frame[] }).messages
}

/** A `history` page of the room's newest messages, as a connection gets it. */
export async function historyOf (client: TestClient, room: string): Promise<Frame[]> {
  const seen = client.frames.length
  client.send({ type: 'history', room, before: '999999999999999-0' })
  const page = await client.waitFor((f) => client.frames.indexOf(f) >= seen && f.type === 'history' && f.room === room, 5000, `history of ${room}`)
  return page.messages as Frame[]
}

/** The message `id` in a list of messages. */
export const byId = (messages: Frame[] | unknown, id: string): Frame | undefined => (messages as Frame[]).find((m) => m.id === id)

/**
 * A client on the cluster's one redis-server, and the Redis keys of a room's log and message
 * states there (names.ts, engine redis/names.ts, without Redis Cluster placement).
 */
export function redisAdmin (t: { teardown (fn: () => unknown): void }, cluster: Cluster): { admin: Redis, logKey (room: string): string, statesKey (room: string): string } {
  const admin = new Redis(cluster.redis!.url)
  t.teardown(() => { admin.disconnect() })
  return {
    admin,
    logKey: (room) => `${cluster.prefix}log:room-log:${room}`,
    statesKey: (room) => `${cluster.prefix}map:room-states:${room}`
  }
}
