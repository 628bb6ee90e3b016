import type { Socket } from 'node:net'
import t from 'tap'
import { type Cluster, ENGINES, SERVICE_KEY, eventually, startCluster } from './helpers/cluster.js'

/** Posts `count` messages at once as a backend; true once instance 0 has closed a socket with 4008. */
async function postBurst (cluster: Cluster, room: string, text: string, count: number): Promise<boolean> {
  await Promise.all(Array.from({ length: count }, async () => {
    const response = await fetch(`${cluster.httpUrl(0)}/api/rooms/${room}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: 'bot', name: 'Bot' }, text })
    })
    await response.arrayBuffer()
  }))
  const metrics = await (await fetch(`${cluster.httpUrl(0)}/metrics`)).text()
  return /webchat_chat_closes_total\{code="4008"\} 1/.test(metrics)
}

/**
 * Two members of `room` on instance 0: `slow`, whose socket stopped reading (resume it with
 * `socket.resume()`), and `reader`, who reads.
 */
async function stalledAndReader (cluster: Cluster, room: string, names: { slow: string, reader: string }) {
  const slow = await cluster.connect(0, { sub: names.slow, sid: names.slow })
  const reader = await cluster.connect(0, { sub: names.reader, sid: names.reader })
  await cluster.join(slow, room)
  await cluster.join(reader, room)
  const socket = (slow.ws as unknown as { _socket: Socket })._socket
  socket.pause()
  return { slow, reader, socket }
}

/**
 * Posts 100 messages of 1 KiB a second into `room` (far less than the kernel buffers hold in 12 s)
 * until instance 0 closes a socket with 4008, or for 15 s; `closedAfter` is undefined if it never did.
 */
async function trickle (cluster: Cluster, room: string): Promise<{ posted: number, closedAfter: number | undefined }> {
  const text = 'y'.repeat(1000)
  const started = Date.now()
  let posted = 0
  while (Date.now() - started < 15_000) {
    const tick = Date.now()
    posted += 10
    if (await postBurst(cluster, room, text, 10)) return { posted, closedAfter: Date.now() - started }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - tick))))
  }
  return { posted, closedAfter: undefined }
}

for (const kind of ENGINES) {
  t.test(`${kind}: a client that stops reading is closed with 4008 without slowing others`, async (t) => {
    const cluster = await startCluster(t, kind)
    const { slow, reader: fast, socket } = await stalledAndReader(cluster, 'firehose', { slow: 'slowpoke', reader: 'speedy' })

    const text = 'x'.repeat(3900)
    let posted = 0
    const started = Date.now()
    // Each message is ~4 KiB: kernel buffers absorb a few MiB before ws starts buffering.
    while (posted < 4000 && Date.now() - started < 30_000) {
      posted += 20
      if (await postBurst(cluster, 'firehose', text, 20)) break
    }
    t.ok(posted < 4000, `closed after ${posted} messages`)
    await fast.waitForCount((f) => f.type === 'message', posted, 10_000)
    t.pass('the fast reader got every message meanwhile')
    socket.resume()
    const closed = await slow.closed
    t.equal(closed.code, 4008)
    await eventually(async () => {
      const metrics = await (await fetch(`${cluster.httpUrl(0)}/metrics`)).text()
      return /webchat_chat_connections 1\b/.test(metrics)
    }, 5000, 'the slow connection is gone')
  })
}

for (const kind of ENGINES) {
  t.test(`${kind}: a client that stops reading is found out within 12 s even while kernel buffers absorb its backlog`, async (t) => {
    const cluster = await startCluster(t, kind)
    const { slow, reader, socket } = await stalledAndReader(cluster, 'trickle', { slow: 'stalled', reader: 'reader' })
    const { posted, closedAfter } = await trickle(cluster, 'trickle')
    t.ok(closedAfter !== undefined && closedAfter <= 12_000, `closed with 4008 after ${closedAfter ?? 'more than 15000'} ms (${posted} messages)`)
    await reader.waitForCount((f) => f.type === 'message', posted, 10_000)
    t.equal(reader.ws.readyState, reader.ws.OPEN, 'the reading client is still connected')
    socket.resume()
    t.equal((await slow.closed).code, 4008, 'the stalled client reads 4008 once it reads again')
  })
}

t.test('a client that stopped reading cannot stay on by sending pongs unasked', async (t) => {
  const cluster = await startCluster(t, 'memory')
  const { slow, reader, socket } = await stalledAndReader(cluster, 'pongs', { slow: 'pretender', reader: 'reader' })
  // Every 2 s, as the attack did: each one used to count as "has read everything".
  const pongs = setInterval(() => { slow.ws.pong() }, 2000)
  t.teardown(() => clearInterval(pongs))
  const { posted, closedAfter } = await trickle(cluster, 'pongs')
  clearInterval(pongs)
  t.ok(closedAfter !== undefined && closedAfter <= 12_000, `closed with 4008 after ${closedAfter ?? 'more than 15000'} ms despite its pongs`)
  await reader.waitForCount((f) => f.type === 'message', posted, 10_000)
  socket.resume()
  t.equal((await slow.closed).code, 4008)
})
