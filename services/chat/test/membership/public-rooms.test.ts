import t from 'tap'
import type { Frame, TestClient } from '../helpers/client.js'
import { api } from '../helpers/backend-api.js'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { ask, bearer, listed, roster, tryJoin } from '../helpers/rooms.js'

const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }
const roomFrames = (client: TestClient, from: number, room: string): Frame[] => client.frames.slice(from).filter((f) => f.room === room || (f.entry as { room?: { id: string } } | undefined)?.room?.id === room)

for (const kind of ENGINES) {
  t.test(`${kind}: public rooms keep a roster`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2 })
    const room = 'lobby'
    const ada = await cluster.connect(0, { sub: 'ada', name: 'Ada' })
    const adaElsewhere = await cluster.connect(1, { sub: 'ada', name: 'Ada' })
    const bob = await cluster.connect(1, { sub: 'bob', name: 'Bob' })
    const bobHere = await cluster.connect(0, { sub: 'bob', name: 'Bob' })
    const cy = await cluster.connect(0, { sub: 'cy', name: 'Cy' })

    t.test('the first join makes the room and its joiner the owner; the room reaches their list on every device', async (t) => {
      t.equal((await tryJoin(ada, room)).type, 'joined')
      t.match(await adaElsewhere.waitFor((f) => f.type === 'room'), { entry: { room: { id: room, kind: 'public', title: room, topic: '', createdBy: 'ada', archived: false }, role: 'owner' } }, 'live, on the other instance')
      t.same(await listed(adaElsewhere), [[room, 'owner']])
    })

    t.test('a join makes a member; a member joining again writes nothing new', async (t) => {
      t.equal((await tryJoin(bob, room)).type, 'joined')
      t.match(await bobHere.waitFor((f) => f.type === 'room'), { entry: { room: { id: room }, role: 'member' } }, 'bob\'s other socket lists it live')
      t.match(await ada.waitFor((f) => f.type === 'member' && f.event === 'added'), { room, user: { id: 'bob', name: 'Bob' }, role: 'member', by: 'bob' }, 'the room sees the roster change')
      const before = { ada: ada.frames.length, bob: bob.frames.length }
      t.equal((await tryJoin(bobHere, room)).type, 'joined')
      await pause(200)
      t.same(roomFrames(ada, before.ada, room).filter((f) => f.type === 'member'), [], 'no second roster event')
      t.same(roomFrames(bob, before.bob, room).filter((f) => f.type === 'room'), [], 'nor a second list entry')
      t.same(await roster(bob, room), [['ada', 'owner'], ['bob', 'member']])
      t.equal((await tryJoin(cy, room)).type, 'joined')
    })

    t.test('`leave` stops a socket receiving the room and leaves the roster alone', async (t) => {
      const from = ada.frames.length
      bobHere.send({ type: 'leave', room })
      t.same(await bobHere.waitFor((f) => f.type === 'left' && f.room === room), { type: 'left', room })
      await pause(200)
      t.same(roomFrames(ada, from, room).filter((f) => f.type === 'member'), [], 'no roster event')
      t.same(await listed(bobHere), [[room, 'member']], 'still in the list')
      t.equal((await tryJoin(bobHere, room)).type, 'joined')
    })

    t.test('a muted member reads but cannot send, checked on the socket', async (t) => {
      t.equal((await ask(ada, { type: 'mute', room, user: 'bob', minutes: 30 })).type, 'done')
      for (const c of [bob, bobHere]) await c.waitFor((f) => f.type === 'room' && (f.entry as { mutedUntil?: string }).mutedUntil !== undefined)
      for (const [i, c] of [bob, bobHere].entries()) {
        c.send({ type: 'send', room, text: 'let me speak', clientMsgId: `bob-muted-${i}` })
        t.match(await c.waitFor((f) => f.ref === `bob-muted-${i}`), { type: 'error', code: 'muted' }, `refused on socket ${i}`)
      }
      ada.send({ type: 'send', room, text: 'still reading?', clientMsgId: 'ada-1' })
      t.ok(await bob.waitFor((f) => f.type === 'message' && f.text === 'still reading?'), 'a muted member still reads')
      const unmuted = bob.frames.length
      t.equal((await ask(ada, { type: 'unmute', room, user: 'bob' })).type, 'done')
      await bob.waitFor((f) => bob.frames.indexOf(f) >= unmuted && f.type === 'room' && (f.entry as { mutedUntil?: string }).mutedUntil === undefined)
      bob.send({ type: 'send', room, text: 'thanks', clientMsgId: 'bob-free' })
      t.match(await bob.waitFor((f) => f.type !== 'message' && (f.ref === 'bob-free' || f.clientMsgId === 'bob-free')), { type: 'ack' })
    })

    t.test('a ban closes the room on every socket of the user within 1 s and keeps them out until unbanned', async (t) => {
      t.match(await ask(cy, { type: 'ban', room, user: 'bob' }), { code: 'forbidden' }, 'a member may not ban')
      const marks = [bob, bobHere].map((c) => c.frames.length)
      const started = Date.now()
      t.equal((await ask(ada, { type: 'ban', room, user: 'bob' })).type, 'done')
      const lefts = await Promise.all([bob, bobHere].map(async (c, i) => await c.waitFor((f) => c.frames.indexOf(f) >= marks[i]! && f.type === 'left' && f.room === room, 1000)))
      t.ok(Date.now() - started < 1000, `left on both instances in ${Date.now() - started} ms`)
      t.match(lefts, [{ reason: 'banned' }, { reason: 'banned' }])
      await bob.waitFor((f) => f.type === 'room_removed' && f.room === room)
      t.match(await cy.waitFor((f) => f.type === 'member' && f.event === 'banned'), { user: { id: 'bob' }, by: 'ada' })
      t.same(await listed(bob), [], 'gone from the list')

      t.match(await tryJoin(bobHere, room), { type: 'error', code: 'banned' }, 'a rejoin is refused')
      bob.send({ type: 'history', room, before: '99999999999999-0' })
      t.match(await bob.waitFor((f) => f.type === 'error' && f.ref === room && f.code === 'banned'), {}, 'history over the socket is refused')
      for (const path of ['messages', 'presence']) {
        const response = await fetch(`${cluster.httpUrl(0)}/api/rooms/${room}/${path}`, { headers: await bearer(cluster, 'bob') })
        t.equal(response.status, 403, `GET /api/rooms/:room/${path}`)
        t.match(await response.json(), { error: 'banned' })
      }
      // A send right behind the join, while the roster is being asked: not in.
      bob.send({ type: 'join', room })
      bob.send({ type: 'send', room, text: 'sneaking in', clientMsgId: 'bob-sneak' })
      t.match(await bob.waitFor((f) => f.ref === 'bob-sneak'), { code: 'not_joined' })
      t.same(await listed(bob), [], 'a refused join indexes nothing')

      t.equal((await ask(ada, { type: 'unban', room, user: 'bob' })).type, 'done')
      t.equal((await tryJoin(bob, room)).type, 'joined', 'unbanned, the join works again')
      t.same(await roster(ada, room), [['ada', 'owner'], ['bob', 'member'], ['cy', 'member']])
    })

    t.test('the owner hands over before leaving; a room all left keeps its record and its next joiner owns it', async (t) => {
      t.match(await ask(ada, { type: 'leave_room', room }), { type: 'error', code: 'forbidden' })
      const from = { ada: ada.frames.length, bob: bob.frames.length, bobHere: bobHere.frames.length }
      t.equal((await ask(bob, { type: 'leave_room', room })).type, 'done')
      t.match(await bobHere.waitFor((f) => bobHere.frames.indexOf(f) >= from.bobHere && f.type === 'room_removed' && f.room === room), { reason: 'left' }, 'gone from the list on the other instance')
      t.match(await bob.waitFor((f) => bob.frames.indexOf(f) >= from.bob && f.type === 'left' && f.room === room), { reason: 'left' })
      t.match(await ada.waitFor((f) => ada.frames.indexOf(f) >= from.ada && f.type === 'member' && f.event === 'removed'), { user: { id: 'bob' }, by: 'bob' })
      t.equal((await ask(cy, { type: 'leave_room', room })).type, 'done')
      t.equal((await ask(ada, { type: 'leave_room', room })).type, 'done', 'the last member, the owner, leaves')
      await adaElsewhere.waitFor((f) => f.type === 'room_removed' && f.room === room)
      t.match(await ask(ada, { type: 'list_members', room }), { code: 'not_found' }, 'no longer a member')

      const call = api.bind(null, cluster)
      const kept = await call('GET', `/api/rooms/${room}`)
      t.match(kept, { status: 200, body: { room: { id: room, kind: 'public', createdBy: 'ada', archived: false } } }, 'the record is kept, not archived')
      t.same((kept.body as { members: unknown[] }).members, [], 'with no members')
      t.match(await call('PUT', `/api/rooms/${room}/members/eve`, { role: 'member' }), { status: 403, body: { error: 'forbidden' } }, 'a backend adds an owner first')
      t.same((await call('GET', '/api/users/eve/rooms')).body, { rooms: [] }, 'and the refusal left nothing in a list')
      t.equal((await tryJoin(cy, room)).type, 'joined')
      t.same(await roster(cy, room), [['cy', 'owner']], 'the next joiner owns it')
      t.equal((await tryJoin(ada, room)).type, 'joined')
      t.same(await roster(cy, room), [['ada', 'member'], ['cy', 'owner']], 'one owner')
    })

    t.test('a room whose log is older than its roster is taken over by its first join', async (t) => {
      await cluster.post('old-times', 'from before rosters')
      const joined = await tryJoin(bob, 'old-times')
      t.match(joined.messages, [{ text: 'from before rosters' }], 'with its history')
      t.same(await roster(bob, 'old-times'), [['bob', 'owner']])
    })
  })

  t.test(`${kind}: with OPEN_ROOMS off only the public rooms backends made exist`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2, env: { OPEN_ROOMS: false } })
    const call = api.bind(null, cluster)
    const ada = await cluster.connect(0, { sub: 'ada', name: 'Ada' })
    const bob = await cluster.connect(1, { sub: 'bob', name: 'Bob' })

    t.test('any other name answers as a room that does not exist', async (t) => {
      const absent = await tryJoin(bob, 'p-aaaaaaaaaaaaaaaaaaaaaaaa')
      const unmade = await tryJoin(bob, 'nowhere')
      t.match(unmade, { type: 'error', code: 'not_found' })
      t.same({ code: unmade.code, message: unmade.message }, { code: absent.code, message: absent.message }, 'the same code and message')
      for (const path of ['messages', 'presence']) {
        const response = await fetch(`${cluster.httpUrl(1)}/api/rooms/nowhere/${path}`, { headers: await bearer(cluster, 'bob') })
        t.equal(response.status, 404, `GET /api/rooms/:room/${path}`)
      }
      t.match(await call('POST', '/api/rooms/nowhere/messages', { user: { id: 'bot', name: 'Bot' }, text: 'hello' }), { status: 404 }, 'nor does a post make one')
      t.same(await listed(bob), [])
      t.equal((await call('GET', '/api/rooms/nowhere')).status, 404, 'nothing was made')
    })

    t.test('a backend makes a public room with its owner; anyone may then join it', async (t) => {
      const made = await call('POST', '/api/rooms', { kind: 'public', id: 'town-hall', topic: 'all welcome', members: [{ user: 'ada', name: 'Ada', role: 'owner' }] })
      t.match(made, { status: 201, body: { room: { id: 'town-hall', kind: 'public', title: 'town-hall', topic: 'all welcome', createdBy: 'backend' } } })
      t.match(await ada.waitFor((f) => f.type === 'room'), { entry: { room: { id: 'town-hall' }, role: 'owner' } })
      t.match(await call('POST', '/api/rooms', { kind: 'public', id: 'town-hall', members: [{ user: 'bob', role: 'owner' }] }), { status: 409, body: { error: 'conflict' } })
      t.equal((await tryJoin(bob, 'town-hall')).type, 'joined')
      t.same(await roster(bob, 'town-hall'), [['ada', 'owner'], ['bob', 'member']])
      t.equal((await call('POST', '/api/rooms/town-hall/messages', { user: { id: 'bot', name: 'Bot' }, text: 'hello' })).status, 201)
    })

    t.test('a backend\'s ban of a public room\'s member closes it on their sockets', async (t) => {
      t.equal((await call('DELETE', '/api/rooms/town-hall/members/bob?ban=true', undefined, { instance: 1 })).status, 204)
      t.match(await bob.waitFor((f) => f.type === 'left' && f.room === 'town-hall', 1000), { reason: 'banned' })
      t.match(await tryJoin(bob, 'town-hall'), { code: 'banned' })
    })
  })

  t.test(`${kind}: joins of public rooms are bounded, and a refused one leaves nothing half-written`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2, env: { MAX_ROOM_MEMBERS: 2, MAX_ROOMS_PER_USER: 2, NEW_ROOMS_PER_HOUR: 3 } })
    const call = api.bind(null, cluster)
    const [ada, bob, cy] = await Promise.all(['ada', 'bob', 'cy'].map(async (sub, i) => await cluster.connect(i, { sub })))
    for (const c of [ada!, bob!]) t.equal((await tryJoin(c, 'small')).type, 'joined')
    t.match(await tryJoin(cy!, 'small'), { type: 'error', code: 'room_full' }, 'a third member of a room of two')
    t.same(await listed(cy!), [], 'not in their list')
    t.same(await roster(ada!, 'small'), [['ada', 'owner'], ['bob', 'member']], 'nor in the roster')

    t.equal((await tryJoin(ada!, 'second')).type, 'joined')
    t.match(await tryJoin(ada!, 'third'), { type: 'error', code: 'too_many_rooms', message: /at most 2 rooms/ }, 'a third room for a user in two')
    t.equal((await call('GET', '/api/rooms/third')).status, 404, 'the room was not made')
    t.same(await listed(ada!), [['second', 'owner'], ['small', 'owner']])

    // cy started nothing yet: joining the full room cost nothing.
    for (const room of ['c1', 'c2']) {
      t.equal((await tryJoin(cy!, room)).type, 'joined')
      t.equal((await ask(cy!, { type: 'leave_room', room })).type, 'done')
    }
    t.equal((await tryJoin(cy!, 'c3')).type, 'joined')
    t.match(await tryJoin(cy!, 'c4'), { type: 'error', code: 'too_many_rooms', message: /3 new rooms in the last hour/ }, 'rooms made an hour are counted, even those left')
    t.same(await listed(cy!), [['c3', 'owner']], 'the refused room is not in the list')
    t.equal((await tryJoin(cy!, 'c1')).type, 'joined', 'a room that exists costs nothing')
  })
}
