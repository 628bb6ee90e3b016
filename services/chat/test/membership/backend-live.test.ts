import t from 'tap'
import type { Frame, TestClient } from '../helpers/client.js'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { api } from '../helpers/backend-api.js'

/** A join's answer: `joined` or an error about the room. */
async function tryJoin (client: TestClient, room: string): Promise<Frame> {
  const seen = client.frames.length
  client.send({ type: 'join', room })
  return await client.waitFor((f) => client.frames.indexOf(f) >= seen && ((f.type === 'joined' && f.room === room) || (f.type === 'error' && f.ref === room)))
}

for (const kind of ENGINES) {
  t.test(`${kind}: what backends do reaches the members' sockets on every instance`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2 })
    const call = api.bind(null, cluster)
    const ada = await cluster.connect(1, { sub: 'ada', name: 'Ada' })
    const room = 'p-launch'
    const made = await call('POST', '/api/rooms', { kind: 'private', id: room, title: 'Launch', members: [{ user: 'ada', role: 'owner' }] })
    t.equal(made.status, 201)
    t.match(await ada.waitFor((f) => f.type === 'room'), { entry: { room: { id: room, createdBy: 'backend' }, role: 'owner' } }, 'a created room reaches its members\' lists live')
    t.equal((await tryJoin(ada, room)).type, 'joined')

    const bob = await cluster.connect(1, { sub: 'bob', name: 'Bob' })
    const bobHere = await cluster.connect(0, { sub: 'bob', name: 'Bob' })
    t.test('a member added on one instance is told on the other, and can join', async (t) => {
      t.match(await tryJoin(bob, room), { type: 'error', code: 'not_found' }, 'not before')
      t.equal((await call('PUT', `/api/rooms/${room}/members/bob`, { role: 'member' }, { instance: 0 })).status, 201)
      t.match(await bob.waitFor((f) => f.type === 'room'), { entry: { room: { id: room, title: 'Launch' }, role: 'member' } })
      t.match(await ada.waitFor((f) => f.type === 'member' && f.event === 'added'), { user: { id: 'bob' }, role: 'member', by: 'backend' }, 'the room sees it')
      for (const c of [bob, bobHere]) t.equal((await tryJoin(c, room)).type, 'joined')
      bob.send({ type: 'send', room, text: 'hello from Bob', clientMsgId: 'bob-1' })
      t.ok(await ada.waitFor((f) => f.type === 'message' && f.text === 'hello from Bob'))
    })

    t.test('a role given by a backend is taken up live', async (t) => {
      t.equal((await call('PUT', `/api/rooms/${room}/members/bob`, { role: 'moderator' })).status, 200)
      t.match(await bob.waitFor((f) => f.type === 'room' && (f.entry as { role: string }).role === 'moderator'), {})
      t.match(await ada.waitFor((f) => f.type === 'member' && f.event === 'role'), { user: { id: 'bob' }, role: 'moderator', by: 'backend' })
    })

    t.test('a removed user leaves the room on every instance within 1 s', async (t) => {
      const started = Date.now()
      t.equal((await call('DELETE', `/api/rooms/${room}/members/bob`, undefined, { instance: 1 })).status, 204)
      const lefts = await Promise.all([bob, bobHere].map(async (c) => await c.waitFor((f) => f.type === 'left' && f.room === room, 1000)))
      t.ok(Date.now() - started < 1000, `left on both instances in ${Date.now() - started} ms`)
      t.match(lefts, [{ reason: 'removed' }, { reason: 'removed' }])
      t.match(await ada.waitFor((f) => f.type === 'member' && f.event === 'removed'), { user: { id: 'bob' }, by: 'backend' })
      t.match(await tryJoin(bobHere, room), { code: 'not_found' }, 'and no way back in')
    })

    t.test('archiving makes the room read-only for its members at once', async (t) => {
      ada.send({ type: 'send', room, text: 'before', clientMsgId: 'ada-1' })
      await ada.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'ada-1')
      t.match(await call('PATCH', `/api/rooms/${room}`, { topic: 'done', archived: true }, { instance: 0 }), { status: 200, body: { room: { archived: true, topic: 'done' } } })
      t.match(await ada.waitFor((f) => f.type === 'room_updated'), { room, details: { archived: true, topic: 'done' } })
      await ada.waitFor((f) => f.type === 'room' && (f.entry as { room: { archived: boolean } }).room.archived)
      ada.send({ type: 'send', room, text: 'after', clientMsgId: 'ada-2' })
      t.match(await ada.waitFor((f) => f.ref === 'ada-2'), { type: 'error', code: 'archived' })
      const page = await fetch(`${cluster.httpUrl(0)}/api/rooms/${room}/messages`, { headers: { authorization: `Bearer ${await cluster.auth.mint({ sub: 'ada' })}` } })
      t.same((await page.json() as { messages: Array<{ text: string }> }).messages.map((m) => m.text), ['hello from Bob', 'before'], 'the history is kept')
      // Frames from before the archive also say not archived: only one that comes after counts.
      const sinceArchive = ada.frames.length
      t.equal((await call('PATCH', `/api/rooms/${room}`, { archived: false })).status, 200)
      await ada.waitFor((f) => ada.frames.indexOf(f) >= sinceArchive && f.type === 'room' && !(f.entry as { room: { archived: boolean } }).room.archived)
      ada.send({ type: 'send', room, text: 'back', clientMsgId: 'ada-3' })
      t.match(await ada.waitFor((f) => f.type !== 'message' && (f.clientMsgId === 'ada-3' || f.ref === 'ada-3')), { type: 'ack' }, 'unarchived, it takes messages again')
    })
  })
}
