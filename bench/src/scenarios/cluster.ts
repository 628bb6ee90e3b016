import { startRedisCluster } from '@webchat/testkit'
import { CHAT_ROOM_HISTORY, type BenchConfig } from '../config.js'
import { cpuSeconds } from '../lib/proc.js'
import { shardUse, watchShards, type ShardSample, type ShardWatch } from '../lib/shards.js'
import { REDIS_PREFIX } from '../servers/launch.js'
import type { Context } from './context.js'
import type { ClusterResult, ShardedLeg } from './results.js'
import { runRooms } from './rooms.js'

/** Where the instances keep their state: one Redis URL, or a cluster's seed nodes; and its processes. */
export interface RedisTarget { redisUrl?: string, clusterNodes?: string[], redisPids: number[] }

export interface ClusterDeps {
  config: BenchConfig
  pass: number
  log: (message: string) => void
  /** The run's single Redis, emptied before its leg. */
  single: { url: string, pid: number, flush: () => Promise<void> }
  /** Starts the two instances and the generators on `target`, runs `measure`, stops them. */
  onTarget: <T>(target: RedisTarget, measure: (ctx: Context) => Promise<T>) => Promise<T>
}

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0)
const share = (xs: number[]): number => sum(xs) > 0 ? Math.max(...xs) / sum(xs) : NaN

/** What a longer message adds to a full log is measured with its body this much longer. */
const PAD_BYTES = 200
/** Chat's default PRESENCE_INTERVAL_MS: a quiet window this long holds one presence refresh of each instance. */
const CHAT_PRESENCE_INTERVAL_MS = 10_000

/** Each primary's CPU a second, and the script calls made, over a window with nothing sent. */
async function quiet (watch: ShardWatch, ms: number): Promise<{ cpuPerSecond: number[], scripts: number }> {
  const from = await watch.sample()
  await new Promise((resolve) => setTimeout(resolve, ms))
  const to = await watch.sample()
  const use = shardUse(watch.nodes, from, to)
  return { cpuPerSecond: to.map((b, i) => (b.cpuSeconds - from[i]!.cpuSeconds) / ((b.at - from[i]!.at) / 1000)), scripts: sum(use.map((u) => u.evalsha)) }
}

/**
 * The cluster's `cluster-node-timeout`: long enough that a busy 2-core machine never makes the
 * nodes fail a primary over mid-run (testkit's 1 s default is for the failover tests).
 */
const NODE_TIMEOUT_MS = 5000

async function measureLeg (ctx: Context, target: ShardedLeg['target'], watch: ShardWatch, replicaPids: number[]): Promise<ShardedLeg> {
  const shape = { ...ctx.config.cluster }
  let before: ShardSample[] = []
  let after: ShardSample[] = []
  let replicasBefore = 0
  let replicasAfter = 0
  const replicaCpu = (): number => sum(replicaPids.map(cpuSeconds))
  const quietMs = Number(ctx.config.chatEnv.PRESENCE_INTERVAL_MS ?? CHAT_PRESENCE_INTERVAL_MS)
  const base = await quiet(watch, quietMs)
  const { setup, outcome, loss, perMessage } = await runRooms(ctx, shape, {
    before: async () => { before = await watch.sample(); replicasBefore = replicaCpu() },
    after: async () => { after = await watch.sample(); replicasAfter = replicaCpu() }
  })
  const shards = shardUse(watch.nodes, before, after)
  const idle = await quiet(watch, quietMs)
  const idleCpuPerSecond = idle.cpuPerSecond
  // Every room has members on both instances: each instance refreshes each room once a window.
  const roomInstances = Math.ceil(shape.clients / shape.roomSize) * Math.min(2, shape.roomSize)
  const windowSeconds = (after[0]!.at - before[0]!.at) / 1000
  const redisSeconds = sum(shards.map((x) => x.cpuSeconds))
  const keyKinds = await watch.keyKinds(REDIS_PREFIX)
  const entries = Number(ctx.config.chatEnv.ROOM_HISTORY ?? CHAT_ROOM_HISTORY)
  const plain = await watch.fullLogBytesPerEntry(REDIS_PREFIX, entries, 0)
  const padded = await watch.fullLogBytesPerEntry(REDIS_PREFIX, entries, PAD_BYTES)
  const seconds = shape.measureMs / 1000
  const leg: ShardedLeg = {
    target,
    primaries: watch.nodes.length,
    setup,
    sent: outcome.sent,
    received: outcome.received,
    expected: outcome.expected,
    loss,
    messagesPerSecond: outcome.sent / seconds,
    deliveriesPerSecond: outcome.received / seconds,
    latency: outcome.latency,
    serverUsPerMessage: perMessage(outcome.cpu.servers),
    redisUsPerMessage: perMessage(redisSeconds),
    idleCpuPerSecond,
    netRedisUsPerMessage: perMessage(redisSeconds - sum(idleCpuPerSecond) * windowSeconds),
    baseCpuPerSecond: base.cpuPerSecond,
    presence: {
      roomInstances,
      scriptsPerRefresh: idle.scripts,
      usPerRoomInstance: (sum(idleCpuPerSecond) - sum(base.cpuPerSecond)) * (quietMs / 1000) * 1e6 / roomInstances
    },
    replicaUsPerMessage: perMessage(replicasAfter - replicasBefore),
    shards,
    busiestCpuShare: share(shards.map((s) => s.cpuSeconds)),
    busiestCallShare: share(shards.map((s) => s.calls)),
    roomsPerShard: keyKinds.map((k) => k.keys.log ?? 0),
    memoryBytesPerMessage: sum(shards.map((x) => x.memoryGrowth)) / Math.max(1, outcome.sent),
    stateBytesPerMessage: sum(shards.map((x) => x.stateGrowth)) / Math.max(1, outcome.sent),
    fullLog: { entries, bodyBytes: plain.bodyBytes, bytesPerEntry: plain.bytesPerEntry, padBytes: PAD_BYTES, paddedBytesPerEntry: padded.bytesPerEntry },
    keyKinds,
    errors: outcome.errors
  }
  ctx.log(`cluster scenario, ${target} (${leg.primaries} primar${leg.primaries === 1 ? 'y' : 'ies'}): ${outcome.sent} messages, ${outcome.received}/${outcome.expected} deliveries, ` +
    `p50 ${leg.latency.p50.toFixed(1)} p99 ${leg.latency.p99.toFixed(1)} ms, server ${leg.serverUsPerMessage.toFixed(1)} + redis ${leg.redisUsPerMessage.toFixed(1)} µs/message (${leg.netRedisUsPerMessage.toFixed(1)} less idle ` +
    `${idleCpuPerSecond.map((x) => (x * 100).toFixed(1)).join(' / ')} % of a core, before the clients ${base.cpuPerSecond.map((x) => (x * 100).toFixed(1)).join(' / ')} %; ` +
    `presence refresh ${leg.presence.scriptsPerRefresh} scripts, ${leg.presence.usPerRoomInstance.toFixed(1)} µs per room and instance) ` +
    `(per primary ${shards.map((s) => (s.cpuSeconds * 1e6 / Math.max(1, outcome.sent)).toFixed(1)).join(' / ')}; replicas ${leg.replicaUsPerMessage.toFixed(1)}), ` +
    `busiest shard ${(leg.busiestCpuShare * 100).toFixed(0)} % of CPU, ${(leg.busiestCallShare * 100).toFixed(0)} % of calls, ` +
    `${leg.stateBytesPerMessage.toFixed(0)} B/message of state (${leg.memoryBytesPerMessage.toFixed(0)} with buffers), rooms per shard ${leg.roomsPerShard.join(' / ')}, ` +
    `a full log ${plain.bytesPerEntry.toFixed(0)} B/entry (${plain.bodyBytes} B body; +${PAD_BYTES} B: ${padded.bytesPerEntry.toFixed(0)})` +
    `${Object.keys(outcome.errors).length > 0 ? ` errors ${JSON.stringify(outcome.errors)}` : ''}`)
  return leg
}

