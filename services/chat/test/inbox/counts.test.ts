import t from 'tap'
import type { InboxEntry, InboxTotals } from '@webchat/shared'
import type { Frame, TestClient } from '../helpers/client.js'
import { type Cluster, ENGINES, singleRedisOnly, startCluster } from '../helpers/cluster.js'
import { appendMessage, loseLog } from '../helpers/inbox.js'
import { bearer, tryJoin } from '../helpers/rooms.js'

const ADA = { id: 'ada', name: 'Ada' }
const BOB = { id: 'bob', name: 'Bob' }

/** The user's list over HTTP (on instance `i`): each room's inbox, and the totals. */
async function inboxOf (cluster: Cluster, sub: string, i = 0): Promise<{ byRoom: Map<string, InboxEntry>, totals: InboxTotals }> {
  const answer = await fetch(`${cluster.httpUrl(i)}/api/me/rooms`, { headers: await bearer(cluster, sub) })
  const body = await answer.json() as { rooms: Array<{ room: { id: string }, inbox: InboxEntry }>, totals: InboxTotals }
  return { byRoom: new Map(body.rooms.map((entry) => [entry.room.id, entry.inbox])), totals: body.totals }
}

/** The newest `inbox` frame of a room that arrived after `from` frames, waiting up to `ms` for one matching. */
const inboxFrame = async (client: TestClient, room: string, check: (inbox: InboxEntry) => boolean, ms = 1000): Promise<Frame> =>
  await client.waitFor((f) => f.type === 'inbox' && f.room === room && check(f.inbox as InboxEntry), ms, `inbox of ${room} within ${ms} ms`)

