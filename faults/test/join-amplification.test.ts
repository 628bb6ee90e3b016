import { createConnection } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { LIMITS } from '@webchat/shared'
import { openBystanders } from '../src/bystanders.js'
import { MiB, percentile, report } from '../src/figures.js'
import { connectRaw, type Frame, type RawClient } from '../src/raw-client.js'
import { startStack } from '../src/stack.js'

const FULL = 'full'
const SERVICE_KEY = 'faults-service-key-0123456789abcdef'
const MESSAGES = 1000
/** Near the longest text (LIMITS.textChars): about 4 KB stored per message. */
const TEXT = 'x'.repeat(3990)
const SOCKETS = 8
const ATTACK_MS = 8000
/** Each socket's loop stops after this many joins, whatever the time. */
const MAX_JOINS = 2000
/** A quiet p99 below this counts as this: under it, scheduling noise on a shared machine outweighs the effect. */
const FLOOR_MS = 10

/** Bytes Redis has sent to its clients (INFO stats `total_net_output_bytes`), over a raw RESP connection. */
async function redisOutput (port: number): Promise<number> {
  return await new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    let reply = ''
    socket.on('data', (chunk) => {
      reply += chunk.toString()
      const match = /total_net_output_bytes:(\d+)/.exec(reply)
      if (match !== null) { socket.destroy(); resolve(Number(match[1])) }
    })
    socket.on('error', reject)
    socket.write('*2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n')
  })
}

/** Joins the full room from the start, leaves, again, until `until` or MAX_JOINS; counts the answers. */
async function rejoinLoop (client: RawClient, until: number): Promise<{ joined: number, refused: number }> {
  let joined = 0
  let refused = 0
  const isAnswer = (f: Frame): boolean => f.room === FULL ? f.type === 'joined' : f.type === 'error' && f.ref === FULL
  while (Date.now() < until && joined + refused < MAX_JOINS) {
    const from = client.frames.length
    client.ws.send(JSON.stringify({ type: 'join', room: FULL, since: '0-0' }))
    const answer = await client.waitFor(isAnswer, 10_000, from)
    if (answer.type === 'joined') {
      joined++
      const at = client.frames.length
      client.ws.send(JSON.stringify({ type: 'leave', room: FULL }))
      await client.waitFor((f) => f.type === 'left', 10_000, at)
    } else {
      refused++
      // Like a client that retries at once: within the frame rate, to measure the byte budget alone.
      await sleep(40)
    }
    // The frames are not kept: a loop of minutes would otherwise hold every joined page.
    if (client.frames.length > 100) client.frames.splice(0, client.frames.length)
  }
  return { joined, refused }
}

t.test('sockets rejoining a full room from its start in a loop leave a bystander\'s latency alone', async (t) => {
  const stack = await startStack(t, { chatEnv: { CHAT_SERVICE_KEYS: SERVICE_KEY } })
  const [a] = stack.chats
  // 1,000 messages of 4 KB: the whole log is ~4 MB, eight times REPLAY_MAX_BYTES.
  for (let i = 0; i < MESSAGES; i += 20) {
    await Promise.all(Array.from({ length: 20 }, async () => {
      const answer = await fetch(`${a!.url}/api/rooms/${FULL}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SERVICE_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user: { id: 'filler', name: 'Filler' }, text: TEXT })
      })
      if (answer.status !== 201) throw new Error(`filling: ${answer.status}`)
      await answer.arrayBuffer()
    }))
  }

  const { traffic, samples, latenciesBetween } = await openBystanders(t, stack, { size: 4, room: 'calm', label: 'bystander' })
  const attacker = await stack.signIn('rejoiner@example.com', 'Rejoiner')
  const sockets = await Promise.all(Array.from({ length: SOCKETS }, async (_, i) =>
    await connectRaw(stack.chats[i % stack.chats.length]!.wsUrl, { token: await stack.token(attacker) })))
  t.teardown(() => { for (const s of sockets) s.close() })

  await sleep(2000)
  const quietFrom = Date.now()
  await sleep(ATTACK_MS)
  const attackFrom = Date.now()
  const outputBefore = await redisOutput(stack.redis.port)
  const loops = await Promise.all(sockets.map(async (s) => await rejoinLoop(s, attackFrom + ATTACK_MS)))
  const attackTo = Date.now()
  const redisBytes = await redisOutput(stack.redis.port) - outputBefore
  traffic.stop()
  await traffic.settled(15_000)

  const quiet = latenciesBetween(quietFrom, attackFrom - 1)
  const during = latenciesBetween(attackFrom, attackTo)
  const joined = loops.reduce((sum, l) => sum + l.joined, 0)
  const refused = loops.reduce((sum, l) => sum + l.refused, 0)
  const seconds = (attackTo - attackFrom) / 1000
  // Per socket: the burst, the rate, one answer of debt (a page of 50; a replay that does not fit
  // stays in Redis), read from Redis; the bystanders' own traffic is small beside it.
  const bound = SOCKETS * (LIMITS.replyBytesBurst + seconds * LIMITS.replyBytesPerSecond + 51 * 4100) + 2 * MiB
  const quietP99 = percentile(quiet, 99)
  const duringP99 = percentile(during, 99)

  const worst = samples.filter((l) => l.at >= attackFrom && l.at <= attackTo).sort((x, y) => y.ms - x.ms).slice(0, 8)
  t.comment(`slowest during the rejoins (ms at ms after the start): ${worst.map((l) => `${l.ms}@${l.at - attackFrom}`).join(' ')}`)
  t.ok(quiet.length >= 100 && during.length >= 100, `latencies: ${quiet.length} quiet, ${during.length} during the rejoins`)
  t.ok(refused > 0, `${joined} joins answered, ${refused} refused with rate_limited`)
  t.ok(redisBytes <= bound, `Redis sent ${(redisBytes / MiB).toFixed(1)} MiB in ${seconds.toFixed(1)} s (at most ${(bound / MiB).toFixed(1)} MiB; 151 MB in 8 s before)`)
  t.ok(duringP99 <= 2 * Math.max(quietP99, FLOOR_MS), `the bystanders' p99: ${quietP99} ms quiet, ${duringP99} ms during the rejoins`)
  t.equal(traffic.records.filter((r) => r.failed !== undefined).length, 0, 'no bystander send failed')
  for (const proc of stack.procs()) t.equal(proc.exit, undefined, `${proc.name} running`)
  report(t, 'join-amplification', {
    sockets: SOCKETS,
    attackMs: attackTo - attackFrom,
    joined,
    refused,
    redisMiB: redisBytes / MiB,
    quietP99Ms: quietP99,
    rejoinP99Ms: duringP99
  })
})
