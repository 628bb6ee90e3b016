import t from 'tap'
import { LIMITS } from '@webchat/shared'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { act, historyOf, httpMessages, say } from '../helpers/lifecycle.js'

/**
 * Changes are log entries: a burst of them after the newest messages (reactions toggled on and
 * off, within every rate) must not hide the room's messages from a join or a history page.
 */
for (const kind of ENGINES) {
  t.test(`${kind}: a run of changes after the newest messages does not empty the first page`, async (t) => {
    const cluster = await startCluster(t, kind)
    const room = 'flooded'
    const users = await Promise.all(Array.from({ length: 13 }, async (_, i) => await cluster.connect(i, { sub: `u${i}`, sid: `s${i}` })))
    for (const u of users) await cluster.join(u, room)
    const texts = ['alpha', 'beta', 'gamma']
    const ids = []
    for (const text of texts) ids.push(await say(users[0]!, room, text))
    // Each user toggles a reaction on and off, within its connection's burst (LIMITS.sendBurst),
    // one change after the other (concurrent ones are another test: reactions.test.ts).
    const perUser = LIMITS.sendBurst
    for (const u of users.slice(1)) {
      for (let i = 0; i < perUser; i++) t.equal((await act(u, { type: 'react', room, id: ids[2], emoji: '👍', remove: i % 2 === 1 })).type, 'ack')
    }
    const entries = (await cluster.engine.logs.info(`room-log:${room}`)).length
    t.equal(entries, texts.length + (users.length - 1) * perUser, `${entries} entries: ${texts.length} messages and the changes`)

    const joined = await cluster.join(await cluster.connect(0, { sub: 'late', sid: 'late' }), room)
    t.same((joined.messages as Array<{ text: string }>).map((m) => m.text), texts, 'a fresh join shows the messages')
    t.same((await httpMessages(cluster, room)).map((m) => m.text), texts, 'and so does HTTP history')
    t.same((await historyOf(users[1]!, room)).map((m) => m.text), texts, 'and a history page')
  })
}
