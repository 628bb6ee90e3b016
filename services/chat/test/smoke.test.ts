import t from 'tap'
import { ENGINES, startCluster } from './helpers/cluster.js'

for (const kind of ENGINES) {
  t.test(`${kind}: two clients exchange a message`, async (t) => {
    const cluster = await startCluster(t, kind)
    const a = await cluster.connect(0, { sub: 'alice', name: 'Alice', sid: 'sa' })
    const b = await cluster.connect(1, { sub: 'bob', name: 'Bob', sid: 'sb' })
    await cluster.join(a, 'general')
    await cluster.join(b, 'general')
    a.send({ type: 'send', room: 'general', text: 'hello', clientMsgId: 'm1' })
    const ack = await a.waitFor((f) => f.type === 'ack')
    const got = await b.waitFor((f) => f.type === 'message')
    t.equal(got.id, ack.id)
    t.equal(got.text, 'hello')
  })
}
