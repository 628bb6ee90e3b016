import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { account, total } from '../src/accounting.js'
import { openCrowd } from '../src/crowd.js'
import { report } from '../src/figures.js'
import { eventually, http } from '../src/http.js'
import { connectRaw } from '../src/raw-client.js'
import { readRoomLog } from '../src/room-log.js'
import { startStack } from '../src/stack.js'
import { startTraffic } from '../src/traffic.js'

const ROOM = 'kill'

t.test('SIGKILL of one chat instance mid-chat', async (t) => {
  const stack = await startStack(t)
  const [a, b] = stack.chats
  const clients = await openCrowd(t, stack, { size: 4, rooms: [ROOM], label: 'k' })
  const onB = clients.filter((c) => c.url() === b!.wsUrl)
  t.equal(onB.length, 2, 'two clients start on chat-b')

  // A user on chat-b whose device goes away with it: a plain socket that will not come back.
  const ghostAuth = await stack.signIn('ghost@example.com', 'Ghost')
  const ghostId = (await ghostAuth.me())!.id
  const ghost = await connectRaw(b!.wsUrl, { token: await stack.token(ghostAuth) })
  t.teardown(() => { ghost.close() })
  ghost.ws.send(JSON.stringify({ type: 'join', room: ROOM }))
  await ghost.waitFor((f) => f.type === 'joined')
  const presence = async (): Promise<string[]> => {
    const answer = await http(`${a!.url}/api/rooms/${ROOM}/presence`, { headers: { authorization: `Bearer ${reader}` } })
    return (answer.json as { members: Array<{ id: string }> }).members.map((m) => m.id)
  }
  const reader = await stack.token(ghostAuth)
  t.ok((await presence()).includes(ghostId), 'the ghost is present')

  const traffic = startTraffic({ clients, room: ROOM, rate: 5 })
  t.teardown(() => { traffic.stop() })
  await sleep(3000)

  const killedAt = Date.now()
  b!.proc.signal('SIGKILL')
  const exit = await b!.proc.exited
  t.equal(exit.signal, 'SIGKILL', 'chat-b killed')

  const reconnectMs = await Promise.all(onB.map(async (client) => {
    await eventually(() => client.readies.some((r) => r.at > killedAt), 25_000, `${client.name} back`)
    const back = client.readies.find((r) => r.at > killedAt)!
    t.equal(back.url, a!.wsUrl, `${client.name} reconnected to chat-a`)
    return back.at - killedAt
  }))
  await sleep(3000)
  traffic.stop()
  await traffic.settled(30_000)

  // A client that lost its acks with the instance sends again with the same clientMsgIds: the
  // other instance answers with the ids the first copies got, and stores nothing new.
  const before = traffic.records.filter((r) => r.sentAt < killedAt && r.id !== undefined && onB.some((c) => c.name === r.client)).slice(-3)
  const again = await Promise.all(before.map(async (r) => await onB.find((c) => c.name === r.client)!.conn.send(ROOM, 'again', { clientMsgId: r.clientMsgId })))
  t.same(again, before.map((r) => r.id), 'resent clientMsgIds acked with their first ids')

  const token = await stack.token(ghostAuth)
  const caughtUp = await eventually(async () => {
    const log = await readRoomLog(a!.url, token, ROOM)
    return total(account(traffic.records, clients, ROOM, log).lost) === 0
  }, 10_000, 'every client shows every acknowledged message').catch(() => -1)
  const log = await readRoomLog(a!.url, token, ROOM)
  const result = account(traffic.records, clients, ROOM, log)
  // Sends of chat-b's clients made after the kill and before they were back: queued, then sent.
  const queued = traffic.records.filter((r) => onB.some((c) => c.name === r.client) && r.sentAt >= killedAt &&
    r.sentAt < (onB.find((c) => c.name === r.client)!.readies.find((x) => x.at > killedAt)?.at ?? Infinity))

  t.ok(Math.max(...reconnectMs) <= 20_000, `every client of chat-b reconnected to chat-a within 20 s (${reconnectMs.join(', ')} ms)`)
  t.ok(caughtUp >= 0, 'caught up')
  t.ok(result.acked > 100, `${result.acked} messages acknowledged`)
  t.same(result.lost, Object.fromEntries(clients.map((c) => [c.name, []])), '0 acknowledged messages lost')
  t.same(result.missingFromLog, [], 'every acknowledged message is in the log')
  t.same(result.shownTwice, Object.fromEntries(clients.map((c) => [c.name, []])), '0 shown twice')
  t.same(result.storedTwice, [], 'retried sends stored once')
  t.ok(queued.length > 0 && queued.every((r) => r.id !== undefined), `${queued.length} sends made while disconnected were stored`)
  t.equal(traffic.records.filter((r) => r.failed !== undefined).length, 0, 'no send failed')
  t.equal(stack.auth.proc.exit, undefined, 'auth unaffected')
  t.equal(a!.proc.exit, undefined, 'chat-a unaffected')

  // The dead instance's presence entries expire (TTL 45 s, swept every 10 s by chat-a).
  const watcher = clients.find((c) => c.url() === a!.wsUrl)!
  let leaveAt: number | undefined
  watcher.conn.on('presence', (p) => { if (p.event === 'leave' && p.user.id === ghostId) leaveAt ??= Date.now() })
  const goneMs = await eventually(async () => !(await presence()).includes(ghostId), 65_000, 'the ghost left the presence list', 500)
    .then(() => Date.now() - killedAt)
  await eventually(() => leaveAt !== undefined, 65_000 - (Date.now() - killedAt), 'presence leave announced', 200)
  const leaveMs = leaveAt! - killedAt
  t.ok(goneMs <= 60_000, `gone from the presence list ${goneMs} ms after the kill`)
  t.ok(leaveMs <= 60_000, `presence leave announced ${leaveMs} ms after the kill`)
  const present = await presence()
  t.same(present.sort(), clients.map((c) => c.userId()!).sort(), 'the reconnected users are still present (through chat-a)')

  report(t, 'chat-sigkill', {
    reconnectMaxMs: Math.max(...reconnectMs),
    acked: result.acked,
    queuedWhileDown: queued.length,
    lost: total(result.lost),
    shownTwice: total(result.shownTwice),
    storedTwice: result.storedTwice.length,
    presenceGoneMs: goneMs,
    presenceLeaveMs: leaveMs
  })
})
