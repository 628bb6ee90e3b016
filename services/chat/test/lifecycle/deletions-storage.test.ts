import t from 'tap'
import { singleRedisOnly, startCluster } from '../helpers/cluster.js'
import { act, members, redisAdmin, say } from '../helpers/lifecycle.js'

// What a deletion leaves in Redis itself: read with a client of its own, on one redis-server.

t.test('redis: a deleted message\'s text is in no key of the room, not even after an edit', { skip: singleRedisOnly('reads the keys of its one server') }, async (t) => {
  const cluster = await startCluster(t, 'redis')
  const { admin, logKey, statesKey } = redisAdmin(t, cluster)
  const room = 'del-storage'
  const [ada, bob] = await members(cluster, room, ['ada', 'bob'])
  const plain = await say(ada, room, 'ORIGINAL-plain-7f3a')
  const edited = await say(ada, room, 'ORIGINAL-edited-91bc')
  await say(bob, room, 'bystander', { replyTo: edited })
  await act(ada, { type: 'edit', room, id: edited, text: 'EDITED-text-44d2' })
  await act(ada, { type: 'react', room, id: edited, emoji: '🎉' })
  const stored = async (): Promise<string> => {
    const entries = await admin.xrange(logKey(room), '-', '+')
    const states = await admin.hgetall(statesKey(room))
    return JSON.stringify({ entries, states })
  }
  t.ok((await stored()).includes('EDITED-text-44d2'), 'the keys looked at are the right ones')
  await act(ada, { type: 'delete', room, id: plain })
  await act(bob, { type: 'delete', room, id: edited }).then((a) => t.match(a, { code: 'forbidden' }))
  await act(ada, { type: 'delete', room, id: edited })
  const now = await stored()
  for (const text of ['ORIGINAL-plain-7f3a', 'ORIGINAL-edited-91bc', 'EDITED-text-44d2']) t.notOk(now.includes(text), `${text} is in neither the stream nor the states map`)
  t.equal((await admin.xrange(logKey(room), plain, plain)).length, 0, 'the entry is gone from the stream')
  // Everything the prefix holds: idempotency windows, read markers, the inbox's keys, anything.
  const contents: Record<string, (key: string) => Promise<unknown>> = {
    stream: async (key) => await admin.xrange(key, '-', '+'),
    hash: async (key) => await admin.hgetall(key),
    string: async (key) => await admin.get(key),
    set: async (key) => await admin.smembers(key),
    zset: async (key) => await admin.zrange(key, '0', '-1'),
    list: async (key) => await admin.lrange(key, 0, -1)
  }
  const leftovers: string[] = []
  for (const key of await admin.keys(`${cluster.prefix}*`)) {
    const type = await admin.type(key)
    t.ok(type in contents, `${key} is a ${type}`)
    if (/ORIGINAL-|EDITED-/.test(JSON.stringify(await contents[type]?.(key)))) leftovers.push(key)
  }
  t.same(leftovers, [], 'no key holds any of the texts')
})

t.test('redis: a deleted message\'s bytes leave the stream\'s own encoding (DUMP, what an RDB snapshot saves) with their stream node', {
  skip: singleRedisOnly('CONFIG SET and DUMP on its one server')
}, async (t) => {
  const cluster = await startCluster(t, 'redis', { instances: 1, env: { ROOM_HISTORY: '5' } })
  const { admin, logKey } = redisAdmin(t, cluster)
  // Uncompressed: what is in the stream's nodes appears in the dump as it is.
  const config = async (name: string, value: string): Promise<void> => {
    const was = await admin.config('GET', name) as string[]
    await admin.config('SET', name, value)
    t.teardown(async () => { await admin.config('SET', name, was[1]!) })
  }
  await config('rdbcompression', 'no')
  const dumped = async (room: string, text: string): Promise<boolean> => (await admin.dumpBuffer(logKey(room)))!.includes(text)

  // XDEL flags an entry deleted inside its node (up to stream-node-max-entries, 100 by default);
  // the node's bytes are freed once none of its entries is left, as trimming takes them.
  const room = 'del-dump'
  const [ada] = await members(cluster, room, ['ada'])
  const id = await say(ada, room, 'SHRED-ME-5e1f')
  await say(ada, room, 'stays')
  t.ok(await dumped(room, 'SHRED-ME-5e1f'), 'before: in the dump')
  await act(ada, { type: 'delete', room, id })
  t.ok(await dumped(room, 'SHRED-ME-5e1f'), 'with the default node size its bytes wait in their node (docs/security.md)')
  for (let i = 0; i < 110; i++) await cluster.post(room, `later ${i}`)
  t.notOk(await dumped(room, 'SHRED-ME-5e1f'), 'gone once trimming freed the node')

  // One entry a node: a deletion frees its bytes at once (the setting docs/security.md offers).
  await config('stream-node-max-entries', '1')
  const strict = 'del-dump-strict'
  const [bob] = await members(cluster, strict, ['bob'])
  const gone = await say(bob, strict, 'SHRED-ME-a90c')
  await say(bob, strict, 'stays')
  await act(bob, { type: 'delete', room: strict, id: gone })
  t.notOk(await dumped(strict, 'SHRED-ME-a90c'), 'with stream-node-max-entries 1: nowhere in the dump right after the deletion')
})
