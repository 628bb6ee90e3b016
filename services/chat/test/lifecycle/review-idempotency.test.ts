import t from 'tap'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { act, members, say } from '../helpers/lifecycle.js'

// Review of issue 17: a change retried with its clientMsgId (a reconnect that lost the ack) is
// acknowledged with the id the change got, like a send, whatever the message's state now.

for (const kind of ENGINES) {
  t.test(`${kind}: a retried reaction gets the first ack's id, also from another connection`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2 })
    const room = 'react-retry'
    const [ada, bob] = await members(cluster, room, ['ada', 'bob'])
    const id = await say(ada, room, 'react to me')
    const first = await act(bob, { type: 'react', room, id, emoji: '👍', clientMsgId: 'r1' })
    t.match(first, { type: 'ack', clientMsgId: 'r1' })
    t.not(first.id, id, 'the reaction got an id of its own')
    t.match(await act(bob, { type: 'react', room, id, emoji: '👍', clientMsgId: 'r1' }), { type: 'ack', id: first.id }, 'the retry: the same id')
    const again = await cluster.connect(0, { sub: 'bob', sid: 'bob-2' })
    await cluster.join(again, room)
    t.match(await act(again, { type: 'react', room, id, emoji: '👍', clientMsgId: 'r1' }), { type: 'ack', id: first.id }, 'after a reconnect: the same id')
    const removal = await act(bob, { type: 'react', room, id, emoji: '👍', remove: true, clientMsgId: 'r2' })
    t.match(await act(bob, { type: 'react', room, id, emoji: '👍', remove: true, clientMsgId: 'r2' }), { type: 'ack', id: removal.id }, 'a retried removal: its id')
  })
}
