import { Redis } from 'ioredis'
import t from 'tap'
import type { Frame, TestClient } from '../helpers/client.js'
import { singleRedisOnly, startCluster } from '../helpers/cluster.js'

let refs = 0
async function ask (client: TestClient, frame: Record<string, unknown>): Promise<Frame> {
  const ref = `s${++refs}`
  client.send({ ...frame, ref })
  return await client.waitFor((f) => f.ref === ref && f.type !== 'member')
}

t.test('redis: a removal published while an instance\'s subscriber was away still closes the room there', { skip: singleRedisOnly('CLIENT KILL of its subscriber connections') }, async (t) => {
  const cluster = await startCluster(t, 'redis')
  const ada = await cluster.connect(0, { sub: 'ada' })
  const bob = await cluster.connect(1, { sub: 'bob' })
  const room = ((await ask(ada, { type: 'create', title: 'Ops' })).room as { id: string }).id
  await ask(ada, { type: 'invite', room, user: 'bob' })
  await cluster.join(bob, room)
  await ask(ada, { type: 'invite', room, user: 'cy' })

  const admin = new Redis(cluster.redis!.url)
  t.teardown(() => admin.disconnect())
  await admin.client('KILL', 'TYPE', 'pubsub')
  // Straight away, before the subscribers are back: the notices to bob's instance are lost.
  await ask(ada, { type: 'remove', room, user: 'bob' })
  const left = await bob.waitFor((f) => f.type === 'left' && f.room === room, 10_000)
  t.match(left, { reason: 'removed' }, 'closed once the instance is back and asked the roster again')
  t.match(await bob.waitFor((f) => f.type === 'room_removed' && f.room === room), { reason: 'removed' })
  bob.send({ type: 'send', room, text: 'still here?', clientMsgId: 'late' })
  t.match(await bob.waitFor((f) => f.ref === 'late'), { code: 'not_joined' })
})

t.test('redis: a ban from a public room published while an instance\'s subscriber was away still closes it there', { skip: singleRedisOnly('CLIENT KILL of its subscriber connections') }, async (t) => {
  const cluster = await startCluster(t, 'redis')
  const ada = await cluster.connect(0, { sub: 'ada' })
  const bob = await cluster.connect(1, { sub: 'bob' })
  const room = 'square'
  await cluster.join(ada, room)
  await cluster.join(bob, room)

  const admin = new Redis(cluster.redis!.url)
  t.teardown(() => admin.disconnect())
  await admin.client('KILL', 'TYPE', 'pubsub')
  await ask(ada, { type: 'ban', room, user: 'bob' })
  t.match(await bob.waitFor((f) => f.type === 'left' && f.room === room, 10_000), { type: 'left', room }, 'closed once the instance is back and asked the roster again')
  bob.send({ type: 'send', room, text: 'still here?', clientMsgId: 'late' })
  t.match(await bob.waitFor((f) => f.ref === 'late'), { code: 'not_joined' })
  ada.send({ type: 'send', room, text: 'ada stays', clientMsgId: 'ada-stays' })
  // Her own message may come back before its ack: wait for the answer, an ack or a refusal.
  t.match(await ada.waitFor((f) => (f.type === 'ack' && f.clientMsgId === 'ada-stays') || (f.type === 'error' && f.ref === 'ada-stays')), { type: 'ack' }, 'the owner\'s socket kept the room')
})

t.test('redis: a public room the store lost is made again for everyone still in it, whichever instance gets there first', { skip: singleRedisOnly('FLUSHALL and CLIENT KILL on its one server') }, async (t) => {
  const cluster = await startCluster(t, 'redis', { instances: 2 })
  const room = 'plaza'
  const people = [await cluster.connect(0, { sub: 'ada' }), await cluster.connect(1, { sub: 'bob' }), await cluster.connect(0, { sub: 'cy' }), await cluster.connect(1, { sub: 'dee' })]
  for (const person of people) await cluster.join(person, room)

  const admin = new Redis(cluster.redis!.url)
  t.teardown(() => admin.disconnect())
  // Redis restarted without persistence: the roster and the room record are gone; both
  // instances resubscribe and check every socket's rooms at once.
  await admin.flushall()
  await admin.client('KILL', 'TYPE', 'pubsub')
  await new Promise((resolve) => setTimeout(resolve, 1500))
  t.same(people.flatMap((p) => p.frames.filter((f) => f.type === 'left' || f.type === 'room_removed')), [], 'nobody was told they left')
  const members = (await ask(people[1]!, { type: 'list_members', room })).members as Array<{ user: { id: string } }>
  t.same(members.map((m) => m.user.id).sort(), ['ada', 'bob', 'cy', 'dee'], 'the roster holds everyone again')
  people[0]!.send({ type: 'send', room, text: 'after the loss', clientMsgId: 'after' })
  for (const person of people) {
    t.match(await person.waitFor((f) => f.type === 'message' && f.text === 'after the loss'), { room }, 'delivered to every socket')
  }
})
