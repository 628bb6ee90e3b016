import t from 'tap'
import type { ChatMessage } from '@webchat/shared'
import { createAuthClient } from '../src/auth.js'
import { createConnection } from '../src/connection.js'
import { connect, next, signIn } from './helpers/live.js'
import { startStack } from './helpers/stack.js'

/**
 * The client against the real services: one auth instance, two chat instances on one real Redis,
 * a real SMTP sink. Nothing is faked.
 */

t.test('auth API errors reach the caller with their details', async (t) => {
  const stack = await startStack(t)
  const auth = createAuthClient({ baseUrl: stack.auths[0]!.url })
  t.equal(await auth.me(), null)
  await t.rejects(auth.requestCode('not-an-email'), { code: 'invalid_email', status: 400 })
  const { resendAfter } = await auth.requestCode('ana@example.com')
  t.ok(resendAfter > 0)
  await t.rejects(auth.requestCode('ana@example.com'), { code: 'rate_limited', status: 429 })
  const code = await stack.sink.codeFor('ana@example.com')
  const wrong = code === '00000000' ? '11111111' : '00000000'
  const stranger = createAuthClient({ baseUrl: stack.auths[0]!.url })
  const refused = await stranger.verify('ana@example.com', code).catch((e: unknown) => e)
  t.match(refused, { code: 'invalid_code', status: 401 }, 'another client, even with the right code: the wrong-code answer')
  t.equal((refused as { attemptsLeft?: unknown }).attemptsLeft, undefined, 'and no count of anyone\'s tries')
  const err = await auth.verify('ana@example.com', wrong).catch((e: unknown) => e)
  t.match(err, { code: 'invalid_code', status: 401 })
  t.type((err as { attemptsLeft?: unknown }).attemptsLeft, 'number')
  const user = await auth.verify('ana@example.com', code)
  t.equal(user.email, 'ana@example.com')
  t.same(await auth.me(), user)
  t.equal((await auth.rename('Ana')).name, 'Ana')
  t.match(await auth.rename('   ').catch((e: unknown) => e), { name: 'WebchatError', status: 400 })
  const token = await auth.token()
  t.match(token, { token: /^[\w-]+\.[\w-]+\.[\w-]+$/, expiresAt: /Z$/ })
  t.match(await auth.config(), { chatUrl: stack.chats[0]!.url })
  await auth.logout()
  t.equal(await auth.me(), null)
  await t.rejects(auth.token(), { code: 'unauthorized', status: 401 })
})

t.test('two users on two chat instances: messages, presence, typing, read markers, a restart and a logout', async (t) => {
  const stack = await startStack(t, { chats: 2 })
  const anaAuth = await signIn(stack, 'ana@example.com', 'Ana')
  const benAuth = await signIn(stack, 'ben@example.com', 'Ben')
  const ana = connect(t, stack, anaAuth, 0)
  const ben = connect(t, stack, benAuth, 1)

  const anaJoined = await ana.join('lobby')
  t.equal(anaJoined.room, 'lobby')
  const benJoinSeen = next(ana, 'presence', (p) => p.event === 'join' && p.user.name === 'Ben')
  const benJoined = await ben.join('lobby')
  t.ok(benJoined.members.some((m) => m.name === 'Ana'), 'Ben sees Ana in the room')
  await benJoinSeen

  // Messages both ways, across instances, each acknowledged with the id the other side sees.
  const toBen = next(ben, 'message', (m) => m.text === 'hello Ben')
  const idA = await ana.send('lobby', 'hello Ben')
  t.equal((await toBen).id, idA)
  // Ben reads Ana's message before he answers: his own answer would read the room up to it.
  const read = next(ana, 'read', (e) => e.user.name === 'Ben')
  ben.read('lobby', idA)
  t.equal((await read).id, idA)
  const toAna = next(ana, 'message', (m) => m.text === 'hi Ana')
  const idB = await ben.send('lobby', 'hi Ana')
  t.equal((await toAna).id, idB)

  const typing = next(ana, 'typing', (e) => e.user.name === 'Ben')
  t.equal(ben.typing('lobby'), true)
  t.equal((await typing).room, 'lobby')

  // Ben's instance restarts: he gets 1012, cannot reconnect while it is down, and Ana goes on.
  const benStates: string[] = []
  ben.on('state', (s) => benStates.push(s.state))
  await stack.chats[1]!.stop()
  await next(ben, 'state', (s) => s.state === 'reconnecting')
  const missed: string[] = []
  for (const text of ['while you were away 1', 'while you were away 2', 'while you were away 3']) missed.push(await ana.send('lobby', text))
  const queued = ben.send('lobby', 'sent while offline')
  t.same(ben.pending().map((p) => p.text), ['sent while offline'])

  const seenByBen: ChatMessage[] = []
  ben.on('message', (m) => seenByBen.push(m))
  ben.on('joined', (j) => seenByBen.push(...j.messages))
  const rejoined = next(ben, 'joined', (j) => j.room === 'lobby', 20_000)
  await stack.chats[1]!.start()
  const frame = await rejoined
  t.equal(frame.recovered, true, 'the server filled the gap from since/epoch')
  const idQueued = await queued
  const offlineSeen = next(ana, 'message', (m) => m.id === idQueued)
  await offlineSeen
  const texts = seenByBen.map((m) => m.text)
  for (const text of ['while you were away 1', 'while you were away 2', 'while you were away 3']) {
    t.equal(texts.filter((x) => x === text).length, 1, `"${text}" shown once`)
  }
  t.notOk(texts.includes('hello Ben'), 'nothing already seen comes again')
  t.ok(benStates.includes('open'))

  // Logging out ends the session: chat closes with 4001 and the client stops for good.
  const ended = next(ben, 'state', (s) => s.state === 'ended', 10_000)
  await benAuth.logout()
  t.same(await ended, { state: 'ended', reason: 'session_ended' })
})

