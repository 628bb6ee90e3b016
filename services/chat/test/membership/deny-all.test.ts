import t, { type Test } from 'tap'
import { ClientFrames, type ClientFrameType } from '@webchat/shared'
import type { Frame, TestClient } from '../helpers/client.js'
import { ENGINES, startCluster, type Cluster } from '../helpers/cluster.js'
import { ask, bearer } from '../helpers/rooms.js'

/**
 * The claim of issue 15, taken literally: every client frame type and every HTTP route refuses a
 * non-member, a removed member and a banned user, and a muted member's sending, on both engines and
 * across two instances. The frame table is keyed by the protocol's own list of frame types, so a
 * new frame type without a row here fails this test.
 */

type Outcome = { code: string } | 'silent' | 'absent'
/** What a user who may not be in the room gets for each frame type about it. */
const OUTSIDER: Record<ClientFrameType, Outcome | 'not_about_a_room'> = {
  join: { code: 'not_found' },
  leave: { code: 'not_joined' },
  send: { code: 'not_joined' },
  edit: { code: 'not_joined' },
  delete: { code: 'not_joined' },
  react: { code: 'not_joined' },
  typing: { code: 'not_joined' },
  read: { code: 'not_joined' },
  history: { code: 'not_found' },
  invite: { code: 'not_found' },
  remove: { code: 'not_found' },
  set_role: { code: 'not_found' },
  mute: { code: 'not_found' },
  unmute: { code: 'not_found' },
  ban: { code: 'not_found' },
  unban: { code: 'not_found' },
  update_room: { code: 'not_found' },
  leave_room: { code: 'not_found' },
  list_members: { code: 'not_found' },
  list_rooms: 'absent',
  refresh: 'not_about_a_room',
  create: 'not_about_a_room',
  direct: 'not_about_a_room'
}
/** A banned user in a public room: told so where a public room's reads answer (docs/security.md). */
const BANNED_PUBLIC: Record<ClientFrameType, Outcome | 'not_about_a_room'> = { ...OUTSIDER, join: { code: 'banned' }, history: { code: 'banned' } }
/** A muted member: reads go on; writes refused; managing is beyond a member anyway. */
const MUTED: Record<ClientFrameType, Outcome | 'allowed' | 'not_about_a_room'> = {
  ...OUTSIDER,
  join: 'allowed',
  leave: 'allowed',
  history: 'allowed',
  read: 'allowed',
  list_members: 'allowed',
  list_rooms: 'allowed',
  leave_room: 'allowed',
  send: { code: 'muted' },
  edit: { code: 'muted' },
  react: { code: 'muted' },
  // A muted member may take back their own message; this one is the owner's.
  delete: { code: 'forbidden' },
  typing: 'silent',
  invite: { code: 'forbidden' },
  remove: { code: 'forbidden' },
  set_role: { code: 'forbidden' },
  mute: { code: 'forbidden' },
  unmute: { code: 'forbidden' },
  ban: { code: 'forbidden' },
  unban: { code: 'forbidden' },
  update_room: { code: 'forbidden' }
}

let n = 0
/** A frame of `type` about `room`, with whatever else it needs (`target` for the member frames). */
function frameOf (type: ClientFrameType, room: string, messageId: string, target: string): Record<string, unknown> {
  const ref = `x${++n}`
  switch (type) {
    case 'send': return { type, room, text: 'let me in', clientMsgId: ref }
    case 'edit': return { type, room, id: messageId, text: 'taken over', clientMsgId: ref }
    case 'delete': return { type, room, id: messageId, clientMsgId: ref }
    case 'react': return { type, room, id: messageId, emoji: '👎', clientMsgId: ref }
    case 'read': return { type, room, id: messageId }
    case 'history': return { type, room, before: '99999999999999-0' }
    case 'invite': case 'remove': case 'mute': case 'unmute': case 'ban': case 'unban': return { type, ref, room, user: target }
    case 'set_role': return { type, ref, room, user: target, role: 'moderator' }
    case 'update_room': return { type, ref, room, title: 'taken over' }
    case 'leave_room': case 'list_members': return { type, ref, room }
    case 'list_rooms': return { type, ref }
    default: return { type, room }
  }
}

