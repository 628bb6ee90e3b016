import t from 'tap'
import { verifyAccessSignature } from '@webchat/client'
import { SIGNATURE_HEADER } from '@webchat/shared'
import { api } from '../helpers/backend-api.js'
import type { Frame, TestClient } from '../helpers/client.js'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { HOOK_SECRET, startHookServer } from '../helpers/hook-server.js'

const TIMEOUT_MS = 400

/** A join's answer: `joined` or an error about the room. */
async function tryJoin (client: TestClient, room: string): Promise<Frame> {
  const seen = client.frames.length
  client.send({ type: 'join', room })
  return await client.waitFor((f) => client.frames.indexOf(f) >= seen && ((f.type === 'joined' && f.room === room) || (f.type === 'error' && f.ref === room)))
}

for (const kind of ENGINES) {
  t.test(`${kind}: the host product's join hook admits to its private rooms`, async (t) => {
    // Who the host product lets in, and how it answers.
    const hook = await startHookServer(t, ({ user }) => {
      switch (user.id) {
        case 'ann': return { body: { allow: true, role: 'moderator' } }
        case 'tim': return { hang: true }
        case 'fay': return { status: 500, body: { allow: true } }
        case 'gus': return { raw: '{"allow": tr' }
        case 'eve': return { body: { allow: true }, delayMs: 150 }
        case 'dan': return { body: { allow: false } }
        default: return { body: { allow: true } }
      }
    })
    const cluster = await startCluster(t, kind, {
      env: { ROOM_ACCESS_URL: hook.url, ROOM_ACCESS_SECRET: HOOK_SECRET, ROOM_ACCESS_TIMEOUT_MS: TIMEOUT_MS }
    })
    const call = api.bind(null, cluster)
    const room = 'p-project-42'
    t.equal((await call('POST', '/api/rooms', { kind: 'private', id: room, title: 'Project 42', members: [{ user: 'olga', role: 'owner' }] })).status, 201)
    const olga = await cluster.connect(0, { sub: 'olga', name: 'Olga' })
    t.equal((await tryJoin(olga, room)).type, 'joined')
    const members = async (): Promise<Array<{ user: { id: string }, role: string, addedBy: string }>> =>
      ((await call('GET', `/api/rooms/${room}`)).body as { members: Array<{ user: { id: string }, role: string, addedBy: string }> }).members

    t.test('a yes: joined, on the roster with the role, in their list, a member from then on', async (t) => {
      const ann = await cluster.connect(0, { sub: 'ann', name: 'Ann' })
      t.equal((await tryJoin(ann, room)).type, 'joined')
      t.match((await members()).find((m) => m.user.id === 'ann'), { role: 'moderator', addedBy: 'access-hook' })
      t.match(await ann.waitFor((f) => f.type === 'room'), { entry: { room: { id: room, title: 'Project 42' }, role: 'moderator' } }, 'their list gains it live')
      t.match(await olga.waitFor((f) => f.type === 'member' && f.event === 'added'), { user: { id: 'ann', name: 'Ann' }, role: 'moderator', by: 'access-hook' })
      const rooms = await call('GET', '/api/users/ann/rooms')
      t.match(rooms.body, { rooms: [{ room: { id: room }, role: 'moderator' }] })
      ann.send({ type: 'send', room, text: 'hello from Ann', clientMsgId: 'ann-1' })
      t.ok(await olga.waitFor((f) => f.type === 'message' && f.text === 'hello from Ann'), 'she sends like any member')
      const history = await fetch(`${cluster.httpUrl(0)}/api/rooms/${room}/messages`, { headers: { authorization: `Bearer ${await cluster.auth.mint({ sub: 'ann' })}` } })
      t.equal(history.status, 200, 'and reads the history over HTTP')
      const elsewhere = await cluster.connect(1, { sub: 'ann', name: 'Ann' })
      t.equal((await tryJoin(elsewhere, room)).type, 'joined', 'on every instance')
      t.equal(hook.about('ann').length, 1, 'the hook was asked once: she is on the roster now')
    })

    t.test('the request is signed over its exact body', async (t) => {
      const [request] = hook.about('ann')
      const header = request?.headers[SIGNATURE_HEADER] as string
      const body = request?.body ?? ''
      const sent = JSON.parse(body) as { id: string }
      t.match(sent.id, /^[A-Za-z0-9_-]{22}$/, 'a random request id')
      t.same(sent, { id: sent.id, room, user: { id: 'ann', name: 'Ann' } })
      t.equal(await verifyAccessSignature({ header, body, secret: HOOK_SECRET }), true)
      t.equal(await verifyAccessSignature({ header, body, secret: 'another-secret-of-at-least-32-chars' }), false, 'another secret')
      t.equal(await verifyAccessSignature({ header, body: body.replace('"Ann"', '"Anna"'), secret: HOOK_SECRET }), false, 'an altered body')
      t.equal(await verifyAccessSignature({ header, body, secret: HOOK_SECRET, now: Date.now() + 6 * 60_000 }), false, 'replayed 6 minutes later')
    })

    t.test('a no, an error and a timeout answer not_found, as a room that does not exist', async (t) => {
      const absent = await tryJoin(olga, 'p-aaaaaaaaaaaaaaaaaaaaaaaa')
      for (const [user, what] of [['dan', 'no'], ['fay', 'a 500'], ['gus', 'bad JSON'], ['tim', 'no answer']] as const) {
        const client = await cluster.connect(0, { sub: user, name: user })
        const started = Date.now()
        const answer = await tryJoin(client, room)
        const ms = Date.now() - started
        t.same({ code: answer.code, message: answer.message }, { code: absent.code, message: absent.message }, `${what}: not_found`)
        t.ok(ms < TIMEOUT_MS + 500, `${what}: answered in ${ms} ms`)
        if (user === 'tim') t.ok(ms >= TIMEOUT_MS - 20, `waited for the hook, ${ms} ms`)
        t.equal(hook.about(user).length, 1)
        t.notOk((await members()).some((m) => m.user.id === user), 'not on the roster')
      }
    })

    t.test('an answer is kept: a second join within the cache time does not ask', async (t) => {
      const dan = await cluster.connect(0, { sub: 'dan', name: 'Dan' })
      t.match(await tryJoin(dan, room), { code: 'not_found' })
      t.equal(hook.about('dan').length, 1, 'the no from before was kept')
    })

    t.test('joins at once make one request', async (t) => {
      const eves = await Promise.all([0, 0, 0].map(async (i) => await cluster.connect(i, { sub: 'eve', name: 'Eve' })))
      const answers = await Promise.all(eves.map(async (eve) => await tryJoin(eve, room)))
      t.same(answers.map((a) => a.type), ['joined', 'joined', 'joined'])
      t.equal(hook.about('eve').length, 1)
      t.equal((await members()).filter((m) => m.user.id === 'eve').length, 1)
    })

    t.test('a banned user is never admitted, whatever the hook says', async (t) => {
      t.equal((await call('DELETE', `/api/rooms/${room}/members/hal?ban=true`)).status, 204)
      const hal = await cluster.connect(0, { sub: 'hal', name: 'Hal' })
      t.match(await tryJoin(hal, room), { code: 'not_found' })
      t.equal(hook.about('hal').length, 0, 'not even asked')
      // Banned while the hook is answering yes: the write that would add her sees the ban.
      hook.answer = async ({ user }) => {
        if (user.id === 'ivy') t.equal((await call('DELETE', `/api/rooms/${room}/members/ivy?ban=true`)).status, 204)
        return { body: { allow: true } }
      }
      const ivy = await cluster.connect(0, { sub: 'ivy', name: 'Ivy' })
      t.match(await tryJoin(ivy, room), { code: 'not_found' })
      t.equal(hook.about('ivy').length, 1)
      t.notOk((await members()).some((m) => ['hal', 'ivy'].includes(m.user.id)))
      t.match(await call('GET', '/api/users/ivy/rooms'), { body: { rooms: [] } }, 'nor in her list')
    })

    t.test('a removed member\'s next join asks again', async (t) => {
      let allow = false
      hook.answer = () => ({ body: { allow } })
      t.equal((await call('DELETE', `/api/rooms/${room}/members/ann`)).status, 204)
      const ann = await cluster.connect(0, { sub: 'ann', name: 'Ann' })
      t.match(await tryJoin(ann, room), { code: 'not_found' }, 'the host product says no now')
      t.equal(hook.about('ann').length, 2)
      allow = true
      const joey = await cluster.connect(0, { sub: 'joey', name: 'Joey' })
      t.equal((await tryJoin(joey, room)).type, 'joined')
      const leftAt = joey.frames.length
      t.equal((await call('DELETE', `/api/rooms/${room}/members/joey`)).status, 204)
      await joey.waitFor((f) => joey.frames.indexOf(f) >= leftAt && f.type === 'left')
      allow = false
      t.match(await tryJoin(joey, room), { code: 'not_found' }, 'the yes from before the removal is not used')
      t.equal(hook.about('joey').length, 2)
    })

    t.test('rooms that do not exist, direct rooms and HTTP history never ask', async (t) => {
      const before = hook.requests.length
      const kim = await cluster.connect(0, { sub: 'kim', name: 'Kim' })
      t.match(await tryJoin(kim, 'p-no-such-project'), { code: 'not_found' })
      const direct = await call('POST', '/api/rooms', { kind: 'direct', members: [{ user: 'olga' }, { user: 'pat' }] })
      t.match(await tryJoin(kim, (direct.body as { room: { id: string } }).room.id), { code: 'not_found' })
      const history = await fetch(`${cluster.httpUrl(0)}/api/rooms/${room}/messages`, { headers: { authorization: `Bearer ${await cluster.auth.mint({ sub: 'kim' })}` } })
      t.equal(history.status, 404)
      t.equal(hook.requests.length, before)
      t.equal((await call('GET', '/api/rooms/p-no-such-project')).status, 404, 'and no room was made')
    })

    t.test('calls are counted by outcome', async (t) => {
      const metrics = await (await fetch(`${cluster.httpUrl(0)}/metrics`)).text()
      for (const outcome of ['allow', 'deny', 'error', 'timeout']) t.match(metrics, new RegExp(`webchat_chat_access_hook_calls_total\\{outcome="${outcome}"\\} [1-9]`), outcome)
      t.match(metrics, /webchat_chat_access_hook_seconds_count [1-9]/)
    })
  })
}
