import { Cluster } from 'ioredis'
import t from 'tap'
import { startRedisCluster } from '@webchat/testkit'
import { connectRedisEngine } from '../src/index.js'
import { countersContract } from './contract/counters.js'
import { kvContract } from './contract/kv.js'
import { logsContract } from './contract/logs.js'
import { mapsContract } from './contract/maps.js'
import { presenceContract } from './contract/presence.js'
import { pubsubContract } from './contract/pubsub.js'
import { queueDeadLettersContract } from './contract/queue-dead-letters.js'
import { queuesContract, takeWhenDue } from './contract/queues.js'
import { collector, setupWith, sleep, until, type MakeEngine } from './contract/support.js'

const cluster = await startRedisCluster(t)
const clusterNodes = cluster.nodes.map((node) => `${node.host}:${node.port}`)
let namespaces = 0
const makeEngine: MakeEngine = async (options) =>
  await connectRedisEngine({ clusterNodes, prefix: `c${namespaces++}:`, ...options })

t.test('redis cluster: every family keeps the engine contract', async (t) => {
  const setup = setupWith(makeEngine)
  kvContract(t, setup)
  countersContract(t, setup)
  mapsContract(t, setup)
  logsContract(t, setup)
  presenceContract(t, setup)
  pubsubContract(t, setup)
  queuesContract(t, setup)
  queueDeadLettersContract(t, setup)
})

t.test('redis cluster: a queue\'s two streams share its slot, and a stopped instance\'s entry goes to another', async (t) => {
  const prefix = `queue${namespaces++}:`
  const [stopped, alive] = await Promise.all([connectRedisEngine({ clusterNodes, prefix }), connectRedisEngine({ clusterNodes, prefix })])
  t.teardown(() => alive.close())
  const admin = new Cluster(cluster.nodes)
  t.teardown(() => { admin.disconnect() })
  const retry = { count: 1, retryAfterMs: [200] }
  const id = await alive.queues.push('mails', 'mail', 10)
  t.same(await stopped.queues.take('mails', 'instance-1', retry), [{ id, data: 'mail', attempt: 1 }])
  await stopped.close()
  t.same(await alive.queues.take('mails', 'instance-2', retry), [], 'not before the delay')
  t.same(await takeWhenDue(alive.queues, 'mails', 'instance-2', retry), [{ id, data: 'mail', attempt: 2 }], 'handed to the live instance')
  t.equal(await alive.queues.bury('mails', id!, 'bounced', 10), true)
  const keys = [`${prefix}queue:{mails}`, `${prefix}queue-dead:{mails}`]
  const [slot, deadSlot] = await Promise.all(keys.map(async (key) => await cluster.keySlot(key)))
  t.equal(deadSlot, slot, 'the dead letters in the queue\'s slot')
  t.equal(await admin.exists(...keys), 2, 'both kept there (a multi-key command across slots would be refused)')
})

t.test('redis cluster: room traffic is sharded pub/sub on the shard that owns the room', async (t) => {
  const prefix = `shard${namespaces++}:`
  // As the chat service does: a room's log and channel share the room as hash tag.
  const hashTag = (name: string): string => /^(?:log|channel):(.+)$/.exec(name)?.[1] ?? name
  const engine = await connectRedisEngine({ clusterNodes, prefix, hashTag })
  t.teardown(() => engine.close())
  const admin = new Cluster(cluster.nodes)
  t.teardown(() => { admin.disconnect() })
  const rooms = Array.from({ length: 12 }, (_, i) => `r${i}`)
  const seen = collector()
  for (const room of rooms) await engine.pubsub.subscribe(`channel:${room}`, seen.handler)
  for (const room of rooms) await engine.logs.append(`log:${room}`, room, { maxLen: 10, publish: { channel: `channel:${room}`, before: `${room} `, after: '' } })
  await until(() => seen.messages.length === rooms.length, 5000, 'every append delivered')

  const owners = new Set<number>()
  for (const room of rooms) {
    const channel = `${prefix}{${room}}channel:${room}`
    const slot = Number(await admin.cluster('KEYSLOT', channel))
    t.equal(Number(await admin.cluster('KEYSLOT', `${prefix}log:{${room}}log:${room}`)), slot, `${room}: log and channel in one slot`)
    const owner = await cluster.primaryForSlot(slot)
    owners.add(owner.port)
    for (const node of admin.nodes('master')) {
      const held = await node.call('PUBSUB', 'SHARDCHANNELS', channel) as string[]
      t.equal(held.length, node.options.port === owner.port ? 1 : 0, `${room}: subscribed on its owner only`)
    }
  }
  t.equal(owners.size, 3, 'the rooms spread over the three primaries')
  await t.rejects(engine.logs.append('log:r1', 'x', { maxLen: 10, publish: { channel: 'channel:r2', before: '', after: '' } }), TypeError, 'a channel outside the log\'s slot is refused')
})

