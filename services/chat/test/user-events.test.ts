import t from 'tap'
import { bucketOf, decodeUserEvent, encodeUserEvent, USER_EVENT_BUCKETS } from '../src/user-events.js'
import { ENGINES, SERVICE_KEY, startCluster } from './helpers/cluster.js'

t.test('bucket payloads name their user and carry the frame as is', async (t) => {
  const frame = '{"type":"event","data":{"a":"b:c"}}'
  t.same(decodeUserEvent(encodeUserEvent('u-1_x', frame)), { userId: 'u-1_x', frame })
  for (const bad of ['', ':x', 'x:abc', '5:abc', '0:{}', '-1:a{}']) t.equal(decodeUserEvent(bad), null, JSON.stringify(bad))
  const seen = new Set(Array.from({ length: 5000 }, (_, i) => bucketOf(`user-${i}`)))
  t.equal(seen.size, USER_EVENT_BUCKETS, 'users spread over every bucket')
  t.equal(bucketOf('same'), bucketOf('same'))
  const groups = Array.from({ length: 100_000 }, (_, i) => bucketOf(`user-${i}`, 4096))
  t.equal(new Set(groups).size, 4096, 'any count of buckets: used tokens spread over 4,096')
  t.equal(Math.max(...groups), 4095)
})

for (const kind of ENGINES) {
  t.test(`${kind}: an event reaches its user only, not others of its bucket`, async (t) => {
    const cluster = await startCluster(t, kind)
    let neighbour = 'n0'
    for (let i = 0; bucketOf(neighbour) !== bucketOf('target'); i++) neighbour = `n${i}`
    const target = await cluster.connect(1, { sub: 'target', sid: 'ts' })
    const other = await cluster.connect(1, { sub: neighbour, sid: 'ns' })
    const response = await fetch(`${cluster.httpUrl(0)}/api/users/target/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { n: 1 } })
    })
    t.equal(response.status, 202)
    t.same(await target.waitFor((f) => f.type === 'event'), { type: 'event', data: { n: 1 } })
    await new Promise((resolve) => setTimeout(resolve, 100))
    t.equal(other.frames.filter((f) => f.type === 'event').length, 0, `${neighbour} shares the bucket, gets nothing`)
  })
}
