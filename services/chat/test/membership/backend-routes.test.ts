import t from 'tap'
import type { RoomDetails } from '@webchat/shared'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { api } from '../helpers/backend-api.js'

/** The roster of a room in a 201/200 answer, as [user, role] pairs. */
const roles = (body: unknown): string[][] =>
  (body as RoomDetails).members.map((m) => [m.user.id, m.role]).sort()

for (const kind of ENGINES) {
  t.test(`${kind}: backends manage rooms over HTTP, and are refused what breaks a room`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2 })
    const call = api.bind(null, cluster)

    t.test('every route wants the service key', async (t) => {
      for (const [method, path, body] of [
        ['POST', '/api/rooms', { kind: 'private', members: [{ user: 'ada', role: 'owner' }] }],
        ['GET', '/api/rooms/p-any'], ['PATCH', '/api/rooms/p-any', { title: 'x' }],
        ['PUT', '/api/rooms/p-any/members/bob', { role: 'member' }], ['DELETE', '/api/rooms/p-any/members/bob'],
        ['GET', '/api/users/ada/rooms']
      ] as Array<[string, string, unknown?]>) {
        t.match(await call(method, path, body, { key: null }), { status: 401, body: { error: 'unauthorized' } }, `${method} ${path} without a key`)
        t.match(await call(method, path, body, { key: 'wrong' }), { status: 401 }, `${method} ${path} with a wrong key`)
      }
    })

    t.test('bad bodies are refused with 400 and make nothing', async (t) => {
      for (const [why, body] of [
        ['a public room without an id', { kind: 'public', members: [{ user: 'ada', role: 'owner' }] }],
        ['a public room with a private room\'s id', { kind: 'public', id: 'p-lobby', members: [{ user: 'ada', role: 'owner' }] }],
        ['a public room without an owner', { kind: 'public', id: 'lobby', members: [{ user: 'ada' }] }],
        ['no members', { kind: 'private', members: [] }],
        ['no owner', { kind: 'private', members: [{ user: 'ada' }] }],
        ['two owners', { kind: 'private', members: [{ user: 'ada', role: 'owner' }, { user: 'bob', role: 'owner' }] }],
        ['a user twice', { kind: 'private', members: [{ user: 'ada', role: 'owner' }, { user: 'ada' }] }],
        ['an id without p-', { kind: 'private', id: 'lobby', members: [{ user: 'ada', role: 'owner' }] }],
        ['an id that is no room name', { kind: 'private', id: 'p-Not Valid', members: [{ user: 'ada', role: 'owner' }] }],
        ['a direct room of three', { kind: 'direct', members: [{ user: 'ada' }, { user: 'bob' }, { user: 'cy' }] }],
        ['a direct room with an id', { kind: 'direct', id: 'p-mine', members: [{ user: 'ada' }, { user: 'bob' }] }],
        ['a direct room with a title', { kind: 'direct', title: 'us', members: [{ user: 'ada' }, { user: 'bob' }] }],
        ['a direct room with an owner', { kind: 'direct', members: [{ user: 'ada', role: 'owner' }, { user: 'bob' }] }],
        ['an unknown field', { kind: 'private', members: [{ user: 'ada', role: 'owner' }], extra: 1 }]
      ] as Array<[string, unknown]>) {
        t.match(await call('POST', '/api/rooms', body), { status: 400, body: { error: 'bad_request' } }, why)
      }
      t.same((await call('GET', '/api/users/ada/rooms')).body, { rooms: [] }, 'nothing was indexed')
    })

    t.test('unknown rooms are 404 on every route', async (t) => {
      for (const [method, path, body] of [
        ['GET', '/api/rooms/p-nothing'], ['GET', '/api/rooms/lobby'], ['PATCH', '/api/rooms/p-nothing', { title: 'x' }],
        ['PUT', '/api/rooms/p-nothing/members/bob', { role: 'member' }], ['DELETE', '/api/rooms/p-nothing/members/bob']
      ] as Array<[string, string, unknown?]>) {
        t.match(await call(method, path, body), { status: 404, body: { error: 'not_found' } }, `${method} ${path}`)
      }
      t.same((await call('GET', '/api/users/bob/rooms')).body, { rooms: [] }, 'a refused add indexed nothing')
    })

    t.test('a private room: created, read, members set, owner handed over, bans', async (t) => {
      const made = await call('POST', '/api/rooms', { kind: 'private', id: 'p-project-x', title: 'Project X', topic: 'launch', members: [{ user: 'ada', name: 'Ada', role: 'owner' }, { user: 'bob' }] })
      t.equal(made.status, 201)
      t.match(made.body, { room: { id: 'p-project-x', kind: 'private', title: 'Project X', topic: 'launch', createdBy: 'backend', archived: false } })
      t.same(roles(made.body), [['ada', 'owner'], ['bob', 'member']])
      t.match((made.body as RoomDetails).members, [{ addedBy: 'backend' }, { addedBy: 'backend' }])
      t.match(await call('POST', '/api/rooms', { kind: 'private', id: 'p-project-x', members: [{ user: 'eve', role: 'owner' }] }, { instance: 1 }), { status: 409, body: { error: 'conflict' } }, 'an existing id')
      t.same((await call('GET', '/api/users/eve/rooms')).body, { rooms: [] }, 'the refused owner was not indexed')
      const generated = await call('POST', '/api/rooms', { kind: 'private', members: [{ user: 'eve', role: 'owner' }] })
      t.match(generated, { status: 201, body: { room: { id: /^p-[a-z2-7]{24}$/, title: '' } } }, 'an id is made when none is given')

      t.match(await call('GET', '/api/rooms/p-project-x', undefined, { instance: 1 }), { status: 200, body: { room: { title: 'Project X' } } })
      t.match(await call('PUT', '/api/rooms/p-project-x/members/cy', { role: 'moderator', name: 'Cy' }), { status: 201, body: { user: { id: 'cy', name: 'Cy' }, role: 'moderator', addedBy: 'backend' } })
      t.match(await call('PUT', '/api/rooms/p-project-x/members/cy', { role: 'member' }), { status: 200, body: { role: 'member', user: { name: 'Cy' } } }, 'a role changed')
      t.match(await call('PUT', '/api/rooms/p-project-x/members/ada', { role: 'member' }), { status: 403, body: { error: 'forbidden' } }, 'the owner is not demoted')
      t.match(await call('DELETE', '/api/rooms/p-project-x/members/ada'), { status: 403, body: { error: 'forbidden', message: /owner/ } }, 'nor removed')
      t.match(await call('PUT', '/api/rooms/p-project-x/members/bob', { role: 'owner' }), { status: 200, body: { role: 'owner' } })
      t.same(roles((await call('GET', '/api/rooms/p-project-x')).body), [['ada', 'moderator'], ['bob', 'owner'], ['cy', 'member']], 'the old owner is a moderator: one owner')

      t.equal((await call('DELETE', '/api/rooms/p-project-x/members/dee?ban=true')).status, 204, 'a ban of someone never in the room')
      t.match(await call('PUT', '/api/rooms/p-project-x/members/dee', { role: 'member' }), { status: 403, body: { error: 'banned' } })
      t.same((await call('GET', '/api/users/dee/rooms')).body, { rooms: [] }, 'the refused add left nothing in their list')
      t.match(await call('DELETE', '/api/rooms/p-project-x/members/nobody'), { status: 404 }, 'removing a non-member')
      t.equal((await call('DELETE', '/api/rooms/p-project-x/members/cy?ban=false')).status, 204)
      const details = await call('GET', '/api/rooms/p-project-x')
      t.same(roles(details.body), [['ada', 'moderator'], ['bob', 'owner']])
      t.match((details.body as RoomDetails).banned, [{ user: { id: 'dee' }, by: 'backend' }])
      t.match(await call('PUT', '/api/rooms/p-project-x/members/x', { role: 'boss' }), { status: 400 }, 'an unknown role')
      t.match(await call('PATCH', '/api/rooms/p-project-x', {}), { status: 400 }, 'an empty change')

      t.match(await call('PATCH', '/api/rooms/p-project-x', { title: 'Project Y', archived: true }), { status: 200, body: { room: { title: 'Project Y', archived: true } } })
      t.match((await call('GET', '/api/users/ada/rooms')).body, { rooms: [{ room: { id: 'p-project-x', archived: true }, role: 'moderator' }] })
      t.same((await call('GET', '/api/users/cy/rooms')).body, { rooms: [] }, 'a removed member\'s list')
    })

    t.test('a direct room: the id of its two people, nothing to manage', async (t) => {
      const made = await call('POST', '/api/rooms', { kind: 'direct', members: [{ user: 'ada', name: 'Ada' }, { user: 'fay', name: 'Fay' }] })
      t.match(made, { status: 201, body: { room: { id: /^d-/, kind: 'direct', title: '' } } })
      const id = (made.body as RoomDetails).room.id
      t.match(await call('POST', '/api/rooms', { kind: 'direct', members: [{ user: 'fay' }, { user: 'ada' }] }), { status: 409, body: { error: 'conflict' } }, 'either order is the same room')
      t.match(await call('PUT', `/api/rooms/${id}/members/cy`, { role: 'member' }), { status: 403 })
      t.match(await call('DELETE', `/api/rooms/${id}/members/fay`), { status: 403 })
      t.match(await call('PATCH', `/api/rooms/${id}`, { title: 'us' }), { status: 400 })
      t.match((await call('GET', '/api/users/fay/rooms')).body, { rooms: [{ room: { id }, peer: { id: 'ada', name: 'Ada' } }] })
    })
  })
}

