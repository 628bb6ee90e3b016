import t from 'tap'
import type { Frame, TestClient } from './helpers/client.js'
import { ENGINES, eventually, startCluster } from './helpers/cluster.js'

const CLIENTS = Number(process.env.PRESENCE_CLIENTS ?? 1000)
const EARLY = 20
const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

interface Seen {
  /** Who the client believes is in the room: its `joined.members`, then each change told. */
  known: Set<string>
  /** Changes told that changed nothing (a join of someone known, a leave of someone not). */
  redundant: Frame[]
  /** Presence frames before `joined`. */
  early: number
  changes: number
}

/** Follows a client's frames as a client applies them. */
function follow (client: TestClient): Seen {
  const seen: Seen = { known: new Set(), redundant: [], early: 0, changes: 0 }
  let joined = false
  let next = 0
  const apply = (): void => {
    for (; next < client.frames.length; next++) {
      const frame = client.frames[next]!
      if (frame.type === 'joined') {
        joined = true
        seen.known = new Set((frame.members as Array<{ id: string }>).map((m) => m.id))
      } else if (frame.type === 'presence') {
        if (!joined) { seen.early++; continue }
        const changes = [{ event: frame.event, user: frame.user }, ...(frame.more as Array<{ event: string, user: unknown }> | undefined ?? [])]
        for (const { event, user } of changes as Array<{ event: string, user: { id: string } }>) {
          seen.changes++
          if ((event === 'join') === seen.known.has(user.id)) seen.redundant.push(frame)
          if (event === 'join') seen.known.add(user.id)
          else seen.known.delete(user.id)
        }
      }
    }
  }
  client.ws.on('message', apply)
  return seen
}

for (const kind of ENGINES) {
  t.test(`${kind}: ${CLIENTS} clients joining one room at once are told no presence their joined showed`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2, env: { MAX_SOCKETS_PER_USER: 5 } })
    const clients: TestClient[] = []
    for (let i = 0; i < CLIENTS + EARLY; i += 100) {
      clients.push(...await Promise.all(Array.from({ length: Math.min(100, CLIENTS + EARLY - i) }, async (_, j) => {
        const n = i + j
        return await cluster.connect(n, { sub: `u${n}`, name: `User ${n}`, sid: `s${n}` })
      })))
    }
    const seen = clients.map(follow)
    // Some were there before; half of them leave while the others join.
    await Promise.all(clients.slice(0, EARLY).map(async (client) => await cluster.join(client, 'crowd')))
    const leavers = new Set(clients.slice(0, EARLY / 2))
    // Within a second: ten bursts, a leave in each.
    for (let burst = 0; burst < 10; burst++) {
      for (let i = EARLY + burst * CLIENTS / 10; i < EARLY + (burst + 1) * CLIENTS / 10; i++) clients[i]!.send({ type: 'join', room: 'crowd' })
      clients[burst]!.send({ type: 'leave', room: 'crowd' })
      await sleep(100)
    }
    const staying = clients.filter((client) => !leavers.has(client))
    const everyone = new Set(staying.map((_, i) => `u${clients.indexOf(staying[i]!)}`))
    const complete = (i: number): boolean => seen[i]!.known.size === everyone.size && [...everyone].every((id) => seen[i]!.known.has(id))
    await eventually(() => clients.every((client, i) => leavers.has(client) || complete(i)), 25_000, 'every client knowing everyone present').catch((err: unknown) => {
      const bad = clients.map((client, i) => i).filter((i) => !leavers.has(clients[i]!) && !complete(i))
      const i = bad[0]!
      const known = seen[i]!.known
      t.comment(`${bad.length} incomplete; client u${i}: missing ${[...everyone].filter((id) => !known.has(id)).slice(0, 10).join(',')} extra ${[...known].filter((id) => !everyone.has(id)).slice(0, 10).join(',')} errors ${JSON.stringify(clients.flatMap((c) => c.frames.filter((f) => f.type === 'error')).slice(0, 3))}`)
      throw err
    })
    // Anything late would come now.
    await sleep(300)
    t.same(clients.flatMap((client) => client.frames.filter((f) => f.type === 'error')), [], 'every join went through')
    const watched = seen.filter((_, i) => !leavers.has(clients[i]!))
    const redundant = watched.flatMap((s) => s.redundant)
    t.equal(redundant.length, 0, `no redundant presence change (of ${watched.reduce((n, s) => n + s.changes, 0)} told); first: ${JSON.stringify(redundant[0])}`)
    t.equal(watched.reduce((n, s) => n + s.early, 0), 0, 'no presence before joined')
    t.ok(clients.every((client, i) => leavers.has(client) || complete(i)), 'still complete')
    const frames = watched.reduce((n, s, i) => n + clients[i]!.frames.filter((f) => f.type === 'presence').length, 0)
    t.ok(frames < watched.reduce((n, s) => n + s.changes, 0), `changes that came together shared frames (${frames} frames)`)
  })
}
