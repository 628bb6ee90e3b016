import t from 'tap'
import { api } from '../helpers/backend-api.js'
import { ENGINES, singleRedisOnly, startCluster } from '../helpers/cluster.js'
import { ask, bearer, roster, tryJoin } from '../helpers/rooms.js'

// An outsider's attempts on the membership model, each kept as the test that caught (or ruled out) a hole.

const idOf = (answer: Record<string, unknown>): string => (answer.room as { id: string }).id

for (const kind of ENGINES) {
  t.test(`${kind}: roles: nobody below the owner touches the owner or their peers, not even by a no-op`, async (t) => {
    const cluster = await startCluster(t, kind)
    const last = cluster.apps.length - 1
    const ada = await cluster.connect(0, { sub: 'ada' })
    const room = idOf(await ask(ada, { type: 'create', title: 'Roles' }))
    for (const id of ['bob', 'cy', 'dan']) t.equal((await ask(ada, { type: 'invite', room, user: id })).type, 'done')
    for (const id of ['bob', 'cy']) t.equal((await ask(ada, { type: 'set_role', room, user: id, role: 'moderator' })).type, 'done')
    const bob = await cluster.connect(last, { sub: 'bob' })
    const dan = await cluster.connect(last, { sub: 'dan' })
    for (const frame of [{ type: 'set_role', room, user: 'ada', role: 'member' }, { type: 'set_role', room, user: 'ada', role: 'moderator' },
      { type: 'set_role', room, user: 'cy', role: 'member' }, { type: 'remove', room, user: 'cy' }, { type: 'mute', room, user: 'cy' },
      { type: 'ban', room, user: 'cy' }, { type: 'mute', room, user: 'ada' }]) {
      t.match(await ask(bob, frame), { type: 'error', code: 'forbidden' }, `a moderator: ${JSON.stringify(frame)}`)
    }
    for (const frame of [{ type: 'set_role', room, user: 'ada', role: 'moderator' }, { type: 'set_role', room, user: 'cy', role: 'moderator' }, { type: 'set_role', room, user: 'dan', role: 'member' }]) {
      t.match(await ask(dan, frame), { type: 'error', code: 'forbidden' }, `a member, even a change to what is already so: ${JSON.stringify(frame)}`)
    }
    t.match(await ask(ada, { type: 'set_role', room, user: 'ada', role: 'member' }), { type: 'error', code: 'forbidden' }, 'the owner does not demote themselves')
    t.same(await roster(ada, room), [['ada', 'owner'], ['bob', 'moderator'], ['cy', 'moderator'], ['dan', 'member']])

    // Two hand-overs at once from two instances: exactly one wins, and the room keeps one owner.
    const adaThere = await cluster.connect(last, { sub: 'ada' })
    const answers = await Promise.all([ask(ada, { type: 'set_role', room, user: 'bob', role: 'owner' }), ask(adaThere, { type: 'set_role', room, user: 'dan', role: 'owner' })])
    t.equal(answers.filter((a) => a.type === 'done').length, 1, `one hand-over wins: ${answers.map((a) => String(a.code ?? a.type)).join(',')}`)
    t.equal((await roster(ada, room)).filter(([, role]) => role === 'owner').length, 1, 'one owner')
  })

  t.test(`${kind}: an archived room takes no messages, from backends either`, async (t) => {
    const cluster = await startCluster(t, kind)
    const ada = await cluster.connect(0, { sub: 'ada' })
    const room = idOf(await ask(ada, { type: 'create', title: 'Done' }))
    await cluster.post(room, 'before')
    t.equal((await api(cluster, 'PATCH', `/api/rooms/${room}`, { archived: true })).status, 200)
    const posted = await api(cluster, 'POST', `/api/rooms/${room}/messages`, { user: { id: 'bot', name: 'Bot' }, text: 'after' })
    t.match(posted, { status: 409, body: { error: 'archived' } }, 'a backend post into an archived room')
    const lobby = 'archived-lobby'
    await cluster.join(ada, lobby)
    t.equal((await api(cluster, 'PATCH', `/api/rooms/${lobby}`, { archived: true })).status, 200)
    t.match(await api(cluster, 'POST', `/api/rooms/${lobby}/messages`, { user: { id: 'bot', name: 'Bot' }, text: 'after' }), { status: 409 }, 'a public one too')
    const page = await api(cluster, 'GET', `/api/rooms/${room}`)
    t.equal(page.status, 200)
  })

  t.test(`${kind}: an archived room takes nobody new, and its owner can still hand it over and leave`, async (t) => {
    const cluster = await startCluster(t, kind)
    const last = cluster.apps.length - 1
    const ada = await cluster.connect(0, { sub: 'ada' })
    const lobby = `shelved-${kind}`
    await cluster.join(ada, lobby)
    t.equal((await api(cluster, 'PATCH', `/api/rooms/${lobby}`, { archived: true })).status, 200)
    const eve = await cluster.connect(last, { sub: 'eve' })
    t.match(await tryJoin(eve, lobby), { type: 'error', code: 'archived' }, 'a join of an archived public room adds nobody')
    eve.send({ type: 'history', room: lobby, before: '99999999999999-0' })
    t.match(await eve.waitFor((f) => f.type === 'history' && f.room === lobby), { messages: [] }, 'its history is there to read')
    t.same(await roster(ada, lobby), [['ada', 'owner']])
    t.equal((await ask(ada, { type: 'leave_room', room: lobby })).type, 'done', 'its last member leaves')

    const room = idOf(await ask(ada, { type: 'create', title: 'Shelved' }))
    t.equal((await ask(ada, { type: 'invite', room, user: 'bob' })).type, 'done')
    t.equal((await api(cluster, 'PATCH', `/api/rooms/${room}`, { archived: true })).status, 200)
    t.match(await ask(ada, { type: 'leave_room', room }), { code: 'forbidden' }, 'the owner hands over first')
    t.equal((await ask(ada, { type: 'set_role', room, user: 'bob', role: 'owner' })).type, 'done', 'and can, in an archived room')
    t.equal((await ask(ada, { type: 'leave_room', room })).type, 'done')
    const bob = await cluster.connect(last, { sub: 'bob' })
    t.match(await ask(bob, { type: 'set_role', room, user: 'ada', role: 'moderator' }), { code: 'not_found' })
    t.match(await ask(bob, { type: 'update_room', room, topic: 'x' }), { code: 'archived' }, 'nothing else changes in it')
  })

  t.test(`${kind}: an update that changes nothing is refused, not announced`, async (t) => {
    const cluster = await startCluster(t, kind)
    const ada = await cluster.connect(0, { sub: 'ada' })
    const room = idOf(await ask(ada, { type: 'create', title: 'Quiet' }))
    await cluster.join(ada, room)
    const from = ada.frames.length
    t.match(await ask(ada, { type: 'update_room', room }), { type: 'error', code: 'bad_request' })
    await new Promise((resolve) => setTimeout(resolve, 200))
    t.notOk(ada.frames.slice(from).some((f) => f.type === 'room_updated'), 'no room_updated to everyone')
  })

  t.test(`${kind}: a roster is read within the user's reply budget`, async (t) => {
    const cluster = await startCluster(t, kind)
    const members = Array.from({ length: 5000 }, (_, i) => ({ user: `member-${i}`, role: i === 0 ? 'owner' : 'member' }))
    const made = await api(cluster, 'POST', '/api/rooms', { kind: 'private', members })
    t.equal(made.status, 201)
    const room = idOf(made.body as Record<string, unknown>)
    const reader = await cluster.connect(0, { sub: 'member-1' })
    const answers = await Promise.all(Array.from({ length: 6 }, async () => await ask(reader, { type: 'list_members', room })))
    t.ok(answers.some((a) => a.type === 'error' && a.code === 'rate_limited'), `six rosters of 5,000 at once: ${answers.map((a) => String(a.code ?? a.type)).join(',')}`)
    t.ok(answers[0]?.type === 'members', 'the first is answered')
    const http = await fetch(`${cluster.httpUrl(0)}/api/me/rooms`, { headers: await bearer(cluster, 'member-1') })
    t.equal(http.status, 429, 'the same budget answers the list over HTTP')
  })

  t.test(`${kind}: titles and topics hold text, not control characters`, async (t) => {
    const cluster = await startCluster(t, kind)
    const ada = await cluster.connect(0, { sub: 'ada' })
    for (const title of ['a\u0000b', '\u001b[2J', '   ', 'x\u202eevil', 'line\nbreak']) {
      t.match(await ask(ada, { type: 'create', title }), { type: 'error', code: 'bad_frame' }, `title ${JSON.stringify(title)}`)
    }
    t.match(await ask(ada, { type: 'create', title: 'ok', topic: 'bell\u0007' }), { type: 'error', code: 'bad_frame' }, 'a topic with a control character')
    const room = idOf(await ask(ada, { type: 'create', title: 'Ünïcode 🚀 ok', topic: 'two\nlines are fine in a topic' }))
    t.match(await ask(ada, { type: 'update_room', room, title: '\u0000' }), { type: 'error', code: 'bad_frame' })
    t.match(await api(cluster, 'PATCH', `/api/rooms/${room}`, { title: 'bad\u0000' }), { status: 400 }, 'nor from a backend')
  })

  t.test(`${kind}: names that are object keys elsewhere (__proto__, constructor) are plain names`, async (t) => {
    const cluster = await startCluster(t, kind)
    const proto = await cluster.connect(0, { sub: '__proto__', name: 'Proto' })
    for (const room of ['__proto__', 'constructor', 'hasownproperty']) {
      t.equal((await tryJoin(proto, room)).type, 'joined', room)
    }
    const list = await ask(proto, { type: 'list_rooms' })
    t.same((list.rooms as Array<{ room: { id: string }, role: string }>).map((e) => [e.room.id, e.role]).sort(), [['__proto__', 'owner'], ['constructor', 'owner'], ['hasownproperty', 'owner']])
    const other = await cluster.connect(cluster.apps.length - 1, { sub: 'constructor' })
    t.equal((await tryJoin(other, '__proto__')).type, 'joined')
    t.same(await roster(proto, '__proto__'), [['__proto__', 'owner'], ['constructor', 'member']])
    t.equal((await ask(proto, { type: 'ban', room: '__proto__', user: 'constructor' })).type, 'done')
    t.match(await tryJoin(other, '__proto__'), { code: 'banned' })
    const direct = await ask(proto, { type: 'direct', user: 'constructor' })
    t.equal(direct.type, 'done')
    t.match(await api(cluster, 'GET', '/api/users/__proto__/rooms'), { status: 200, body: { rooms: [{}, {}, {}, {}] } })
  })
}

