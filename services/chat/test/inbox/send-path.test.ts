import t from 'tap'
import type { InboxEntry, InboxTotals, RoomListEntry } from '@webchat/shared'
import type { TestClient } from '../helpers/client.js'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { ask } from '../helpers/rooms.js'
import { names } from '../../src/names.js'

// The send path's two calls into the inbox, through real `send` frames: the sender's own message
// reads the room up to it, and mentions (by id and `@room`) count for those they name.

const listed = async (client: TestClient, room: string): Promise<{ inbox: InboxEntry, totals: InboxTotals }> => {
  const answer = await ask(client, { type: 'list_rooms' })
  const entry = (answer.rooms as RoomListEntry[]).find((e) => e.room.id === room)
  return { inbox: entry!.inbox!, totals: answer.totals as InboxTotals }
}

for (const kind of ENGINES) {
  t.test(`${kind}: own messages never count; mentions by id and @room count for those they name`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2 })
    const ada = await cluster.connect(0, { sub: 'ada', name: 'Ada', sid: 'a1' })
    const adaPhone = await cluster.connect(1, { sub: 'ada', name: 'Ada', sid: 'a2' })
    const bob = await cluster.connect(1, { sub: 'bob', name: 'Bob' })
    const cy = await cluster.connect(0, { sub: 'cy', name: 'Cy' })
    const room = ((await ask(ada, { type: 'create', title: 'Counts' })).room as { id: string }).id
    for (const user of ['bob', 'cy']) t.equal((await ask(ada, { type: 'invite', room, user })).type, 'done')
    for (const client of [ada, bob, cy]) await cluster.join(client, room)
    let n = 0
    const send = async (client: TestClient, text: string, extra: Record<string, unknown> = {}): Promise<string> => {
      const clientMsgId = `m${++n}`
      client.send({ type: 'send', room, text, clientMsgId, ...extra })
      const answer = await client.waitFor((f) => (f.type === 'ack' && f.clientMsgId === clientMsgId) || (f.type === 'error' && f.ref === clientMsgId))
      t.equal(answer.type, 'ack', `${text}: acknowledged`)
      return answer.id as string
    }
    await send(ada, 'one')
    await send(ada, 'two')
    t.match((await listed(adaPhone, room)).inbox, { seq: 2, readSeq: 2, unread: 0, mentions: 0 }, 'the sender\'s own messages: nothing unread, on their other device too')
    t.match((await listed(bob, room)).inbox, { seq: 2, unread: 2, mentions: 0 })

    await send(bob, 'hi @Ada', { mentions: ['ada'] })
    await send(ada, '@room listen', { mentionsRoom: true })
    const bobs = await listed(bob, room)
    t.match(bobs.inbox, { seq: 4, unread: 1, mentions: 1, last: { preview: '@room listen' } }, 'bob: his own message read the room; @room counts')
    t.match(bobs.totals, { unread: 1, mentions: 1, rooms: 1 })
    t.match((await listed(cy, room)).inbox, { seq: 4, unread: 4, mentions: 1 }, 'cy: everything unread, one @room mention (not bob\'s mention of ada)')
    t.match((await listed(adaPhone, room)).inbox, { unread: 0, mentions: 0 }, 'ada\'s mention by bob came before her own message: read by it')

    await send(bob, 'and you @Cy', { mentions: ['cy'] })
    const last = await cy.waitFor((f) => f.type === 'message' && f.text === 'and you @Cy')
    t.match((await listed(cy, room)).inbox, { unread: 5, mentions: 2 })
    cy.send({ type: 'read', room, id: last.id })
    t.match((await cy.waitFor((f) => f.type === 'inbox' && f.room === room)).inbox, { unread: 0, mentions: 0, lastRead: last.id }, 'reading clears both counts')

    await send(bob, 'one more @Cy', { mentions: ['cy'] })
    t.same(Object.keys(await cluster.engine.maps.all(names.mentions('cy'))), [room], 'an unread mention is kept for cy')
    t.equal((await ask(ada, { type: 'remove', room, user: 'cy' })).type, 'done')
    t.same(await cluster.engine.maps.all(names.mentions('cy')), {}, 'removed from the room: its mentions go with it')
  })
}
