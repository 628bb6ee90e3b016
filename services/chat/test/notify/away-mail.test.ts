import t from 'tap'
import type { Engine } from '@webchat/engine'
import { NOTIFICATION_QUEUE, type NotificationJob } from '@webchat/shared'
import { api } from '../helpers/backend-api.js'
import type { TestClient } from '../helpers/client.js'
import { type Cluster, ENGINES, startCluster } from '../helpers/cluster.js'

/** Short delays, so that a mail is due within a second or two. */
const FAST = { NOTIFY_DELAY_MS: 1000, NOTIFY_IDLE_MS: 1000, NOTIFY_SWEEP_MS: 100 }
const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

/** Every mail job queued for the auth service so far (taken off the queue, acknowledged). */
async function jobs (engine: Engine): Promise<NotificationJob[]> {
  const taken = await engine.queues.take(NOTIFICATION_QUEUE, 'test', { count: 100, retryAfterMs: [60_000] })
  await Promise.all(taken.map(async ({ id }) => await engine.queues.ack(NOTIFICATION_QUEUE, id)))
  return taken.map(({ data }) => JSON.parse(data) as NotificationJob)
}

async function sendAll (client: TestClient, room: string, texts: string[], extra: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = []
  for (const [i, text] of texts.entries()) {
    const clientMsgId = `${room}-${i}-${Math.random().toString(36).slice(2, 8)}`
    client.send({ type: 'send', room, text, clientMsgId, ...extra })
    ids.push((await client.waitFor((f) => f.type === 'ack' && f.clientMsgId === clientMsgId)).id as string)
  }
  return ids
}

async function directRoom (cluster: Cluster, a: string, b: string): Promise<string> {
  const made = await api(cluster, 'POST', '/api/rooms', { kind: 'direct', members: [{ user: a, name: a.toUpperCase() }, { user: b, name: b.toUpperCase() }] })
  return (made.body as { room: { id: string } }).room.id
}

