import t from 'tap'
import type { Frame, TestClient } from '../helpers/client.js'
import { startCluster } from '../helpers/cluster.js'
import { names } from '../../src/names.js'
import { bucketOf } from '../../src/user-events.js'

let refs = 0
async function ask (client: TestClient, frame: Record<string, unknown>): Promise<Frame> {
  const ref = `s${++refs}`
  client.send({ ...frame, ref })
  return await client.waitFor((f) => f.ref === ref && f.type !== 'member', 10_000)
}

/**
 * On a Redis Cluster, a shard failing over loses the notices published on its channels meanwhile.
 * When it is back, the instances check again the memberships whose notices (the user's event
 * bucket) or room it held, and only those.
 */
t.test('on a cluster: a removal published while the shard of the user\'s event bucket fails over still closes the room', async (t) => {
  const cluster = await startCluster(t, 'redis', { redis: 'cluster' })
  const redis = cluster.redisCluster!
  const ownerOf = async (key: string): Promise<number> => (await redis.primaryForSlot(await redis.keySlot(`${cluster.prefix}${key}`))).port
  const bucketShard = async (user: string): Promise<number> => await ownerOf(`{${names.userEvents(bucketOf(user))}}`)
  const indexShard = async (user: string): Promise<number> => await ownerOf(`map:${names.userRooms(user)}`)

  // Bob's event bucket on a shard that holds neither user's room index, so that the removal itself
  // can be written while that shard is down.
  let bob = ''
  for (let i = 0; bob === ''; i++) {
    const candidate = `bob-${i}`
    const shard = await bucketShard(candidate)
    if (shard !== await indexShard(candidate) && shard !== await indexShard('ada')) bob = candidate
  }
  const victim = await bucketShard(bob)
  const ada = await cluster.connect(0, { sub: 'ada' })
  const bobOn1 = await cluster.connect(1, { sub: bob })
  // A room whose record lives elsewhere too, and a second one on the victim's shard (checked again).
  let room = ''
  let sameShardRoom = ''
  while (room === '' || sameShardRoom === '') {
    const id = ((await ask(ada, { type: 'create', title: 'Ops' })).room as { id: string }).id
    const onVictim = await ownerOf(`map:${names.roomRecord(id)}`) === victim
    if (onVictim && sameShardRoom === '') sameShardRoom = id
    if (!onVictim && room === '') room = id
  }
  for (const id of [room, sameShardRoom]) {
    await ask(ada, { type: 'invite', room: id, user: bob })
    await cluster.join(bobOn1, id)
  }

  const seen = new WeakSet<Frame>()
  await redis.kill(await redis.primaryForSlot(await redis.keySlot(`${cluster.prefix}{${names.userEvents(bucketOf(bob))}}`)))
  // Straight away, while its shard is down: the notice on Bob's bucket cannot be published.
  await ask(ada, { type: 'remove', room, user: bob })
  const left = await bobOn1.waitFor((f) => f.type === 'left' && f.room === room, 30_000)
  t.match(left, { reason: 'removed' }, 'closed once the shard is back and the instance asked the roster again')
  bobOn1.send({ type: 'send', room, text: 'still here?', clientMsgId: 'late' })
  t.match(await bobOn1.waitFor((f) => f.ref === 'late', 10_000), { code: 'not_joined' })
  await redis.waitHealthy(30_000)
  // Until the instance's slot map shows the promoted replica (refreshed every second) a send there
  // is refused `unavailable`, and a client sends it again, as here.
  let answer: Frame | undefined
  for (let attempt = 0; attempt < 20 && answer?.type !== 'ack'; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250))
    bobOn1.send({ type: 'send', room: sameShardRoom, text: 'and here?', clientMsgId: 'kept' })
    answer = await bobOn1.waitFor((f) => (f.type === 'ack' && f.clientMsgId === 'kept') || (f.type === 'error' && f.ref === 'kept' && !seen.has(f)), 10_000)
    seen.add(answer)
  }
  t.match(answer, { type: 'ack', id: String }, 'the room on the failed shard, checked again, is kept')
})
