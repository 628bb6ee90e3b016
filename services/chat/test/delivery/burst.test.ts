import t from 'tap'
import { ENGINES, startCluster } from '../helpers/cluster.js'

for (const kind of ENGINES) {
  t.test(`${kind}: a burst arrives complete and in order, sharing messages`, async (t) => {
    const cluster = await startCluster(t, kind)
    const a = await cluster.connect(0, { sub: 'burst-a', sid: 'ba' })
    const b = await cluster.connect(1, { sub: 'burst-b', sid: 'bb' })
    await cluster.join(a, 'burst')
    await cluster.join(b, 'burst')
    const ids = await Promise.all(Array.from({ length: 60 }, async (_, i) => await cluster.post('burst', `m${i}`, i % 2)))
    for (const client of [a, b]) {
      const got = await client.waitForCount((f) => f.type === 'message', 60, 10_000)
      t.same(got.map((m) => m.id), [...ids].sort((x, y) => x.localeCompare(y, 'en', { numeric: true })), 'every message once, in log order')
    }
    // Each message went out together with others at least once (one write per turn, not per frame).
    const framesAtB = b.frames.length
    t.ok(b.messages() < framesAtB, `${framesAtB} frames in ${b.messages()} WebSocket messages`)
  })
}