t.test('a private room: invited, muted, removed on another instance, and not rejoined after a reconnect', async (t) => {
  const stack = await startStack(t, { chats: 2 })
  const anaAuth = await signIn(stack, 'ana@example.com', 'Ana')
  const benAuth = await signIn(stack, 'ben@example.com', 'Ben')
  // Ben's sockets record what the client writes, to see what it rejoins.
  const benWrote: Array<{ type: string, room?: string }> = []
  const Base = stack.socketFrom(0)
  const Recording = class extends Base {
    override send (data: string): void {
      benWrote.push(JSON.parse(data) as { type: string, room?: string })
      super.send(data)
    }
  }
  const ana = connect(t, stack, anaAuth, 0)
  const ben = connect(t, stack, benAuth, 1, ['lobby'], Recording)
  const benList = next(ben, 'rooms')
  const benId = (await next(ben, 'ready')).user.id
  t.same((await benList).rooms, [], 'the list after ready: no private rooms yet')

  const room = await ana.createRoom({ title: 'Launch', topic: 'Monday' })
  t.match(room, { kind: 'private', title: 'Launch', topic: 'Monday', archived: false })
  await ana.join(room.id)
  const invited = next(ben, 'room', (e) => e.entry.room.id === room.id)
  const added = next(ana, 'member', (m) => m.event === 'added' && m.user.id === benId)
  await ana.invite(room.id, benId)
  t.match((await invited).entry, { room: { id: room.id, title: 'Launch' }, role: 'member' }, 'Ben\'s list gains it live, on the other instance')
  await added
  t.equal((await ben.join(room.id)).room, room.id)
  t.same((await ana.listMembers(room.id)).map((m) => [m.user.id, m.role]).sort(), [[ana.user!.id, 'owner'], [benId, 'member']].sort())
  t.same((await ben.listRooms()).map((e) => [e.room.id, e.room.kind, e.role]).sort(), [['lobby', 'public', 'owner'], [room.id, 'private', 'member']].sort(),
    'the public room he joined first (and so owns) is in his list too')
  await t.rejects(ben.invite(room.id, ana.user!.id), { name: 'WebchatError', code: 'forbidden' }, 'a member may not manage')

  const muted = next(ben, 'room', (e) => e.entry.room.id === room.id && e.entry.mutedUntil !== undefined)
  await ana.mute(room.id, benId, 10)
  await muted
  await t.rejects(ben.send(room.id, 'let me speak'), { code: 'muted' })
  t.same(ben.pending(), [], 'a muted send is not retried')

  const left = next(ben, 'left', (f) => f.room === room.id)
  const removed = next(ben, 'room_removed', (f) => f.room === room.id)
  await ana.remove(room.id, benId)
  t.same(await left, { type: 'left', room: room.id, reason: 'removed' })
  t.equal((await removed).reason, 'removed')
  t.same(ben.rooms(), ['lobby'], 'dropped from the rooms to rejoin')

  // Ben's instance restarts: 1012, and he reconnects at once to it.
  const wroteBefore = benWrote.length
  const rejoined = next(ben, 'joined', (j) => j.room === 'lobby', 20_000)
  await stack.chats[1]!.stop()
  await stack.chats[1]!.start()
  await rejoined
  const rejoins = benWrote.slice(wroteBefore).filter((f) => f.type === 'join').map((f) => f.room)
  t.same(rejoins, ['lobby'], 'the room he was removed from is not joined again')
  await t.rejects(ben.join(room.id), { code: 'not_found' }, 'and he cannot get back in')
})

t.test('the token is refreshed in-band before it expires', async (t) => {
  const stack = await startStack(t, { authEnv: { TOKEN_TTL: '4' } })
  const auth = await signIn(stack, 'cy@example.com', 'Cy')
  const conn = createConnection({
    url: stack.chats[0]!.url,
    getToken: async () => await auth.token(),
    WebSocket: stack.socketFrom(0),
    refreshLeadMs: 2000
  })
  t.teardown(() => conn.close())
  await next(conn, 'ready')
  const refreshed = await next(conn, 'refreshed', () => true, 8000)
  t.ok(Date.parse(refreshed.expiresAt) > Date.now(), 'a later expiry')
  await next(conn, 'refreshed', () => true, 8000)
  t.equal(conn.state.state, 'open', 'still the same socket')
})