for (const kind of ENGINES) {
  t.test(`${kind}: counts from numbers, mentions, own messages, and a read on one device clears the other`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2 })
    const { engine } = cluster
    const app = cluster.configs[0]!
    const phone = await cluster.connect(0, { sub: 'ada', name: 'Ada' })
    const laptop = await cluster.connect(1, { sub: 'ada', name: 'Ada' })
    const bob = await cluster.connect(1, { sub: 'bob', name: 'Bob' })
    t.equal((await tryJoin(phone, 'lobby')).type, 'joined')
    t.equal((await tryJoin(bob, 'lobby')).type, 'joined')
    // The laptop never joined: it watches the room it was told of (`room`, with its counts).
    const listed = await laptop.waitFor((f) => f.type === 'room' && (f.entry as { room: { id: string } }).room.id === 'lobby')
    t.match((listed.entry as { inbox: InboxEntry }).inbox, { seq: 0, unread: 0, mentions: 0 }, 'a room entering the list carries its counts')
    // Its subscription to the room's channel is made as the `room` frame goes out: give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 200))

    await appendMessage(engine, app, 'lobby', BOB, 'hello')
    await appendMessage(engine, app, 'lobby', BOB, 'hi @Ada', { mentions: ['ada'] })
    const started = Date.now()
    const last = await appendMessage(engine, app, 'lobby', BOB, 'all of you', { mentionsRoom: true })
    const seen = await inboxFrame(laptop, 'lobby', (inbox) => inbox.seq === 3)
    t.ok(Date.now() - started < 1000, 'the watching device is told within 1 s, from another instance')
    t.match(seen.inbox, { seq: 3, readSeq: 0, unread: 3, mentions: 2, last: { id: last.id, user: BOB, preview: 'all of you' } })
    const listedNow = await inboxOf(cluster, 'ada', 1)
    t.match(listedNow.byRoom.get('lobby'), { seq: 3, readSeq: 0, unread: 3, mentions: 2, lastRead: null }, 'the same counts over HTTP')
    t.same(listedNow.totals, { unread: 3, mentions: 2, rooms: 1 })
    t.match((await inboxOf(cluster, 'bob')).byRoom.get('lobby'), { unread: 0, mentions: 0, readSeq: 3 }, 'the author\'s own messages never count, @room included')

    // Read on the phone (joined): the laptop's counts clear, across instances, within 1 s.
    const readAt = Date.now()
    phone.send({ type: 'read', room: 'lobby', id: last.id })
    await inboxFrame(laptop, 'lobby', (inbox) => inbox.unread === 0 && inbox.mentions === 0)
    t.ok(Date.now() - readAt < 1000, 'the read reached the other device within 1 s')
    await inboxFrame(phone, 'lobby', (inbox) => inbox.readSeq === 3 && inbox.lastRead === last.id)
    t.same((await inboxOf(cluster, 'ada')).totals, { unread: 0, mentions: 0, rooms: 0 })
    const tablet = await cluster.connect(1, { sub: 'ada', name: 'Ada' })
    t.equal((await cluster.join(tablet, 'lobby')).lastRead, last.id, 'a join carries the marker\'s id')
    await tablet.close()

    // Counts go on from the read: two more, one mentioning; then Ada's own message reads them all.
    await appendMessage(engine, app, 'lobby', BOB, 'again')
    await appendMessage(engine, app, 'lobby', BOB, '@Ada?', { mentions: ['ada'] })
    await inboxFrame(laptop, 'lobby', (inbox) => inbox.seq === 5 && inbox.unread === 2 && inbox.mentions === 1)
    t.match((await inboxOf(cluster, 'ada')).byRoom.get('lobby'), { seq: 5, readSeq: 3, unread: 2, mentions: 1 })
    await appendMessage(engine, app, 'lobby', ADA, 'here')
    await inboxFrame(laptop, 'lobby', (inbox) => inbox.seq === 6 && inbox.unread === 0 && inbox.mentions === 0)
    t.match((await inboxOf(cluster, 'ada')).byRoom.get('lobby'), { seq: 6, readSeq: 6, unread: 0, mentions: 0 }, 'an own send reads the room')
    t.notOk(phone.frames.some((f) => f.type === 'inbox' && (f.inbox as InboxEntry).seq > 3 && (f.inbox as InboxEntry).readSeq === 3),
      'the joined phone gets no inbox frame per message (it counts from the messages)')
  })

  t.test(`${kind}: a trimmed log keeps the counts`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 1, env: { ROOM_HISTORY: 3 } })
    const app = cluster.configs[0]!
    const ada = await cluster.connect(0, { sub: 'ada', name: 'Ada' })
    t.equal((await tryJoin(ada, 'small')).type, 'joined')
    let newest = { id: '', seq: 0 }
    for (let i = 1; i <= 10; i++) newest = await appendMessage(cluster.engine, app, 'small', BOB, `m${i}`, { mentions: i === 2 ? ['ada'] : [] })
    t.equal((await cluster.engine.logs.info('room-log:small')).length, 3, 'the log holds 3')
    t.match((await inboxOf(cluster, 'ada')).byRoom.get('small'), { seq: 10, unread: 10, mentions: 1, last: { id: newest.id, preview: 'm10' } },
      'all 10 count, trimmed ones and their mention too')
    await ada.waitFor((f) => f.type === 'message' && f.id === newest.id, 2000, 'the newest relayed')
    ada.send({ type: 'read', room: 'small', id: newest.id })
    await ada.waitFor((f) => f.type === 'inbox' && (f.inbox as InboxEntry).unread === 0)
    for (let i = 11; i <= 14; i++) await appendMessage(cluster.engine, app, 'small', BOB, `m${i}`)
    t.match((await inboxOf(cluster, 'ada')).byRoom.get('small'), { seq: 14, readSeq: 10, unread: 4, mentions: 0 }, '4 unread while the log holds 3')
  })

  t.test(`${kind}: a lost log (new epoch) counts the new log's messages`, { skip: kind === 'memory' ? 'a memory engine loses its logs only with the process' : singleRedisOnly('deletes the room log\'s keys') }, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 1 })
    const app = cluster.configs[0]!
    const ada = await cluster.connect(0, { sub: 'ada', name: 'Ada' })
    t.equal((await tryJoin(ada, 'lost')).type, 'joined')
    await appendMessage(cluster.engine, app, 'lost', BOB, 'one', { mentions: ['ada'] })
    const read = await appendMessage(cluster.engine, app, 'lost', BOB, 'two', { mentionsRoom: true })
    await ada.waitFor((f) => f.type === 'message' && f.id === read.id, 2000, 'relayed')
    ada.send({ type: 'read', room: 'lost', id: read.id })
    await ada.waitFor((f) => f.type === 'inbox' && (f.inbox as InboxEntry).readSeq === 2)
    await appendMessage(cluster.engine, app, 'lost', BOB, 'three', { mentions: ['ada'] })
    t.ok(await loseLog(cluster, 'lost') > 0, 'the log, its epoch and its counter are gone')
    await appendMessage(cluster.engine, app, 'lost', BOB, 'new one')
    await appendMessage(cluster.engine, app, 'lost', BOB, 'new two')
    t.match((await inboxOf(cluster, 'ada')).byRoom.get('lost'), { seq: 2, readSeq: 0, unread: 2, mentions: 0, lastRead: null, last: { preview: 'new two' } },
      'numbering started over: the old marker and mentions count for nothing, the new log\'s 2 messages are unread')
  })
}
