import t from 'tap'
import { ENGINES, startCluster } from '../helpers/cluster.js'

// A public room enters the user's list by the join itself (its notice may come after the join is
// done): a joined connection then gets the room's messages, never `inbox` frames for them too.

for (const kind of ENGINES) {
  t.test(`${kind}: joining a public room makes no inbox frames for its messages`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2 })
    const ada = await cluster.connect(0, { sub: 'ada', name: 'Ada' })
    const bob = await cluster.connect(1, { sub: 'bob', name: 'Bob' })
    await cluster.join(ada, 'square')
    await cluster.join(bob, 'square')
    await ada.waitFor((f) => f.type === 'room')
    await bob.waitFor((f) => f.type === 'room')
    await new Promise((resolve) => setTimeout(resolve, 300))
    for (let i = 0; i < 5; i++) bob.send({ type: 'send', room: 'square', text: `m${i}`, clientMsgId: `b${i}` })
    await ada.waitForCount((f) => f.type === 'message', 5)
    await new Promise((resolve) => setTimeout(resolve, 300))
    t.same(ada.frames.filter((f) => f.type === 'inbox'), [], 'the joined connection counts from the messages themselves')
  })
}