/** The answer to a frame: the first error about it (by ref, clientMsgId or room), or its positive answer. */
async function answerTo (client: TestClient, frame: Record<string, unknown>, wait = 2000): Promise<Frame | null> {
  const from = client.frames.length
  client.send(frame)
  const key = (frame.ref ?? frame.clientMsgId ?? frame.room) as string
  const after = (f: Frame): boolean => client.frames.indexOf(f) >= from
  return await client.waitFor((f) => after(f) && f.type !== 'member' && (f.ref === key || f.clientMsgId === key ||
    (frame.ref === undefined && f.room === frame.room && ['joined', 'left', 'history'].includes(f.type))), wait).catch(() => null)
}

async function expectDenied (t: Test, client: TestClient, who: string, room: string, table: Record<ClientFrameType, Outcome | 'allowed' | 'not_about_a_room'>, messageId: string, target: string, watcher: TestClient): Promise<void> {
  for (const type of Object.keys(ClientFrames) as ClientFrameType[]) {
    const expected = table[type]
    if (expected === 'not_about_a_room' || expected === 'allowed') continue
    const frame = frameOf(type, room, messageId, target)
    if (expected === 'absent') {
      const answer = await answerTo(client, frame)
      t.notOk((answer?.rooms as Array<{ room: { id: string } }>).some((e) => e.room.id === room), `${who}: ${type} does not list the room`)
    } else if (expected === 'silent') {
      const from = watcher.frames.length
      client.send(frame)
      await new Promise((resolve) => setTimeout(resolve, 400))
      t.notOk(watcher.frames.slice(from).some((f) => f.type === type && f.room === room), `${who}: ${type} reaches nobody`)
    } else {
      t.match(await answerTo(client, frame), { type: 'error', code: expected.code }, `${who}: ${type} is ${expected.code}`)
    }
  }
}

/** Every documented HTTP route, from the OpenAPI document, with its security. */
async function routes (cluster: Cluster): Promise<Array<{ method: string, path: string, security: string }>> {
  const doc = await (await fetch(`${cluster.httpUrl(0)}/api/docs/json`)).json() as { paths: Record<string, Record<string, { security?: Array<Record<string, unknown>> }>> }
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, security: Object.keys(op.security?.[0] ?? {})[0] ?? 'none' })))
}

