import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { LIMITS } from '@webchat/shared'
import { encodeBody } from '../../src/delivery/message-frame.js'
import { names } from '../../src/names.js'
import { startCluster, type Cluster } from '../helpers/cluster.js'
import type { Frame } from '../helpers/client.js'

const REPLAY_MAX_BYTES = 512 * 1024
const TEXT = 'x'.repeat(3000)

/** Fills a room's log with `count` stored messages of about 3 KB, straight through the engine. */
async function fill (cluster: Cluster, room: string, count: number): Promise<number> {
  // Numbered 1 by hand (the engine numbers a send): every entry has the same size.
  const data = encodeBody({ ts: Date.now(), room, user: { id: 'bot', name: 'Bot' }, text: TEXT }).replace('\u0000', '1')
  for (let i = 0; i < count; i++) await cluster.engine.logs.append(names.roomLog(room), data, { maxLen: 1000 })
  return Buffer.byteLength(data)
}

/** Counts the bytes the engine's log reads hand out. */
function meter (cluster: Cluster): { bytes: number } {
  const read = { bytes: 0 }
  const logs = cluster.engine.logs as unknown as Record<string, (...args: unknown[]) => Promise<Array<{ data: string }> | null>>
  for (const method of ['readAfter', 'readAfterWithin', 'readBefore']) {
    const original = logs[method]!
    logs[method] = async (...args) => {
      const entries = await original(...args)
      for (const entry of entries ?? []) read.bytes += Buffer.byteLength(entry.data)
      return entries
    }
  }
  return read
}

const isRefusal = (room: string) => (f: Frame): boolean => f.type === 'error' && f.ref === room
const isAnswer = (room: string) => (f: Frame): boolean => (f.type === 'joined' && f.room === room) || isRefusal(room)(f)

t.test('join and history answers are paid from a per-user budget of bytes read', async (t) => {
  const cluster = await startCluster(t, 'memory', { env: { REPLAY_MAX_BYTES } })
  const entry = await fill(cluster, 'full', 1000)
  await fill(cluster, 'full-2', 200)
  await fill(cluster, 'full-3', 200)
  const read = meter(cluster)

  t.test('a resume from the start that cannot fit reads out only the latest page', async (t) => {
    const client = await cluster.connect(0, { sub: 'one-resume' })
    const joined = await cluster.join(client, 'full', { since: '0-0' })
    t.equal(joined.recovered, false, 'too much for one frame: the latest page')
    t.equal((joined.messages as unknown[]).length, LIMITS.historyPage)
    // The room enters the user's list with its counts and last message: the newest entry, read once more.
    await client.waitFor((f) => f.type === 'room')
    t.equal(read.bytes, (LIMITS.historyPage + 1) * entry,
      `read out ${read.bytes} bytes: one page and the inbox's last message (was the whole log and the page, ${1050 * entry})`)
  })

  t.test('joins at once read one at a time: past the burst the rest are refused with rate_limited', async (t) => {
    const client = await cluster.connect(0, { sub: 'many-at-once' })
    const rooms = ['full', 'full-2', 'full-3']
    for (const room of rooms) client.send({ type: 'join', room, since: '0-0' })
    const answers = await Promise.all(rooms.map(async (room) => await client.waitFor(isAnswer(room))))
    // Each costs ~512 KiB (a replay that cannot fit) + one page (~150 KB): the first takes the
    // budget into debt, the others find it there.
    t.same(answers.map((f) => f.type).sort(), ['error', 'error', 'joined'])
    const refused = answers.find((f) => f.type === 'error')!
    t.match(refused, { code: 'rate_limited' })
    const again = String(refused.ref)
    const refusals = client.frames.filter(isRefusal('full')).length
    client.send({ type: 'history', room: 'full', before: '99999999999999-0' })
    const [history] = (await client.waitForCount(isRefusal('full'), refusals + 1)).slice(-1)
    t.match(history, { code: 'rate_limited' }, 'history too, while in debt')
    t.notOk(client.frames.some((f) => f.type === 'joined' && f.room === again), 'the refused join was not answered')
    const debt = REPLAY_MAX_BYTES + 50 * entry - LIMITS.replyBytesBurst
    await sleep(Math.ceil((1000 * debt) / LIMITS.replyBytesPerSecond) + 500)
    const later = await cluster.join(client, again, { since: '0-0' })
    t.equal(later.room, again, 'paid back at the rate: joins pass again')
  })

  t.test('a loop of rejoins reads at most the burst plus the rate', async (t) => {
    const client = await cluster.connect(0, { sub: 'looper' })
    const from = read.bytes
    const started = Date.now()
    let joined = 0
    let refused = 0
    let lefts = 0
    while (Date.now() - started < 3000) {
      client.send({ type: 'join', room: 'full', since: '0-0' })
      const answer = (await client.waitForCount(isAnswer('full'), joined + refused + 1)).at(-1)!
      if (answer.type === 'joined') {
        joined++
        client.send({ type: 'leave', room: 'full' })
        await client.waitForCount((f) => f.type === 'left', ++lefts)
      } else {
        refused++
      }
      // Below the frame rate (50 a second): what is measured is the byte budget.
      await sleep(50)
    }
    const seconds = (Date.now() - started) / 1000
    const bytes = read.bytes - from
    const most = LIMITS.replyBytesBurst + seconds * LIMITS.replyBytesPerSecond + REPLAY_MAX_BYTES + 51 * entry
    t.ok(bytes <= most, `${joined} joins answered, ${refused} refused, ${(bytes / 1024).toFixed(0)} KiB read in ${seconds.toFixed(1)} s (at most ${(most / 1024).toFixed(0)})`)
    t.ok(refused > 0, 'the loop was refused')
    t.equal(client.ws.readyState, client.ws.OPEN, 'not closed: refusals of the budget are no strikes')
  })
})
