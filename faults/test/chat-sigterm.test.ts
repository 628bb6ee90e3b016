import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { account, total } from '../src/accounting.js'
import { openCrowd } from '../src/crowd.js'
import { report } from '../src/figures.js'
import { eventually } from '../src/http.js'
import { connectRaw } from '../src/raw-client.js'
import { readRoomLog } from '../src/room-log.js'
import { startStack } from '../src/stack.js'
import { startTraffic } from '../src/traffic.js'

const ROOM = 'term'

t.test('SIGTERM of one chat instance mid-chat', async (t) => {
  const stack = await startStack(t)
  const [a, b] = stack.chats
  const clients = await openCrowd(t, stack, { size: 4, rooms: [ROOM], label: 's' })
  const onB = clients.filter((c) => c.url() === b!.wsUrl)
  // Plain sockets too, idle and in the room, to see the exact close of every kind of socket.
  const plainAuth = await stack.signIn('plain@example.com', 'Plain')
  const plain = await Promise.all(Array.from({ length: 6 }, async () => await connectRaw(b!.wsUrl, { token: await stack.token(plainAuth) })))
  t.teardown(() => { for (const p of plain) p.close() })
  for (const p of plain.slice(0, 3)) p.ws.send(JSON.stringify({ type: 'join', room: ROOM }))

  const traffic = startTraffic({ clients, room: ROOM, rate: 5 })
  t.teardown(() => { traffic.stop() })
  await sleep(3000)

  const termAt = Date.now()
  b!.proc.signal('SIGTERM')
  const exit = await b!.proc.exited
  const exitMs = exit.at - termAt
  const plainCloses = await Promise.all(plain.map(async (p) => await p.closed))

  const reconnectMs = await Promise.all(onB.map(async (client) => {
    await eventually(() => client.readies.some((r) => r.at > termAt), 20_000, `${client.name} back`)
    return client.readies.find((r) => r.at > termAt)!.at - termAt
  }))
  await sleep(2000)
  traffic.stop()
  await traffic.settled(30_000)

  const token = await stack.token(plainAuth)
  await eventually(async () => total(account(traffic.records, clients, ROOM, await readRoomLog(a!.url, token, ROOM)).lost) === 0, 10_000, 'caught up').catch(() => {})
  const log = await readRoomLog(a!.url, token, ROOM)
  const result = account(traffic.records, clients, ROOM, log)

  t.same({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, 'chat-b exited with 0')
  t.ok(exitMs <= 30_000, `within 30 s (${exitMs} ms)`)
  const clientCloses = onB.flatMap((c) => c.closes)
  t.same(clientCloses, onB.map(() => 1012), 'every reconnecting client got 1012')
  t.same(plainCloses.map((c) => c.code), plain.map(() => 1012), 'every plain socket got 1012 (none 1006)')
  t.ok(onB.every((c) => c.readies.at(-1)!.url === a!.wsUrl), 'they reconnected to chat-a')
  t.ok(result.acked > 100, `${result.acked} messages acknowledged`)
  t.same(result.lost, Object.fromEntries(clients.map((c) => [c.name, []])), '0 messages lost')
  t.same(result.missingFromLog, [], 'every acknowledged message is in the log')
  t.same(result.shownTwice, Object.fromEntries(clients.map((c) => [c.name, []])), '0 shown twice')
  t.same(result.storedTwice, [], 'stored once')
  t.equal(traffic.records.filter((r) => r.failed !== undefined).length, 0, 'no send failed')
  report(t, 'chat-sigterm', {
    exitCode: exit.code ?? -1,
    exitMs,
    closes1012: clientCloses.filter((c) => c === 1012).length + plainCloses.filter((c) => c.code === 1012).length,
    closes1006: clientCloses.filter((c) => c === 1006).length + plainCloses.filter((c) => c.code === 1006).length,
    reconnectMaxMs: Math.max(...reconnectMs),
    acked: result.acked,
    lost: total(result.lost),
    shownTwice: total(result.shownTwice)
  })
})
