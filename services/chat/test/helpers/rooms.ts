import type { Frame, TestClient } from './client.js'
import type { Cluster } from './cluster.js'

let refs = 0
/** Sends a request about rooms and waits for its answer: `done` (or a list) or `error` with its ref. */
export async function ask (client: TestClient, frame: Record<string, unknown>): Promise<Frame> {
  const ref = `q${++refs}`
  client.send({ ...frame, ref })
  return await client.waitFor((f) => f.ref === ref && f.type !== 'member', 5000, `answer to ${String(frame.type)}`)
}

/** A join's answer: `joined` or an error about the room (only frames that came after it was sent). */
export async function tryJoin (client: TestClient, room: string): Promise<Frame> {
  const seen = client.frames.length
  client.send({ type: 'join', room })
  return await client.waitFor((f) => client.frames.indexOf(f) >= seen && ((f.type === 'joined' && f.room === room) || (f.type === 'error' && f.ref === room)), 5000, `answer to join ${room}`)
}

/** The `Authorization` header of a chat token for `sub`. */
export const bearer = async (cluster: Cluster, sub: string): Promise<Record<string, string>> =>
  ({ authorization: `Bearer ${await cluster.auth.mint({ sub })}` })

/** A user's list as [room id, role] pairs, sorted. */
export const listed = async (client: TestClient): Promise<string[][]> =>
  ((await ask(client, { type: 'list_rooms' })).rooms as Array<{ room: { id: string }, role: string }>).map((e) => [e.room.id, e.role]).sort()

/** A room's roster as [user id, role] pairs, sorted, as a member of it sees it. */
export const roster = async (client: TestClient, room: string): Promise<string[][]> =>
  ((await ask(client, { type: 'list_members', room })).members as Array<{ user: { id: string }, role: string }>).map((m) => [m.user.id, m.role]).sort()
