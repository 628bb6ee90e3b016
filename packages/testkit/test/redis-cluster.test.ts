import { Cluster } from 'ioredis'
import { existsSync } from 'node:fs'
import { createConnection } from 'node:net'
import t from 'tap'
import { parseClusterNodes } from '../src/cluster-nodes.js'
import { startRedisCluster } from '../src/index.js'

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function refused (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    socket.once('connect', () => { socket.destroy(); resolve(false) })
    socket.once('error', () => resolve(true))
  })
}

t.test('parseClusterNodes reads roles, failures and slot ranges', async (t) => {
  const nodes = parseClusterNodes([
    'a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460 9000 [93-<-b2]',
    'b2 127.0.0.1:7002@17002 master,fail - 0 0 2 disconnected',
    'c3 127.0.0.1:7003@17003 slave a1 0 0 1 connected',
    ''
  ].join('\n'))
  t.same(nodes, [
    { id: 'a1', port: 7001, primary: true, failed: false, slots: [[0, 5460], [9000, 9000]] },
    { id: 'b2', port: 7002, primary: true, failed: true, slots: [] },
    { id: 'c3', port: 7003, primary: false, failed: false, slots: [] }
  ])
})

t.test('a local Redis Cluster serves keys across slots and survives the loss of a primary', async (t) => {
  const cluster = await startRedisCluster(t)
  const ports = cluster.nodes.map((node) => node.port)
  t.equal(cluster.nodes.length, 6, 'six nodes')
  t.equal((await cluster.primaries()).length, 3, 'three primaries')
  t.equal((await cluster.replicas()).length, 3, 'three replicas')
  const pids = cluster.nodes.map((node) => node.pid)
  t.equal(pids.filter(alive).length, 6, 'six live redis-server processes')

  const client = new Cluster(cluster.nodes, { clusterRetryStrategy: () => 200, redisOptions: { connectTimeout: 1000 } })
  t.teardown(() => { client.disconnect() })
  const keys = ['{room:a}:log', '{room:b}:log', '{room:c}:log', '{user:1}:rooms', '{user:2}:rooms', 'plain']
  const slots = await Promise.all(keys.map(async (key) => Number(await client.cluster('KEYSLOT', key))))
  const owners = new Set(await Promise.all(slots.map(async (slot) => (await cluster.primaryForSlot(slot)).port)))
  t.ok(owners.size >= 2, `the keys live on ${owners.size} primaries`)
  for (const [i, key] of keys.entries()) {
    await client.set(key, `value of ${key}`)
    // Replicated before the kill, so the promoted replica has it.
    t.equal(await waitOneReplica(client, (await cluster.primaryForSlot(slots[i] as number)).port), 1, `${key} reached a replica`)
  }
  for (const key of keys) t.equal(await client.get(key), `value of ${key}`, `${key} read back`)

  const victim = await cluster.primaryForSlot(slots[0] as number)
  await cluster.kill(victim)
  t.notOk(alive(victim.pid), 'the primary is gone')
  await cluster.waitHealthy(20_000)
  const promoted = await cluster.primaryForSlot(slots[0] as number)
  t.not(promoted.port, victim.port, 'a replica now serves the slot')
  t.ok((await cluster.primaries()).some((node) => node.port === promoted.port), 'the replica was promoted')
  t.equal(await client.get(keys[0] as string), `value of ${keys[0] as string}`, 'the key is still readable')

  client.disconnect()
  await cluster.close()
  t.same(pids.filter(alive), [], 'no process left')
  t.same(cluster.nodes.filter((node) => existsSync(node.dir)), [], 'their directories are removed')
  t.same((await Promise.all(ports.map(refused))).filter((r) => !r), [], 'nothing listens on its ports any more')
})

/**
 * `WAIT 1 1000` on the cluster client's own connection to the primary on `port`: WAIT counts the
 * replicas that acknowledged this connection's writes, so it must be the connection that wrote.
 */
async function waitOneReplica (client: Cluster, port: number): Promise<number> {
  const node = client.nodes('master').find((redis) => redis.options.port === port)
  if (node === undefined) throw new Error(`the cluster client has no connection to ${port}`)
  return Number(await node.call('WAIT', 1, 1000))
}

t.test('a cluster that cannot be created fails with redis-cli\'s reason', async (t) => {
  // Two primaries are fewer than Redis Cluster accepts: redis-cli refuses, the nodes are stopped.
  await t.rejects(startRedisCluster(undefined, { primaries: 2, replicas: 0, readyTimeoutMs: 10_000 }),
    /redis-cli --cluster create failed .*at least 3 master/s)
})