for (const kind of ENGINES) {
  t.test(`${kind}: mail for people who are away`, async (t) => {
    const cluster = await startCluster(t, kind, { env: FAST })
    const ann = await cluster.connect(0, { sub: 'ann', name: 'Ann' })

    t.test('three quick direct messages to someone away make one mail listing them', async (t) => {
      const room = await directRoom(cluster, 'ann', 'bob')
      await cluster.join(ann, room)
      const ids = await sendAll(ann, room, ['are you there?', 'the build is red', 'call me <please>'])
      await sleep(1800)
      const mails = await jobs(cluster.engine)
      t.equal(mails.length, 1, 'one mail')
      t.match(mails[0], { user: 'bob', more: 0 })
      t.same(mails[0]!.items.map((item) => [item.kind, item.messageId, item.preview, item.from.id, item.roomTitle, item.room]),
        ids.map((id, i) => ['direct', id, ['are you there?', 'the build is red', 'call me <please>'][i], 'ann', 'Ann', room]))
      await sleep(1200)
      t.same(await jobs(cluster.engine), [], 'and nothing more')
    })

    t.test('nothing is mailed for messages read in time on any device', async (t) => {
      const room = await directRoom(cluster, 'ann', 'cid')
      await cluster.join(ann, room)
      const [id] = await sendAll(ann, room, ['read me soon'])
      const cid = await cluster.connect(1, { sub: 'cid', name: 'Cid' })
      await cluster.join(cid, room)
      cid.send({ type: 'read', room, id })
      await cid.waitFor((f) => f.type === 'inbox' || f.type === 'read', 2000).catch(() => null)
      await cid.close()
      await sleep(2800)
      t.same(await jobs(cluster.engine), [], 'read, so not mailed')
    })

    t.test('someone active is not mailed until they go away; then what they left unread is', async (t) => {
      const room = await directRoom(cluster, 'ann', 'dee')
      await cluster.join(ann, room)
      const dee = await cluster.connect(0, { sub: 'dee', name: 'Dee' })
      await sendAll(ann, room, ['while you are here'])
      // Dee keeps typing elsewhere for 2.5 s: active all along.
      await cluster.join(dee, 'elsewhere')
      for (let i = 0; i < 10; i++) {
        dee.send({ type: 'typing', room: 'elsewhere' })
        await sleep(250)
      }
      t.same(await jobs(cluster.engine), [], 'no mail while active')
      await dee.close()
      await sleep(2500)
      t.match(await jobs(cluster.engine), [{ user: 'dee', items: [{ preview: 'while you are here', kind: 'direct' }] }], 'mailed once away')
    })

    t.test('a deleted message is not mailed, an edited one is mailed as it is now', async (t) => {
      const room = await directRoom(cluster, 'ann', 'lee')
      await cluster.join(ann, room)
      const [gone, fixed] = await sendAll(ann, room, ['my password is hunter2', 'see you at 5'])
      ann.send({ type: 'delete', room, id: gone, clientMsgId: 'del-1' })
      await ann.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'del-1')
      ann.send({ type: 'edit', room, id: fixed, text: 'see you at 6', clientMsgId: 'edit-1' })
      await ann.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'edit-1')
      await sleep(1800)
      const mails = await jobs(cluster.engine)
      t.same(mails.map((m) => m.items.map((item) => item.preview)), [['see you at 6']], 'only the edited one, with its new text')
    })

    t.test('a client that only refreshes its token, with nobody at it, counts as away', async (t) => {
      const room = await directRoom(cluster, 'ann', 'max')
      const max = await cluster.connect(0, { sub: 'max', name: 'Max' })
      await cluster.join(ann, room)
      await sendAll(ann, room, ['ping'])
      for (let i = 0; i < 8; i++) {
        max.send({ type: 'refresh', token: await cluster.auth.mint({ sub: 'max', name: 'Max' }) })
        await sleep(250)
      }
      t.match(await jobs(cluster.engine), [{ user: 'max', items: [{ preview: 'ping' }] }], 'mailed though the tab is open')
    })

    t.test('a mention in a busy room is mailed once; other members are not mailed', async (t) => {
      const room = 'busy-room'
      await cluster.join(ann, room)
      const eve = await cluster.connect(1, { sub: 'eve', name: 'Eve' })
      await cluster.join(eve, room)
      const fay = await cluster.connect(0, { sub: 'fay', name: 'Fay' })
      await cluster.join(fay, room)
      await fay.close()
      await sendAll(eve, room, Array.from({ length: 8 }, (_, i) => `chatter ${i}`))
      const [mention] = await sendAll(ann, room, ['@Fay can you look?'], { mentions: ['fay'] })
      await sendAll(eve, room, Array.from({ length: 8 }, (_, i) => `more chatter ${i}`))
      await sleep(1800)
      const mails = await jobs(cluster.engine)
      t.match(mails, [{ user: 'fay', items: [{ kind: 'mention', messageId: mention, roomTitle: 'busy-room', from: { id: 'ann' } }] }], 'one mail, the mention alone')
      t.equal(mails[0]?.items.length, 1)
      await sleep(1500)
      t.same(await jobs(cluster.engine), [], 'once')
    })

    if (kind === 'redis') {
      t.test('two instances never queue the same mail twice', async (t) => {
        const people = ['gil', 'hal', 'ida', 'jon', 'kay']
        for (const person of people) {
          const room = await directRoom(cluster, 'ann', person)
          await cluster.join(ann, room)
          await sendAll(ann, room, [`hello ${person}`, `again ${person}`])
        }
        await sleep(2000)
        const mails = await jobs(cluster.engine)
        t.same(mails.map((m) => m.user).sort(), people, 'one mail each')
        t.ok(mails.every((m) => m.items.length === 2))
      })
    }
  })
}

t.test('NOTIFY_EMAIL=false: nothing is listed or mailed', async (t) => {
  const cluster = await startCluster(t, 'memory', { env: { ...FAST, NOTIFY_EMAIL: false } })
  const ann = await cluster.connect(0, { sub: 'ann', name: 'Ann' })
  const room = await directRoom(cluster, 'ann', 'bob')
  await cluster.join(ann, room)
  await sendAll(ann, room, ['hello'])
  await sleep(1500)
  t.same(await jobs(cluster.engine), [])
})
