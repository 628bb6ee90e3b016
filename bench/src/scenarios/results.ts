import type { SystemName } from '../config.js'
import type { KeyKinds, ShardUse } from '../lib/shards.js'
import type { CpuUse, Latency } from './context.js'
import type { ReconnectResult } from './reconnect.js'

export interface FanoutStep {
  /** Offered messages a second, and deliveries a second that means (× members). */
  rate: number
  offered: number
  sent: number
  expected: number
  received: number
  /** Fraction of expected deliveries that did not arrive within the grace window. */
  loss: number
  /** Deliveries a second over the sending window. */
  deliveriesPerSecond: number
  latency: Latency
  cpu: CpuUse
  /** Server (both instances) and Redis CPU µs per delivery. */
  serverUsPerDelivery: number
  redisUsPerDelivery: number
  /** The generators' busiest share of one core (1 = saturated). */
  generatorLoad: number
  /** Both generators' CPU µs per delivery (sending included): what measuring a delivery cost, beside what making it cost the servers. */
  generatorUsPerDelivery?: number
  /** The generators could not send at the offered rate. */
  generatorLimited: boolean
  held: boolean
  errors: Record<string, number>
  /** The first attempt at this rate, when it was not held and the step was run again. */
  firstTry?: FanoutStep
}

/** What the fan-out room's joins cost, from the first join until their announcements drained. */
export interface SetupCost {
  /** Joins that succeeded. */
  joins: number
  /** From the last join's answer to the end of the measured window. */
  drainMs: number
  /** Server (both instances) and Redis CPU µs per join. */
  serverUsPerJoin: number
  redisUsPerJoin: number
  generatorLoad: number
  /**
   * Presence frames the members received during the setup and the changes they carried; redundant:
   * joins announced of a user the connection already had as a member. Null for Socket.IO (no presence).
   */
  presence: { frames: number, changes: number, redundant: number } | null
}

export interface FanoutResult {
  kind: 'fanout'
  members: number
  setup: { opened: number, failed: number, joinFailed: number, joinMs: number }
  /** Absent in runs from before it was measured. */
  setupCost?: SetupCost
  steps: FanoutStep[]
  /** Highest offered rate held (p99 ≤ 500 ms, loss ≤ 0.1 %), in deliveries a second; 0 when none. */
  maxHeld: number
  rssMiB: number[]
}

/** What a measured window of the small-rooms load delivered. */
export interface RoomsOutcome {
  setup: { opened: number, failed: number, joinFailed: number, joinMs: number }
  sent: number
  received: number
  expected: number
  loss: number
  messagesPerSecond: number
  latency: Latency
}

export interface RoomsResult extends RoomsOutcome {
  kind: 'rooms'
  clients: number
  rooms: number
  cpu: CpuUse
  serverUsPerMessage: number
  redisUsPerMessage: number
  /** Servers plus Redis. */
  totalUsPerMessage: number
  generatorLoad: number
  errors: Record<string, number>
  rssMiB: number[]
}

export interface IdleResult {
  kind: 'idle'
  connections: number
  opened: number
  failed: number
  /** RSS of each fresh instance, no connection yet (after a full GC); absent in runs from before it was measured. */
  rssFreshMiB?: number[]
  /** RSS of each instance before and after the measured connections opened (after a full GC each time). */
  rssBeforeMiB: number[]
  rssAfterMiB: number[]
  /** (after − before) summed over instances, per open connection. */
  kibPerConnection: number
  /** Redis memory growth per connection (webchat keeps a user channel and a used token id per connection). */
  redisKibPerConnection: number
  openMs: number
  /** The busier generator's CPU share of one core while the connections opened (absent in older runs). */
  generatorLoad?: number
}

export interface StormResult {
  kind: 'storm'
  connections: number
  opened: number
  failed: number
  authenticated: boolean
  mintPerSecond: number
  windowMs: number
  acceptedPerSecond: number
  serverUsPerConnection: number
  redisUsPerConnection: number
  generatorLoad: number
  errors: Record<string, number>
}

/** One Redis target's share of a cluster scenario: the small-rooms load and where Redis spent it. */
export interface ShardedLeg extends RoomsOutcome {
  target: 'single' | 'cluster'
  /** Primaries measured (1 for the single Redis). */
  primaries: number
  deliveriesPerSecond: number
  serverUsPerMessage: number
  /** Redis CPU (INFO used_cpu, summed over the primaries) per message sent. */
  redisUsPerMessage: number
  /**
   * Each primary's CPU a second with the connections open and nothing sent (cluster bus, cron,
   * presence), over one presence interval after the load; and the Redis CPU per message less it.
   */
  idleCpuPerSecond: number[]
  netRedisUsPerMessage: number
  /** The same before any client connected (the servers up): cluster bus and cron only. */
  baseCpuPerSecond: number[]
  /**
   * The presence refresh in the quiet window after the load (one per instance): room and instance
   * pairs refreshed, script calls it took, and its Redis CPU (idle less base) per pair.
   */
  presence: { roomInstances: number, scriptsPerRefresh: number, usPerRoomInstance: number }
  /** The replicas' CPU per message (replication); 0 on the single Redis. */
  replicaUsPerMessage: number
  /** Each primary over the measured window. */
  shards: ShardUse[]
  /** The busiest primary's share of the primaries' CPU, and of their command calls. */
  busiestCpuShare: number
  busiestCallShare: number
  /** Room logs on each primary (after the run). */
  roomsPerShard: number[]
  /** used_memory growth over the window, summed over primaries, per message sent; and of its state part (buffers left out). */
  memoryBytesPerMessage: number
  stateBytesPerMessage: number
  /**
   * A full room log (ROOM_HISTORY entries) on the first primary: bytes per entry with the bench's
   * message body, and with that body padded by `padBytes` (what longer messages add).
   */
  fullLog: { entries: number, bodyBytes: number, bytesPerEntry: number, padBytes: number, paddedBytesPerEntry: number }
  /** Key kinds on each primary after the run, with mean bytes of a sample of each kind. */
  keyKinds: KeyKinds[]
  errors: Record<string, number>
}

export interface ClusterResult {
  kind: 'cluster'
  clients: number
  roomSize: number
  rooms: number
  /** Legs in the order they ran (they alternate between passes); the single Redis may be absent. */
  legs: ShardedLeg[]
  /** Cluster Redis CPU per message ÷ the single Redis's, in the same pass. */
  redisCpuRatio: number
}

export type ScenarioResult = FanoutResult | RoomsResult | IdleResult | StormResult | ClusterResult | ReconnectResult

export interface RunRecord {
  pass: number
  system: SystemName
  scenario: ScenarioResult['kind']
  result?: ScenarioResult
  error?: string
  startedAt: string
  seconds: number
  /** Load average when it started (other work on the machine shows here). */
  load: string
}

export interface BenchRun {
  startedAt: string
  seconds: number
  quick: boolean
  command: string
  environment: Record<string, string | undefined>
  machine: { cpu: string, cores: number, memoryGiB: number, kernel: string, node: string, load: string }
  versions: Record<string, string>
  config: unknown
  /** Bench settings given to the webchat instances beyond their defaults. */
  webchatEnv: Record<string, string>
  records: RunRecord[]
}
