import { Cluster } from 'ioredis'
import t from 'tap'
import { startRedisCluster } from '@webchat/testkit'
import { connectRedisEngine } from '../src/index.js'
import { countersContract } from './contract/counters.js'
import { kvContract } from './contract/kv.js'
import { logsContract } from './contract/logs.js'
import { mapsContract } from './contract/maps.js'
import { setupWith, until, type MakeEngine } from './contract/support.js'

// The families that are cluster-safe so far (one key per command or script, or a log's keys under
// one hash tag); presence and pub/sub are not yet (issue 16).
const cluster = await startRedisCluster(t)
const clusterNodes = cluster.nodes.map((node) => `${node.host}:${node.port}`)
let namespaces = 0
const makeEngine: MakeEngine = async (options) =>
  await connectRedisEngine({ clusterNodes, prefix: `c${namespaces++}:`, ...options })

t.test('redis cluster: key/value, counters, maps and logs keep the engine contract', async (t) => {
  const setup = setupWith(makeEngine)
  kvContract(t, setup)
  countersContract(t, setup)
  mapsContract(t, setup)
  logsContract(t, setup)
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
  await until(async () => await engine.kv.get(names[0] as string).catch(() => null) === names[0], 10_000, 'read after failover')
  for (const name of names) t.equal(await engine.kv.get(name), name, `${name} still there`)
  await engine.kv.set('after', 'yes')
  t.equal(await engine.kv.get('after'), 'yes', 'and writes go on')
})