for (const kind of ENGINES) {
  t.test(`${kind}: every frame and route refuses those who may not, across instances`, async (t) => {
    const cluster = await startCluster(t, kind)
    const last = cluster.apps.length - 1
    const ada = await cluster.connect(0, { sub: 'ada', name: 'Ada' })
    const room = ((await ask(ada, { type: 'create', title: 'Secret' })).room as { id: string }).id
    const lobby = `lobby-${kind}`
    await cluster.join(ada, room)
    await cluster.join(ada, lobby)
    // rex will be removed, ben banned, mo muted: each joined on the other instance beforehand.
    const users: Record<string, TestClient> = {}
    for (const id of ['rex', 'ben', 'mo', 'kit']) {
      t.equal((await ask(ada, { type: 'invite', room, user: id })).type, 'done', `${id} invited`)
      users[id] = await cluster.connect(last, { sub: id, name: id })
      await cluster.join(users[id]!, room)
      await cluster.join(users[id]!, lobby)
    }
    const messageId = await cluster.post(room, 'the plan')
    const lobbyMessageId = await cluster.post(lobby, 'welcome')
    await users.mo!.waitFor((f) => f.type === 'message' && f.text === 'the plan')
    const marks: Record<string, number> = {}
    for (const [id, action] of [['rex', 'remove'], ['ben', 'ban'], ['mo', 'mute']] as const) {
      marks[id] = users[id]!.frames.length
      t.equal((await ask(ada, { type: action, room, user: id })).type, 'done', `${id}: ${action}`)
      t.equal((await ask(ada, { type: action === 'remove' ? 'ban' : action, room: lobby, user: id })).type, 'done', `${id}: lobby`)
    }
    for (const id of ['rex', 'ben']) {
      for (const r of [room, lobby]) await users[id]!.waitFor((f) => f.type === 'left' && f.room === r, 1000, `${id} left ${r}`)
    }
    await users.mo!.waitFor((f) => f.type === 'room' && (f.entry as { room: { id: string }, mutedUntil?: string }).room.id === lobby && (f.entry as { mutedUntil?: string }).mutedUntil !== undefined)
    const eve = await cluster.connect(last, { sub: 'eve', name: 'Eve' })
    const fresh = { rex: await cluster.connect(0, { sub: 'rex' }), ben: await cluster.connect(0, { sub: 'ben' }) }

    t.test('the private room: not_found for a non-member, a removed member and a banned user, old sockets and new', async (t) => {
      for (const [who, client] of [['eve', eve], ['rex (joined before)', users.rex!], ['rex (new socket)', fresh.rex], ['ben (joined before)', users.ben!], ['ben (new socket)', fresh.ben]] as const) {
        await expectDenied(t, client, who, room, OUTSIDER, messageId, 'kit', ada)
      }
    })
    t.test('the public room: a banned user is refused everything, on old sockets and new', async (t) => {
      for (const [who, client] of [['ben (joined before)', users.ben!], ['ben (new socket)', fresh.ben], ['rex (joined before)', users.rex!]] as const) {
        await expectDenied(t, client, who, lobby, BANNED_PUBLIC, lobbyMessageId, 'kit', ada)
      }
    })
    t.test('a muted member reads but cannot send or type, nor manage', async (t) => {
      for (const [r, id] of [[room, messageId], [lobby, lobbyMessageId]] as const) await expectDenied(t, users.mo!, 'mo', r, MUTED, id, 'kit', ada)
    })
    t.test('HTTP: every user route answers as for no room; every backend route wants a service key', async (t) => {
      const all = await routes(cluster)
      t.ok(all.length >= 9, `${all.length} routes documented`)
      for (const { method, path, security } of all) {
        const at = (r: string): string => path.replace(/[:{]room\}?/, r).replace(/[:{](user|id)\}?/, 'kit')
        if (security === 'chatToken' && !path.includes('room}')) {
          // The user's own list (GET /api/me/rooms): the room is not in it.
          for (const who of ['eve', 'rex', 'ben']) {
            const response = await fetch(`${cluster.httpUrl(last)}${path}`, { method, headers: await bearer(cluster, who) })
            const { rooms } = await response.json() as { rooms: Array<{ room: { id: string } }> }
            t.notOk(rooms.some((e) => e.room.id === room), `${who}: ${method} ${path} does not list the private room`)
            t.equal(rooms.some((e) => e.room.id === lobby), false, `${who}: nor the public room they were banned from`)
          }
        } else if (security === 'chatToken') {
          for (const who of ['eve', 'rex', 'ben']) {
            const response = await fetch(`${cluster.httpUrl(last)}${at(room)}`, { method, headers: await bearer(cluster, who) })
            t.equal(response.status, 404, `${who}: ${method} ${path} on the private room`)
          }
          const banned = await fetch(`${cluster.httpUrl(last)}${at(lobby)}`, { method, headers: await bearer(cluster, 'ben') })
          t.equal(banned.status, 403, `ben: ${method} ${path} on the public room`)
        } else if (security === 'none') {
          t.notMatch(path, /room|user/, `${method} ${path}: open to all, and about no room or user`)
        } else {
          t.equal(security, 'serviceKey', `${method} ${path} is a backend route`)
          for (const headers of [{}, await bearer(cluster, 'ada')]) {
            const response = await fetch(`${cluster.httpUrl(last)}${at(room)}`, { method, headers: { ...headers, 'content-type': 'application/json' }, body: method === 'GET' || method === 'DELETE' ? undefined : '{}' })
            t.equal(response.status, 401, `${method} ${path} without a service key (even the owner's chat token)`)
          }
        }
      }
    })
    t.test('nothing from the room reaches those out of it: no messages, presence, typing, reads or roster events', async (t) => {
      ada.send({ type: 'send', room, text: 'after', clientMsgId: 'ada-after' })
      ada.send({ type: 'typing', room })
      ada.send({ type: 'read', room, id: messageId })
      t.equal((await ask(ada, { type: 'mute', room, user: 'kit', minutes: 1 })).type, 'done')
      users.kit!.send({ type: 'leave', room })
      await cluster.join(users.kit!, room)
      await users.kit!.waitFor((f) => f.type === 'message' && f.text === 'after')
      await new Promise((resolve) => setTimeout(resolve, 300))
      // Their own probes' errors aside (above), nothing that names the room.
      const named = (f: Frame): boolean => f.type !== 'error' && JSON.stringify(f).includes(room)
      t.same(eve.frames.filter(named), [], 'eve heard nothing of it')
      for (const id of ['rex', 'ben'] as const) {
        const after = users[id]!.frames.slice(marks[id]).filter(named).map((f) => `${f.type}${f.type === 'member' ? `:${String(f.event)}` : ''}`)
        t.ok(after.every((f) => ['member:removed', 'member:banned', 'left', 'room_removed'].includes(f)), `${id} heard only of their own removal: ${after.join(',')}`)
        t.same(fresh[id].frames.filter(named), [], `${id}'s new socket heard nothing`)
      }
    })
  })
}
