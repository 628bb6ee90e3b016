import t from 'tap'
import type { Frame, TestClient } from '../helpers/client.js'
import { api } from '../helpers/backend-api.js'
import { startCluster } from '../helpers/cluster.js'

let refs = 0
async function ask (client: TestClient, frame: Record<string, unknown>): Promise<Frame> {
  const ref = `b${++refs}`
  client.send({ ...frame, ref })
  return await client.waitFor((f) => f.ref === ref && f.type !== 'member')
}
const idOf = (answer: Frame): string => (answer.room as { id: string }).id

t.test('rooms, members and invitations are bounded, with clear errors', async (t) => {
  const cluster = await startCluster(t, 'memory', { env: { NEW_ROOMS_PER_HOUR: 3, MAX_ROOMS_PER_USER: 2, MAX_ROOM_MEMBERS: 3, INVITES_PER_HOUR: 3 } })
  const ada = await cluster.connect(0, { sub: 'ada' })
  const room = idOf(await ask(ada, { type: 'create', title: 'One' }))
  t.ok(room)
  t.equal((await ask(ada, { type: 'invite', room, user: 'bob' })).type, 'done')
  t.equal((await ask(ada, { type: 'invite', room, user: 'cy' })).type, 'done')
  t.match(await ask(ada, { type: 'invite', room, user: 'dee' }), { type: 'error', code: 'room_full' }, 'a fourth member')
  const dee = await cluster.connect(0, { sub: 'dee' })
  t.same((await ask(dee, { type: 'list_rooms' })).rooms, [], 'the refused invitation left nothing in their list')
  t.match(await ask(ada, { type: 'invite', room, user: 'eve' }), { type: 'error', code: 'rate_limited', message: /3 invitations/ }, 'a fourth invitation in the hour')
  t.equal(idOf(await ask(ada, { type: 'create', title: 'Two' })).startsWith('p-'), true)
  t.match(await ask(ada, { type: 'create', title: 'Three' }), { type: 'error', code: 'too_many_rooms', message: /at most 2 rooms/ }, 'a third room for a user in two')
  t.match(await ask(ada, { type: 'direct', user: 'fay' }), { type: 'error', code: 'too_many_rooms' }, 'a direct room counts too')
  const gus = await cluster.connect(0, { sub: 'gus' })
  for (const title of ['a', 'b']) {
    const made = idOf(await ask(gus, { type: 'create', title }))
    t.equal((await ask(gus, { type: 'leave_room', room: made })).type, 'done')
  }
  t.equal((await ask(gus, { type: 'direct', user: 'hal' })).type, 'done')
  t.match(await ask(gus, { type: 'create', title: 'c' }), { type: 'error', code: 'too_many_rooms', message: /3 new rooms in the last hour/ }, 'rooms made an hour are counted, even those left')
  t.match(await ask(gus, { type: 'create', title: 'x'.repeat(101) }), { type: 'error', code: 'bad_frame' }, 'a title past 100 characters')
})

t.test('the operator may bound titles and topics tighter than the protocol, for users and backends alike', async (t) => {
  const cluster = await startCluster(t, 'memory', { env: { ROOM_TITLE_MAX_CHARS: 5, ROOM_TOPIC_MAX_CHARS: 8 } })
  const ada = await cluster.connect(0, { sub: 'ada' })
  t.match(await ask(ada, { type: 'create', title: 'Sixsix' }), { type: 'error', code: 'bad_request', message: /title holds at most 5 characters/ }, 'a title past the bound')
  const room = idOf(await ask(ada, { type: 'create', title: '🚀🚀🚀🚀🚀', topic: 'eight ch' }))
  t.ok(room, 'five emoji are five characters, and a topic at the bound')
  t.match(await ask(ada, { type: 'update_room', room, topic: 'nine char' }), { type: 'error', code: 'bad_request', message: /topic holds at most 8 characters/ })
  t.match((await ask(ada, { type: 'list_rooms' })).rooms, [{ room: { id: room, title: '🚀🚀🚀🚀🚀', topic: 'eight ch' } }], 'the refused edit changed nothing')
  const made = await api(cluster, 'POST', '/api/rooms', { kind: 'private', title: 'Sixsix', members: [{ user: 'ada', role: 'owner' }] })
  t.match(made, { status: 400, body: { error: 'bad_request', message: /at most 5 characters/ } }, 'a backend is held to the same bound')
  t.match(await api(cluster, 'PATCH', `/api/rooms/${room}`, { topic: 'x'.repeat(9) }), { status: 400, body: { error: 'bad_request' } })
})