async function singleLeg (deps: ClusterDeps): Promise<ShardedLeg> {
  await deps.single.flush()
  const watch = watchShards([{ port: Number(new URL(deps.single.url).port), pid: deps.single.pid }])
  try {
    return await deps.onTarget({ redisUrl: deps.single.url, redisPids: [deps.single.pid] }, async (ctx) => await measureLeg(ctx, 'single', watch, []))
  } finally {
    watch.close()
  }
}

async function clusterLeg (deps: ClusterDeps): Promise<ShardedLeg> {
  const started = performance.now()
  const cluster = await startRedisCluster(undefined, { primaries: deps.config.cluster.primaries, replicas: 1, nodeTimeoutMs: NODE_TIMEOUT_MS })
  let watch: ShardWatch | undefined
  try {
    const primaries = await cluster.primaries()
    const replicas = await cluster.replicas()
    deps.log(`cluster scenario: ${primaries.length} primaries and ${replicas.length} replicas ready in ${Math.round(performance.now() - started)} ms`)
    const watched = watchShards(primaries)
    watch = watched
    const target = { clusterNodes: primaries.map((p) => `127.0.0.1:${p.port}`), redisPids: cluster.nodes.map((n) => n.pid) }
    return await deps.onTarget(target, async (ctx) => await measureLeg(ctx, 'cluster', watched, replicas.map((r) => r.pid)))
  } finally {
    watch?.close()
    await cluster.close()
  }
}

/**
 * Small rooms on a local Redis Cluster (3 primaries and 3 replicas unless told) and, in the same
 * pass, on the run's single Redis, the same load on each: where Redis CPU, commands and memory go
 * per shard, and what a message costs Redis on each. The order of the two alternates by pass.
 */
export async function cluster (deps: ClusterDeps): Promise<ClusterResult> {
  const { clients, roomSize } = deps.config.cluster
  const order: Array<ShardedLeg['target']> = deps.pass % 2 === 1 ? ['single', 'cluster'] : ['cluster', 'single']
  const legs: ShardedLeg[] = []
  for (const target of order) legs.push(target === 'single' ? await singleLeg(deps) : await clusterLeg(deps))
  const of = (target: ShardedLeg['target']): ShardedLeg | undefined => legs.find((l) => l.target === target)
  return {
    kind: 'cluster',
    clients,
    roomSize,
    rooms: Math.ceil(clients / roomSize),
    legs,
    redisCpuRatio: (of('cluster')?.redisUsPerMessage ?? NaN) / (of('single')?.redisUsPerMessage ?? NaN)
  }
}
