import { EventEmitter } from 'node:events'
import t from 'tap'
import calculateSlot from 'cluster-key-slot'
import { watchShards } from '../src/redis/shards.js'
import { until } from './contract/support.js'

/** A stand-in for the subscriber's Cluster client: its slot map, status and events. */
function fakeCluster (): EventEmitter & { slots: string[][], status: string } {
  return Object.assign(new EventEmitter(), { slots: [] as string[][], status: 'ready' })
}

t.test('shard watch: a lost shard\'s channels are told once, and back once confirmed where they are placed now', async (t) => {
  const fake = fakeCluster()
  const [a, b, c] = ['{a}x', '{b}y', '{c}z']
  fake.slots[calculateSlot(a)] = ['nodeA:1']
  fake.slots[calculateSlot(b)] = ['nodeB:1']
  fake.slots[calculateSlot(c)] = ['nodeA:1']
  const down = new Set<string>()
  const lost: string[][] = []
  const back: string[][] = []
  const confirmed: string[] = []
  const watch = watchShards(fake as never, {
    wanted: () => [a, b, c],
    // SSUBSCRIBE on the channel's owner: fails while that owner is down, as the client library does.
    confirm: async (channel) => {
      if (down.has(fake.slots[calculateSlot(channel)]![0]!)) throw new Error('Connection is closed')
      confirmed.push(channel)
    },
    lost: (channels) => { lost.push([...channels].sort()) },
    back: (channels) => { back.push([...channels].sort()) }
  })
  t.teardown(() => { watch.close() })
  for (const channel of [a, b, c]) watch.placed(channel)

  // Shard A's primary dies; B's channels are untouched.
  down.add('nodeA:1')
  fake.emit('-node', null, 'nodeA:1')
  fake.emit('-node', null, 'nodeA:1')
  t.same(lost, [[a, c].sort()], 'the channels of the lost primary, told once')
  await new Promise((resolve) => setTimeout(resolve, 1200))
  t.same(back, [], 'not back while their owner is down')
  // Its replica takes the slots over: one more try at once, then back.
  fake.slots[calculateSlot(a)] = ['nodeA2:1']
  fake.slots[calculateSlot(c)] = ['nodeA2:1']
  fake.emit('subscribersReady')
  await until(() => back.length > 0, 3000, 'back after the takeover')
  t.same(back, [[a, c].sort()], 'back once subscribed on the new owner')
  t.same(lost, [[a, c].sort()], 'the takeover itself was no new loss (the owner was already being tried)')
})

t.test('shard watch: a shard that stays down does not hold the rooms of one that is back', async (t) => {
  const fake = fakeCluster()
  const [a, b] = ['{a}x', '{b}y']
  fake.slots[calculateSlot(a)] = ['nodeA:1']
  fake.slots[calculateSlot(b)] = ['nodeB:1']
  const down = new Set<string>()
  const back: string[] = []
  const watch = watchShards(fake as never, {
    wanted: () => [a, b],
    confirm: async (channel) => { if (down.has(fake.slots[calculateSlot(channel)]![0]!)) throw new Error('Connection is closed') },
    lost: () => {},
    back: (channels) => { back.push(...channels) }
  })
  t.teardown(() => { watch.close() })
  watch.placed(a)
  watch.placed(b)
  // A's subscriber connection drops and comes back at once; B's primary is gone for good.
  fake.emit('-node', null, 'nodeA:1')
  down.add('nodeB:1')
  fake.emit('-node', null, 'nodeB:1')
  await until(() => back.includes(a), 3000, 'A back')
  t.same(back, [a], 'A is back while B is still down')
})

t.test('shard watch: a topology change loses only the channels whose slot moved; the whole client lost loses all', async (t) => {
  const fake = fakeCluster()
  const [a, b] = ['{a}x', '{b}y']
  fake.slots[calculateSlot(a)] = ['nodeA:1']
  fake.slots[calculateSlot(b)] = ['nodeB:1']
  const lost: string[] = []
  const watch = watchShards(fake as never, { wanted: () => [a, b], confirm: async () => {}, lost: (channels) => { lost.push(...channels) }, back: () => {} })
  t.teardown(() => { watch.close() })
  watch.placed(a)
  watch.placed(b)
  fake.emit('subscribersReady')
  t.same(lost, [], 'nothing moved: nothing lost')
  fake.slots[calculateSlot(b)] = ['nodeA:1'] // B's slot migrated
  fake.emit('subscribersReady')
  t.same(lost, [b], 'the moved slot\'s channel')
  fake.emit('close')
  t.same(lost.sort(), [a, b].sort(), 'then every channel (B was already lost)')
  watch.forget(a)
  watch.forget(b)
})
