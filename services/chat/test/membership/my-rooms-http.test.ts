import t from 'tap'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { ask, bearer, tryJoin } from '../helpers/rooms.js'

interface Listed { rooms: Array<{ room: { id: string, kind: string, title: string }, role: string, peer?: { id: string } }> }

for (const kind of ENGINES) {
  t.test(`${kind}: a user's own rooms over HTTP, with their chat token`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2 })
    const ada = await cluster.connect(0, { sub: 'ada', name: 'Ada' })
    const made = await ask(ada, { type: 'create', title: 'Plans' })
    const privateId = (made.room as { id: string }).id
    t.equal((await tryJoin(ada, 'lobby')).type, 'joined')
    const direct = await ask(ada, { type: 'direct', user: 'bob' })
    const directId = (direct.room as { id: string }).id

    const mine = async (sub: string, instance = 1): Promise<{ status: number, body: Listed }> => {
      const answer = await fetch(`${cluster.httpUrl(instance)}/api/me/rooms`, { headers: await bearer(cluster, sub) })
      return { status: answer.status, body: await answer.json() as Listed }
    }
    const ofAda = await mine('ada')
    t.equal(ofAda.status, 200)
    const byId = new Map(ofAda.body.rooms.map((entry) => [entry.room.id, entry]))
    t.match(byId.get(privateId), { room: { kind: 'private', title: 'Plans' }, role: 'owner' }, 'the private room made on the other instance')
    t.match(byId.get('lobby'), { room: { kind: 'public', title: 'lobby' }, role: 'owner' }, 'the public room joined')
    t.match(byId.get(directId), { room: { kind: 'direct' }, role: 'member', peer: { id: 'bob' } }, 'the direct room, with the other person')
    t.equal(byId.size, 3)

    const ofBob = await mine('bob')
    t.same(ofBob.body.rooms.map((entry) => entry.room.id), [directId], 'another user sees only their own rooms')
    const anonymous = await fetch(`${cluster.httpUrl(0)}/api/me/rooms`)
    t.equal(anonymous.status, 401, 'no token, no list')
  })
}
