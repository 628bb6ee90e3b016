import t from 'tap'
import type { TestClient, Frame } from '../helpers/client.js'
import { ENGINES, startCluster, type Cluster } from '../helpers/cluster.js'

let refs = 0
/** Sends a request about rooms and waits for its answer: `done` (or a list) or `error` with its ref. */
async function ask (client: TestClient, frame: Record<string, unknown>): Promise<Frame> {
  const ref = `r${++refs}`
  client.send({ ...frame, ref })
  return await client.waitFor((f) => f.ref === ref && f.type !== 'member', 5000, `answer to ${String(frame.type)}`)
}

/** A join's answer: `joined` or an error about the room. */
async function tryJoin (client: TestClient, room: string): Promise<Frame> {
  const seen = client.frames.length
  client.send({ type: 'join', room })
  return await client.waitFor((f) => client.frames.indexOf(f) >= seen && ((f.type === 'joined' && f.room === room) || (f.type === 'error' && f.ref === room)))
}

const bearer = async (cluster: Cluster, sub: string): Promise<Record<string, string>> => ({ authorization: `Bearer ${await cluster.auth.mint({ sub })}` })

for (const kind of ENGINES) {
  t.test(`${kind}: private rooms are for their members only`, async (t) => {
    const cluster = await startCluster(t, kind)
    const last = cluster.apps.length - 1
    const owner = await cluster.connect(0, { sub: 'ada', name: 'Ada' })
    const made = await ask(owner, { type: 'create', title: 'Project X', topic: 'launch' })
    t.equal(made.type, 'done')
    const room = (made.room as { id: string }).id
    t.match(made.room, { kind: 'private', title: 'Project X', topic: 'launch', createdBy: 'ada', archived: false })
    t.match(room, /^p-[a-z2-7]{24}$/)
    t.match(await owner.waitFor((f) => f.type === 'room'), { entry: { room: { id: room }, role: 'owner' } }, 'the owner\'s list gains it live')

    const outsider = await cluster.connect(last, { sub: 'eve', name: 'Eve' })
    t.test('an outsider gets the answer a room that does not exist gets, everywhere', async (t) => {
      const absent = await tryJoin(outsider, 'p-aaaaaaaaaaaaaaaaaaaaaaaa')
      const hidden = await tryJoin(outsider, room)
      t.match(hidden, { type: 'error', code: 'not_found' })
      t.same({ code: hidden.code, message: hidden.message }, { code: absent.code, message: absent.message }, 'the same code and message')
      outsider.send({ type: 'history', room, before: '99999999999999-0' })
      t.match(await outsider.waitFor((f) => f.type === 'error' && f.ref === room && f !== hidden), { code: 'not_found' }, 'history over the socket')
      for (const path of ['messages', 'presence']) {
        const response = await fetch(`${cluster.httpUrl(0)}/api/rooms/${room}/${path}`, { headers: await bearer(cluster, 'eve') })
        t.equal(response.status, 404, `GET /api/rooms/:room/${path}`)
        t.match(await response.json(), { error: 'not_found' })
      }
      for (const frame of [{ type: 'invite', room, user: 'eve' }, { type: 'list_members', room }, { type: 'update_room', room, title: 'mine' }, { type: 'leave_room', room }]) {
        t.match(await ask(outsider, frame), { type: 'error', code: 'not_found' }, frame.type)
      }
      outsider.send({ type: 'send', room, text: 'hi', clientMsgId: 'eve-1' })
      t.match(await outsider.waitFor((f) => f.ref === 'eve-1'), { code: 'not_joined' })
      // A send right behind a join, while the roster is being asked: not in yet.
      outsider.send({ type: 'join', room })
      outsider.send({ type: 'send', room, text: 'sneaking in', clientMsgId: 'eve-2' })
      outsider.send({ type: 'typing', room })
      t.match(await outsider.waitFor((f) => f.ref === 'eve-2'), { code: 'not_joined' })
      const page = await fetch(`${cluster.httpUrl(0)}/api/rooms/${room}/messages`, { headers: await bearer(cluster, 'ada') })
      t.same((await page.json() as { messages: unknown[] }).messages, [], 'nothing was stored')
    })

    const bob = await cluster.connect(last, { sub: 'bob', name: 'Bob' })
    const cy = await cluster.connect(0, { sub: 'cy', name: 'Cy' })
    const cyElsewhere = await cluster.connect(last, { sub: 'cy', name: 'Cy' })
    t.test('members are invited, listed with roles, and see each other live', async (t) => {
      t.equal((await tryJoin(owner, room)).type, 'joined')
      t.equal((await ask(owner, { type: 'invite', room, user: 'bob' })).type, 'done')
      t.match(await bob.waitFor((f) => f.type === 'room'), { entry: { room: { id: room, title: 'Project X' }, role: 'member' } }, 'on the other instance, live')
      t.match(await owner.waitFor((f) => f.type === 'member' && f.event === 'added'), { user: { id: 'bob' }, role: 'member', by: 'ada' })
      t.equal((await ask(owner, { type: 'invite', room, user: 'cy' })).type, 'done')
      for (const c of [bob, cy, cyElsewhere]) t.equal((await tryJoin(c, room)).type, 'joined')
      const members = await ask(bob, { type: 'list_members', room })
      t.same((members.members as Array<{ user: { id: string }, role: string }>).map((m) => [m.user.id, m.role]).sort(), [['ada', 'owner'], ['bob', 'member'], ['cy', 'member']])
      const list = await ask(bob, { type: 'list_rooms' })
      t.match(list.rooms, [{ room: { id: room, kind: 'private' }, role: 'member' }])
    })

    t.test('members may not manage; moderators manage members only; only the owner makes moderators', async (t) => {
      for (const frame of [{ type: 'invite', room, user: 'eve' }, { type: 'remove', room, user: 'cy' }, { type: 'mute', room, user: 'cy' }, { type: 'ban', room, user: 'cy' }, { type: 'set_role', room, user: 'cy', role: 'moderator' }, { type: 'update_room', room, topic: 'x' }]) {
        t.match(await ask(bob, frame), { type: 'error', code: 'forbidden' }, `a member: ${frame.type}`)
      }
      t.equal((await ask(owner, { type: 'set_role', room, user: 'bob', role: 'moderator' })).type, 'done')
      t.match(await bob.waitFor((f) => f.type === 'room' && (f.entry as { role: string }).role === 'moderator'), {}, 'bob\'s own list says moderator')
      t.match(await ask(bob, { type: 'remove', room, user: 'ada' }), { code: 'forbidden' }, 'a moderator cannot remove the owner')
      t.match(await ask(bob, { type: 'set_role', room, user: 'cy', role: 'moderator' }), { code: 'forbidden' }, 'nor make moderators')
      t.equal((await ask(bob, { type: 'update_room', room, topic: 'launch on Monday' })).type, 'done')
      t.match(await cy.waitFor((f) => f.type === 'room_updated'), { room, details: { topic: 'launch on Monday' } }, 'everyone in the room sees it')
    })

    t.test('a muted member reads but cannot send, until unmuted', async (t) => {
      t.equal((await ask(bob, { type: 'mute', room, user: 'cy', minutes: 30 })).type, 'done')
      await cy.waitFor((f) => f.type === 'room' && (f.entry as { mutedUntil?: string }).mutedUntil !== undefined)
      await cyElsewhere.waitFor((f) => f.type === 'room' && (f.entry as { mutedUntil?: string }).mutedUntil !== undefined)
      for (const [i, c] of [cy, cyElsewhere].entries()) {
        c.send({ type: 'send', room, text: 'let me speak', clientMsgId: `cy-muted-${i}` })
        t.match(await c.waitFor((f) => f.ref === `cy-muted-${i}`), { type: 'error', code: 'muted' }, `refused on instance ${i}`)
      }
      owner.send({ type: 'send', room, text: 'still reading?', clientMsgId: 'ada-1' })
      t.ok(await cy.waitFor((f) => f.type === 'message' && f.text === 'still reading?'), 'a muted member still reads')
      const sinceUnmute = cy.frames.length
      t.equal((await ask(owner, { type: 'unmute', room, user: 'cy' })).type, 'done')
      await cy.waitFor((f) => f.type === 'member' && f.event === 'unmuted')
      await cy.waitFor((f) => cy.frames.indexOf(f) >= sinceUnmute && f.type === 'room' && (f.entry as { mutedUntil?: string }).mutedUntil === undefined)
      cy.send({ type: 'send', room, text: 'thanks', clientMsgId: 'cy-free' })
      t.match(await cy.waitFor((f) => f.type !== 'message' && (f.ref === 'cy-free' || f.clientMsgId === 'cy-free')), { type: 'ack' })
    })

    t.test('removal closes the room on every socket of that user within 1 s, and only that room', async (t) => {
      const other = await ask(cy, { type: 'create', title: 'Cy\'s own' })
      const cyRoom = (other.room as { id: string }).id
      await tryJoin(cy, cyRoom)
      const started = Date.now()
      t.equal((await ask(bob, { type: 'remove', room, user: 'cy' })).type, 'done')
      const lefts = await Promise.all([cy, cyElsewhere].map(async (c) => await c.waitFor((f) => f.type === 'left' && f.room === room, 1000)))
      t.ok(Date.now() - started < 1000, `left on both instances in ${Date.now() - started} ms`)
      t.match(lefts, [{ reason: 'removed' }, { reason: 'removed' }])
      await cy.waitFor((f) => f.type === 'room_removed' && f.room === room)
      const after = cy.frames.length
      owner.send({ type: 'send', room, text: 'after cy left', clientMsgId: 'ada-2' })
      await bob.waitFor((f) => f.type === 'message' && f.text === 'after cy left')
      await new Promise((resolve) => setTimeout(resolve, 200))
      t.notOk(cy.frames.slice(after).some((f) => f.room === room && f.type !== 'room_removed'), 'nothing more from the room')
      t.match(await tryJoin(cy, room), { code: 'not_found' }, 'and no way back in')
      cy.send({ type: 'send', room: cyRoom, text: 'my room still works', clientMsgId: 'cy-own' })
      t.match(await cy.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'cy-own'), {}, 'their other rooms are untouched')
      const list = await ask(cy, { type: 'list_rooms' })
      t.same((list.rooms as Array<{ room: { id: string } }>).map((e) => e.room.id), [cyRoom])
    })

    t.test('a user banned before ever being in the room is not told of it', async (t) => {
      const stranger = await cluster.connect(last, { sub: 'stranger' })
      t.equal((await ask(owner, { type: 'ban', room, user: 'stranger' })).type, 'done')
      t.match(await ask(owner, { type: 'invite', room, user: 'stranger' }), { code: 'banned' })
      await new Promise((resolve) => setTimeout(resolve, 300))
      t.notOk(stranger.frames.some((f) => JSON.stringify(f).includes(room)), 'no frame of theirs names the room')
    })

    t.test('a banned user cannot be invited back until unbanned', async (t) => {
      t.equal((await ask(owner, { type: 'ban', room, user: 'cy' })).type, 'done')
      t.match(await ask(owner, { type: 'invite', room, user: 'cy' }), { code: 'banned' })
      t.equal((await ask(owner, { type: 'unban', room, user: 'cy' })).type, 'done')
      t.equal((await ask(owner, { type: 'invite', room, user: 'cy' })).type, 'done')
    })

    t.test('ownership is handed over, never lost; the owner leaves only after', async (t) => {
      t.match(await ask(owner, { type: 'leave_room', room }), { code: 'forbidden' })
      t.equal((await ask(owner, { type: 'set_role', room, user: 'bob', role: 'owner' })).type, 'done')
      const members = await ask(owner, { type: 'list_members', room })
      t.same((members.members as Array<{ user: { id: string }, role: string }>).map((m) => [m.user.id, m.role]).sort(), [['ada', 'moderator'], ['bob', 'owner'], ['cy', 'member']])
      t.equal((await ask(owner, { type: 'leave_room', room })).type, 'done')
      t.match(await owner.waitFor((f) => f.type === 'left' && f.room === room), { reason: 'left' })
      t.match(await tryJoin(owner, room), { code: 'not_found' })
    })
  })

  t.test(`${kind}: direct rooms`, async (t) => {
    const cluster = await startCluster(t, kind)
    const ada = await cluster.connect(0, { sub: 'ada', name: 'Ada' })
    const bob = await cluster.connect(cluster.apps.length - 1, { sub: 'bob', name: 'Bob' })
    const first = await ask(ada, { type: 'direct', user: 'bob' })
    const second = await ask(bob, { type: 'direct', user: 'ada' })
    t.equal((first.room as { id: string }).id, (second.room as { id: string }).id, 'the same room whoever starts it')
    const room = (first.room as { id: string }).id
    t.match(await bob.waitFor((f) => f.type === 'room'), { entry: { room: { id: room, kind: 'direct' }, peer: { id: 'ada' } } })
    t.match(await ask(ada, { type: 'invite', room, user: 'cy' }), { code: 'forbidden' }, 'nobody is added to a direct room')
    t.match(await ask(ada, { type: 'direct', user: 'ada' }), { code: 'bad_request' })
    await tryJoin(ada, room)
    await tryJoin(bob, room)
    ada.send({ type: 'send', room, text: 'hello Bob', clientMsgId: 'd1' })
    await bob.waitFor((f) => f.type === 'message' && f.text === 'hello Bob')
    t.equal((await ask(bob, { type: 'leave_room', room })).type, 'done')
    await new Promise((resolve) => setTimeout(resolve, 200))
    t.notOk(ada.frames.some((f) => f.type === 'member' && f.event === 'removed'), 'the other person is not told that Bob was removed: he only hid it')
    const bobList = await ask(bob, { type: 'list_rooms' })
    t.same(bobList.rooms, [], 'gone from the leaver\'s list')
    const adaList = await ask(ada, { type: 'list_rooms' })
    t.match(adaList.rooms, [{ room: { id: room }, peer: { id: 'bob', name: 'Bob' } }], 'the other keeps it')
    const again = await ask(bob, { type: 'direct', user: 'ada' })
    t.equal((again.room as { id: string }).id, room, 'starting it again brings it back')
    const joined = await tryJoin(bob, room)
    t.match(joined.messages, [{ text: 'hello Bob' }], 'with its history')
    const outsider = await cluster.connect(0, { sub: 'eve' })
    t.match(await tryJoin(outsider, room), { code: 'not_found' })
  })
}
