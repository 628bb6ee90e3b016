import { Redis } from 'ioredis'
import t from 'tap'
import type { InboxEntry } from '@webchat/shared'
import type { Frame, TestClient } from '../helpers/client.js'
import { ENGINES, singleRedisOnly, startCluster } from '../helpers/cluster.js'
import { ask } from '../helpers/rooms.js'

const inboxes = (client: TestClient, room: string): Array<InboxEntry & { at: number }> =>
  client.frames.flatMap((f, at) => f.type === 'inbox' && f.room === room ? [{ ...(f.inbox as InboxEntry), at }] : [])
const waitInbox = async (client: TestClient, room: string, check: (inbox: InboxEntry) => boolean): Promise<Frame> =>
  await client.waitFor((f) => f.type === 'inbox' && f.room === room && check(f.inbox as InboxEntry), 1000, `inbox of ${room} within 1 s`)
const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

for (const kind of ENGINES) {
  t.test(`${kind}: a room added, joined, left and removed: live counts follow, real sends counted`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2 })
    const bob = await cluster.connect(0, { sub: 'bob', name: 'Bob' })
    const ada = await cluster.connect(1, { sub: 'ada', name: 'Ada' })
    const room = ((await ask(bob, { type: 'create', title: 'Plans' })).room as { id: string }).id
    await cluster.join(bob, room)
    let sent = 0
    const send = async (text: string): Promise<string> => {
      const clientMsgId = `c${++sent}`
      bob.send({ type: 'send', room, text, clientMsgId })
      return (await bob.waitFor((f) => f.type === 'ack' && f.clientMsgId === clientMsgId)).id as string
    }
    await send('before ada')
    t.equal((await ask(bob, { type: 'invite', room, user: 'ada' })).type, 'done')
    const added = await ada.waitFor((f) => f.type === 'room' && (f.entry as { room: { id: string } }).room.id === room)
    t.match((added.entry as { inbox: InboxEntry }).inbox, { seq: 1, unread: 1, mentions: 0, last: { preview: 'before ada' } }, 'the added room comes with its counts')
    await pause(200) // the watch's subscription is made as the `room` frame goes out

    await send('one')
    t.match((await waitInbox(ada, room, (i) => i.seq === 2)).inbox, { unread: 2, last: { user: { id: 'bob' }, preview: 'one' } }, 'a watched room counts a real send')

    // Ada's own bad reads: typed errors, nothing moved.
    ada.send({ type: 'read', room, id: '1-0' })
    t.match(await ada.waitFor((f) => f.type === 'error' && f.ref === room), { code: 'not_joined' }, 'read before joining')
    ada.send({ type: 'read', room, id: 'not-an-id' })
    t.match(await ada.waitFor((f) => f.type === 'error' && f.code === 'bad_frame'), { code: 'bad_frame' }, 'a malformed id')

    await cluster.join(ada, room)
    const before = inboxes(ada, room).length
    const two = await send('two')
    await ada.waitFor((f) => f.type === 'message' && f.id === two)
    ada.send({ type: 'read', room, id: '99999999999999-0' })
    t.match(await ada.waitFor((f) => f.type === 'error' && f.code === 'bad_frame' && f.ref === room), { code: 'bad_frame' }, 'a message the room does not have')
    await pause(200)
    t.equal(inboxes(ada, room).length, before, 'no inbox frame while joined: the client counts from messages')

    ada.send({ type: 'leave', room })
    t.match((await waitInbox(ada, room, (i) => i.seq === 3)).inbox, { unread: 3, readSeq: 0 }, 'left: fresh counts from the store')
    await send('three')
    await waitInbox(ada, room, (i) => i.seq === 4 && i.unread === 4)

    t.equal((await ask(bob, { type: 'remove', room, user: 'ada' })).type, 'done')
    await ada.waitFor((f) => f.type === 'room_removed' && f.room === room)
    await send('four')
    await pause(300)
    t.notOk(inboxes(ada, room).some((i) => i.seq === 5), 'a removed room is no longer watched')
  })
}

t.test('redis: counts missed while pub/sub was lost are sent again once it is back', { skip: singleRedisOnly('CLIENT KILL of its subscriber connections') }, async (t) => {
  const cluster = await startCluster(t, 'redis')
  const bob = await cluster.connect(0, { sub: 'bob', name: 'Bob' })
  const ada = await cluster.connect(1, { sub: 'ada', name: 'Ada' })
  await cluster.join(bob, 'gap')
  await cluster.join(ada, 'gap')
  ada.send({ type: 'leave', room: 'gap' })
  await waitInbox(ada, 'gap', (i) => i.seq === 0)
  const admin = new Redis(cluster.redis!.url)
  t.teardown(() => admin.disconnect())
  t.ok(Number(await admin.client('KILL', 'TYPE', 'pubsub')) >= 2, 'subscriber connections killed')
  // Published while nobody listens: only the refresh after the resume can tell Ada.
  for (let i = 0; i < 3; i++) bob.send({ type: 'send', room: 'gap', text: `during ${i}`, clientMsgId: `d${i}` })
  await bob.waitForCount((f) => f.type === 'ack', 3)
  const fresh = await ada.waitFor((f) => f.type === 'inbox' && f.room === 'gap' && (f.inbox as InboxEntry).seq === 3, 10_000, 'fresh counts after the resume')
  t.match(fresh.inbox, { seq: 3, unread: 3, last: { preview: 'during 2' } })
})