t.test('redis cluster: a killed primary interrupts the channels of its shard only, and each resumes once held again', async (t) => {
  // A cluster of its own: the other failover test takes one replica away.
  const own = await startRedisCluster(t)
  const prefix = 'ps:'
  const engine = await connectRedisEngine({ clusterNodes: own.nodes.map((node) => `${node.host}:${node.port}`), prefix })
  t.teardown(() => engine.close())
  const channels = Array.from({ length: 12 }, (_, i) => `ch${i}`)
  const seen = collector()
  for (const channel of channels) await engine.pubsub.subscribe(channel, seen.handler)
  const interrupted: string[] = []
  const resumed: string[] = []
  engine.pubsub.onInterrupt((scope) => { interrupted.push(...(scope ?? ['*'])) })
  let killedAt = Infinity
  const resumedAfterMs: number[] = []
  engine.pubsub.onResume((scope) => {
    for (const channel of scope ?? ['*']) t.ok(interrupted.includes(channel), `${channel} resumed after its interrupt`)
    resumed.push(...(scope ?? ['*']))
    resumedAfterMs.push(Date.now() - killedAt)
  })

  const victim = await own.primaryForSlot(await own.keySlot(`${prefix}{ch0}`))
  const onVictim: string[] = []
  for (const channel of channels) {
    if ((await own.primaryForSlot(await own.keySlot(`${prefix}{${channel}}`))).port === victim.port) onVictim.push(channel)
  }
  killedAt = Date.now()
  await own.kill(victim)
  await until(() => interrupted.length > 0, 5000, 'onInterrupt')
  await own.waitHealthy(20_000)
  await until(() => onVictim.every((channel) => resumed.includes(channel)), 20_000, 'onResume of every channel of the lost shard')
  t.same([...new Set(interrupted)].sort(), [...onVictim].sort(), `exactly the channels of the killed primary were interrupted (${onVictim.length} of ${channels.length})`)
  t.same([...new Set(resumed)].sort(), [...onVictim].sort(), 'and resumed')
  // Resumed means subscribed again on the promoted replica, which cannot take over before the
  // node timeout (1 s) has passed: a resume any sooner would be a promise nothing backs.
  t.ok(Math.min(...resumedAfterMs) >= 1000, `resumed ${resumedAfterMs.join(', ')} ms after the kill, not before a new owner could exist`)
  // And the first publish the new owner takes reaches this engine.
  const admin = new Cluster(own.nodes.filter((node) => node.port !== victim.port))
  t.teardown(() => { admin.disconnect() })
  for (const channel of onVictim) {
    let receivers: number | undefined
    await until(async () => {
      receivers = await admin.spublish(`${prefix}{${channel}}`, `probe ${channel}`).then(Number, () => undefined)
      return receivers !== undefined
    }, 10_000, `a publish on ${channel}'s new owner`)
    t.equal(receivers, 1, `${channel}: the new owner's first publish after the resume has its subscriber`)
  }
  // Every channel, on every shard, the promoted replica's included, delivers again.
  await until(async () => {
    await Promise.all(channels.map(async (channel) => await engine.pubsub.publish(channel, channel).catch(() => {})))
    await sleep(100)
    return channels.every((channel) => seen.messages.includes(channel))
  }, 10_000, 'delivery on every channel after the failover')
  t.pass('every channel delivers after the failover')
})

t.test('redis cluster: url or clusterNodes, not both nor neither', async (t) => {
  await t.rejects(connectRedisEngine({ url: 'redis://127.0.0.1:1', clusterNodes }), TypeError)
  await t.rejects(connectRedisEngine({}), TypeError)
})

t.test('redis cluster: keys spread over the primaries, and survive the loss of one', async (t) => {
  const engine = await connectRedisEngine({ clusterNodes, prefix: 'failover:' })
  t.teardown(() => engine.close())
  const admin = new Cluster(cluster.nodes)
  t.teardown(() => { admin.disconnect() })
  const names = Array.from({ length: 12 }, (_, i) => `key-${i}`)
  for (const name of names) await engine.kv.set(name, name)
  const slots = await Promise.all(names.map(async (name) => Number(await admin.cluster('KEYSLOT', `failover:kv:${name}`))))
  const owners = await Promise.all(slots.map(async (slot) => (await cluster.primaryForSlot(slot)).port))
  t.equal(new Set(owners).size, 3, 'on all three primaries')

  // Replicated first, so the promoted replica has them: WAIT counts only the waiting connection's
  // writes, so the admin writes the same values after the engine (on every primary, in order) and waits.
  for (const name of names) await admin.set(`failover:kv:${name}`, name)
  for (const node of admin.nodes('master')) t.equal(await node.call('WAIT', 1, 1000), 1, `replicated from ${String(node.options.port)}`)
  const victim = await cluster.primaryForSlot(slots[0] as number)
  await cluster.kill(victim)
  await cluster.waitHealthy(20_000)
  // A command in flight on the dead primary's connection fails (it may have run: never resent), and
  // the next ones go to the new owner once the slot map is refreshed (within a second).
  await until(async () => (await Promise.all(names.map(async (name) => await engine.kv.get(name).catch(() => null) === name))).every(Boolean), 10_000, 'reads after failover')
  for (const name of names) t.equal(await engine.kv.get(name), name, `${name} still there`)
  await engine.kv.set('after', 'yes')
  t.equal(await engine.kv.get('after'), 'yes', 'and writes go on')
})