t.test('a direct conversation with someone whose list is full is not made at all', async (t) => {
  const cluster = await startCluster(t, 'memory', { env: { MAX_ROOMS_PER_USER: 1 } })
  const ada = await cluster.connect(0, { sub: 'ada' })
  const bob = await cluster.connect(0, { sub: 'bob' })
  t.equal((await tryJoin(bob, 'bobs-only-room')).type, 'joined')
  t.match(await ask(ada, { type: 'direct', user: 'bob' }), { type: 'error', code: 'too_many_rooms' })
  t.same((await ask(ada, { type: 'list_rooms' })).rooms, [], 'nothing in the starter\'s list')
  t.equal((await ask(ada, { type: 'create', title: 'still room for this' })).type, 'done', 'the starter\'s one place is free')
  t.equal((await ask(bob, { type: 'leave_room', room: 'bobs-only-room' })).type, 'done')
  const made = await ask(bob, { type: 'direct', user: 'cy' })
  t.equal(made.type, 'done')
  const cy = await cluster.connect(0, { sub: 'cy' })
  t.match((await ask(cy, { type: 'list_rooms' })).rooms, [{ room: { kind: 'direct' }, peer: { id: 'bob' } }], 'the other person\'s list has it')
})

t.test('redis: a join racing a removal on another instance never leaves the socket in the room', async (t) => {
  const cluster = await startCluster(t, 'redis')
  const ada = await cluster.connect(0, { sub: 'ada' })
  const room = idOf(await ask(ada, { type: 'create', title: 'Race' }))
  await cluster.join(ada, room)
  for (let i = 0; i < 15; i++) {
    t.equal((await ask(ada, { type: 'invite', room, user: 'rex' })).type, 'done')
    const rex = await cluster.connect(1, { sub: 'rex' })
    rex.send({ type: 'join', room })
    await new Promise((resolve) => setTimeout(resolve, i % 5))
    t.equal((await ask(ada, { type: 'remove', room, user: 'rex' })).type, 'done')
    await new Promise((resolve) => setTimeout(resolve, 150))
    rex.send({ type: 'send', room, text: 'still here?', clientMsgId: `race-${i}` })
    t.match(await rex.waitFor((f) => f.clientMsgId === `race-${i}` || f.ref === `race-${i}`), { type: 'error', code: 'not_joined' }, `round ${i}`)
    await rex.close()
  }
})