t.test('what backends add is bounded as what users add, and a refusal leaves nothing behind', async (t) => {
  const cluster = await startCluster(t, 'memory', { env: { MAX_ROOM_MEMBERS: 2, MAX_ROOMS_PER_USER: 1 } })
  const call = api.bind(null, cluster)
  const three = [{ user: 'ada', role: 'owner' }, { user: 'bob' }, { user: 'cy' }]
  t.match(await call('POST', '/api/rooms', { kind: 'private', id: 'p-big', members: three }), { status: 409, body: { error: 'room_full' } }, 'three members in a room of two')
  for (const user of ['ada', 'bob', 'cy']) t.same((await call('GET', `/api/users/${user}/rooms`)).body, { rooms: [] }, `${user} was not indexed`)
  t.equal((await call('GET', '/api/rooms/p-big')).status, 404, 'nor the room made')
  t.equal((await call('POST', '/api/rooms', { kind: 'private', id: 'p-one', members: [{ user: 'ada', role: 'owner' }] })).status, 201)
  t.match(await call('POST', '/api/rooms', { kind: 'private', id: 'p-two', members: [{ user: 'bob', role: 'owner' }, { user: 'ada' }] }), { status: 429, body: { error: 'too_many_rooms' } }, 'ada is in one room already')
  t.same((await call('GET', '/api/users/bob/rooms')).body, { rooms: [] }, 'bob, indexed first, was taken off again')
  t.match(await call('PUT', '/api/rooms/p-one/members/bob', { role: 'member' }), { status: 201 })
  t.match(await call('PUT', '/api/rooms/p-one/members/cy', { role: 'member' }), { status: 409, body: { error: 'room_full' } })
  t.same((await call('GET', '/api/users/cy/rooms')).body, { rooms: [] }, 'the refused add left nothing in their list')
  t.equal((await call('POST', '/api/rooms', { kind: 'private', id: 'p-cy', members: [{ user: 'cy', role: 'owner' }] })).status, 201)
  t.equal((await call('DELETE', '/api/rooms/p-one/members/bob')).status, 204)
  t.match(await call('PUT', '/api/rooms/p-one/members/cy', { role: 'member' }), { status: 429, body: { error: 'too_many_rooms' } }, 'cy is in one room already')
})
