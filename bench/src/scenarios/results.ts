import type { SystemName } from '../config.js'
import type { CpuUse, Latency } from './context.js'

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
  /** The generators could not send at the offered rate. */
  generatorLimited: boolean
  held: boolean
  errors: Record<string, number>
  /** The first attempt at this rate, when it was not held and the step was run again. */
  firstTry?: FanoutStep
}

export interface FanoutResult {
  kind: 'fanout'
  members: number
  setup: { opened: number, failed: number, joinFailed: number, joinMs: number }
  steps: FanoutStep[]
  /** Highest offered rate held (p99 ≤ 500 ms, loss ≤ 0.1 %), in deliveries a second; 0 when none. */
  maxHeld: number
  rssMiB: number[]
}

export interface RoomsResult {
  kind: 'rooms'
  clients: number
  rooms: number
  setup: { opened: number, failed: number, joinFailed: number, joinMs: number }
  sent: number
  received: number
  expected: number
  loss: number
  messagesPerSecond: number
  latency: Latency
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
  /** RSS of each instance before and after the connections opened (after a full GC each time). */
  rssBeforeMiB: number[]
  rssAfterMiB: number[]
  /** (after − before) summed over instances, per open connection. */
  kibPerConnection: number
  /** Redis memory growth per connection (webchat keeps a user channel and a used token id per connection). */
  redisKibPerConnection: number
  openMs: number
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

export type ScenarioResult = FanoutResult | RoomsResult | IdleResult | StormResult

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
