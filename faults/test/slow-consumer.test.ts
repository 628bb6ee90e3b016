import type { Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { openCrowd } from '../src/crowd.js'
import { MiB, percentile, report } from '../src/figures.js'
import { eventually, http } from '../src/http.js'
import { connectRaw } from '../src/raw-client.js'
import { startStack } from '../src/stack.js'
import { latencyOf } from '../src/traffic.js'

const ROOM = 'flood'
const SERVICE_KEY = 'faults-service-key-0123456789abcdef'
const RATE = 100
const FULL = process.env.FAULTS_FULL === '1'
/** Readers' p99 on the instance without the slow client above which the machine is too busy to judge. */
const OVERLOADED_MS = 150
const FILLER = 'x'.repeat(1024)

/** Closes with 4008 and open sockets of one instance, from its metrics. */
async function sockets (url: string): Promise<{ closed4008: number, open: number }> {
  const text = (await http(`${url}/metrics`)).text
  return {
    closed4008: Number(/^webchat_chat_closes_total\{code="4008"\} ([0-9.]+)$/m.exec(text)?.[1] ?? 0),
    open: Number(/^webchat_chat_connections ([0-9.]+)$/m.exec(text)?.[1] ?? NaN)
  }
}

t.test('a client that never reads, 100 messages of 1 KiB a second to its room', async (t) => {
  const stack = await startStack(t, { chatEnv: { CHAT_SERVICE_KEYS: SERVICE_KEY } })
  const [a] = stack.chats
  const latencies: Array<{ at: number, ms: number, onA: boolean }> = []
  const onA = new Set<string>()
  const readers = await openCrowd(t, stack, {
    size: 4,
    rooms: [ROOM],
    label: 'reader',
    onShown: (s) => { const ms = latencyOf(s); if (ms !== undefined) latencies.push({ at: s.at, ms, onA: onA.has(s.reader) }) }
  })
  for (const r of readers) if (r.url() === a!.wsUrl) onA.add(r.name)

  // A backend posts 100 messages of 1 KiB a second into the room, alternating instances.
  let flooding = true
  let posted = 0
  const flood = (async () => {
    const started = Date.now()
    while (flooding) {
      const due = started + (posted * 1000) / RATE
      if (due > Date.now()) await sleep(due - Date.now())
      const chat = stack.chats[posted % stack.chats.length]!
      posted++
      void fetch(`${chat.url}/api/rooms/${ROOM}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SERVICE_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user: { id: 'flood-bot', name: 'Flood' }, text: `${FILLER} t=${Date.now()}` })
      }).then(async (r) => await r.arrayBuffer(), () => {})
    }
  })()
  t.teardown(async () => { flooding = false; await flood })

  // Baseline: the same flood, everyone reading.
  await sleep(2000)
  const baselineFrom = Date.now()
  await sleep(5000)
  const rssBefore = a!.proc.rss()

  // The slow client joins on chat-a and stops reading its socket.
  const slow = await connectRaw(a!.wsUrl, { token: await stack.token(await stack.signIn('slow@example.com', 'Slow')) })
  t.teardown(() => { slow.close() })
  slow.ws.send(JSON.stringify({ type: 'join', room: ROOM }))
  await slow.waitFor((f) => f.type === 'joined')
  const withSlow = (await sockets(a!.url)).open
  const socket = (slow.ws as unknown as { _socket: Socket })._socket
  socket.pause()
  const pausedAt = Date.now()
  let rssMax = rssBefore
  const sampler = setInterval(() => { rssMax = Math.max(rssMax, a!.proc.rss()) }, 100)
  t.teardown(() => { clearInterval(sampler) })
  // Promised: 12 s. Waited for up to 60 s (120 s with FAULTS_FULL=1), so that a miss is measured.
  // The socket goes either with 4008 or, not having answered a ping, terminated (no close code).
  let how = 'still open'
  const closedMs = await eventually(async () => {
    const now = await sockets(a!.url)
    if (now.closed4008 >= 1) how = '4008'
    else if (now.open < withSlow) how = 'terminated (no pong)'
    return how !== 'still open'
  }, FULL ? 120_000 : 60_000, 'the slow socket closed', 100).catch(() => undefined)
  await sleep(1000)
  clearInterval(sampler)
  const slowTo = Date.now()
  flooding = false
  await flood
  socket.resume()
  // Once it reads again it finds the close frame behind everything queued for it.
  const closed = how === '4008' ? await slow.closed : undefined

  const baseline = latencies.filter((l) => l.at >= baselineFrom && l.at < pausedAt).map((l) => l.ms)
  const during = latencies.filter((l) => l.at >= pausedAt && l.at <= slowTo).map((l) => l.ms)
  const rise = percentile(during, 99) - percentile(baseline, 99)
  // The same window on the instance without the slow client: what the machine's load did to latency.
  const duringA = latencies.filter((l) => l.onA && l.at >= pausedAt && l.at <= slowTo).map((l) => l.ms)
  const duringB = latencies.filter((l) => !l.onA && l.at >= pausedAt && l.at <= slowTo).map((l) => l.ms)
  const excess = percentile(duringA, 99) - percentile(duringB, 99)
  const growth = rssMax - rssBefore

  const inTime = how === '4008' && closedMs !== undefined && closedMs <= 12_000
  t.ok(inTime, `closed with 4008 within 12 s of not reading (${closedMs === undefined ? 'not within the wait' : `${how} after ${closedMs} ms`})`)
  if (closed !== undefined) t.equal(closed.code, 4008, 'the close frame says 4008 (read once the client resumed)')
  t.ok(growth < 50 * MiB, `chat-a grew by ${(growth / MiB).toFixed(1)} MiB`)
  t.ok(baseline.length > 1000 && during.length > 1000, `latencies: ${baseline.length} baseline, ${during.length} with the slow client`)
  // A 50 ms difference cannot be told apart when the machine itself delays everyone by more.
  const overloaded = percentile(duringB, 99) > OVERLOADED_MS
  t.ok(excess < 50, `readers on the slow client's instance: p99 ${percentile(duringA, 99)} ms, ${excess} ms above readers elsewhere in the same window`,
    excess >= 50 && overloaded ? { todo: `the machine is overloaded (p99 ${percentile(duringB, 99)} ms on the other instance): not measurable` } : {})
  t.comment(`readers' p99 before and while the client did not read: ${percentile(baseline, 99)} → ${percentile(during, 99)} ms (includes the machine's other load)`)
  t.equal(a!.proc.exit, undefined, 'chat-a running')
  report(t, 'slow-consumer', {
    posted,
    closeAfterMs: closedMs ?? `>${slowTo - pausedAt}`,
    how,
    rssBeforeMiB: rssBefore / MiB,
    rssGrowthMiB: growth / MiB,
    baselineP99Ms: percentile(baseline, 99),
    slowP99Ms: percentile(during, 99),
    p99RiseMs: rise,
    slowInstanceP99Ms: percentile(duringA, 99),
    otherInstanceP99Ms: percentile(duringB, 99),
    p99ExcessMs: excess
  })
})