t.test('redis: every key the membership writes is bounded: a TTL, or a family bounded by rooms and users', { skip: singleRedisOnly('KEYS and PTTL on its one server') }, async (t) => {
  const cluster = await startCluster(t, 'redis')
  const ada = await cluster.connect(0, { sub: 'ada' })
  const bob = await cluster.connect(1, { sub: 'bob' })
  const room = idOf(await ask(ada, { type: 'create', title: 'Keys' }))
  t.equal((await ask(ada, { type: 'invite', room, user: 'bob' })).type, 'done')
  await cluster.join(ada, room)
  await cluster.join(bob, room)
  await cluster.join(bob, 'key-lobby')
  ada.send({ type: 'send', room, text: 'hello', clientMsgId: 'k1' })
  const message = await bob.waitFor((f) => f.type === 'message')
  bob.send({ type: 'typing', room })
  bob.send({ type: 'read', room, id: message.id })
  t.equal((await ask(ada, { type: 'direct', user: 'bob' })).type, 'done')
  t.equal((await ask(ada, { type: 'mute', room, user: 'bob', minutes: 5 })).type, 'done')
  t.equal((await ask(ada, { type: 'ban', room, user: 'cy' })).type, 'done')
  await new Promise((resolve) => setTimeout(resolve, 300))
  const { Redis } = await import('ioredis')
  const client = new Redis(cluster.redis!.url)
  t.teardown(() => { client.disconnect() })
  const keys = await client.keys(`${cluster.prefix}*`)
  const persistent: string[] = []
  for (const key of keys) if (await client.pttl(key) === -1) persistent.push(key.slice(cluster.prefix.length).replace(/^([^:]+:[^:{]+).*$/, '$1'))
  // Rooms (record, log, its epoch and message number) are kept: one per room, each made by a user
  // within NEW_ROOMS_PER_HOUR (or a backend); a user's index is bounded by MAX_ROOMS_PER_USER.
  t.same([...new Set(persistent)].sort(), ['log-epoch:room-log', 'log-seq:room-log', 'log:room-log', 'map:room', 'map:user-rooms'], 'the only keys without a TTL')
})
