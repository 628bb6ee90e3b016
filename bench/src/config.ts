import { cpus } from 'node:os'
import { TOKEN_ALGORITHM, TOKEN_ALGORITHMS, type TokenAlgorithm } from '@webchat/shared'

/** Every setting of the bench, read from the environment once (the only file that reads it). */
export interface BenchConfig {
  /** ~2 minute smoke run: one pass, short steps, fewer connections; results go to bench/results only. */
  quick: boolean
  passes: number
  scenarios: ScenarioName[]
  systems: SystemName[]
  /** Extra settings for the webchat instances (BENCH_CHAT_ENV=K=V,K=V, for experiments, and what a scenario's size needs); reported. */
  chatEnv: Record<string, string>
  /** Root of the webchat snapshot run as `webchat-base`. */
  baseDir: string | undefined
  /** Hard bound of the whole run; every process is killed when it passes. */
  timeLimitMs: number
  /** Write docs/benchmarks.md and docs/benchmarks-latency.svg (default: on for full runs). */
  writeDocs: boolean
  /** Start the chat and Socket.IO servers with --cpu-prof into bench/results/profiles. */
  profile: boolean
  /** Log each fan-out step's latency per 100 ms of send time (where its tail came from). */
  timeline: boolean
  /** Load-generator processes (clients are split between them). */
  generators: number
  /** Their niceness: above the servers', so that the measuring processes yield to the measured ones. */
  generatorNice: number
  fanout: { members: number, senderUsers: number, senderConns: number, stepMs: number, graceMs: number, rates: number[] }
  rooms: { clients: number, perSecond: number, measureMs: number }
  idle: { connections: number }
  storm: { connections: number, inFlight: number }
  /** Reconnect storm (webchat only): clients of one drained instance back on the other, with fresh tokens and with tickets. */
  reconnect: { connections: number, inFlight: number }
  /** Small rooms on a local Redis Cluster and, in the same pass, on the single Redis (webchat only). */
  cluster: { clients: number, roomSize: number, perSecond: number, measureMs: number, primaries: number }
  /** The algorithm of the bench's signing key: ES256, as the auth service generates, or EdDSA. */
  tokenAlg: TokenAlgorithm
}

/** The scenarios of a default run. */
export const SCENARIOS = ['fanout', 'rooms', 'idle', 'storm', 'reconnect'] as const
/**
 * `cluster` runs only when asked for: it starts its own Redis Cluster (needs redis-cli), and only
 * webchat runs on one (Socket.IO's Redis adapter here has no sharded pub/sub counterpart).
 */
export const ALL_SCENARIOS = [...SCENARIOS, 'cluster'] as const
export type ScenarioName = typeof ALL_SCENARIOS[number]
/**
 * The systems of a default run. `socketio` is plain Socket.IO (no auth, no history), the reference
 * that does least; `socketio-auth` adds what webchat does on connect (a JWT checked against the
 * JWKS, its id used once); `socketio-streams` what comes nearest to webchat's history (the Redis
 * streams adapter with connection state recovery).
 */
export const SYSTEMS = ['webchat', 'socketio', 'socketio-auth', 'socketio-streams'] as const
/**
 * `webchat-base` is webchat built from a snapshot (BENCH_BASE_DIR, made by bench/snapshot.sh):
 * before/after figures of an optimization in the same run. Not part of the default run.
 */
export const ALL_SYSTEMS = [...SYSTEMS, 'webchat-base'] as const
export type SystemName = typeof ALL_SYSTEMS[number]
/** Which wire protocol a system speaks. */
export const protocolOf = (system: SystemName): 'webchat' | 'socketio' => system.startsWith('socketio') ? 'socketio' : 'webchat'
/** Whether a system's clients present a token (minted by the generators, as auth would). */
export const authenticates = (system: SystemName): boolean => protocolOf(system) === 'webchat' || system === 'socketio-auth'

/**
 * Which systems run which scenario: a peer runs where its goal is measured (and where it is cheap),
 * so that the default run stays within its time limit. Plain Socket.IO runs everywhere, as the
 * reference; every webchat build everywhere.
 */
export const PLAN: Record<ScenarioName, readonly SystemName[]> = {
  fanout: ['webchat', 'webchat-base', 'socketio', 'socketio-streams'],
  rooms: ['webchat', 'webchat-base', 'socketio', 'socketio-streams'],
  idle: ['webchat', 'webchat-base', 'socketio', 'socketio-auth'],
  storm: ['webchat', 'webchat-base', 'socketio', 'socketio-auth'],
  // Tickets against fresh tokens from auth, both variants on each webchat system: Socket.IO has no counterpart.
  reconnect: ['webchat'],
  cluster: ['webchat', 'webchat-base']
}
export const runsIn = (scenario: ScenarioName, system: SystemName): boolean => PLAN[scenario].includes(system)

const list = <T extends string>(value: string | undefined, all: readonly T[]): T[] => {
  if (value === undefined || value.trim() === '') return [...all]
  const wanted = value.split(',').map((s) => s.trim())
  const unknown = wanted.filter((s) => !all.includes(s as T))
  if (unknown.length > 0) throw new Error(`unknown name(s) ${unknown.join(', ')}: choose from ${all.join(', ')}`)
  return wanted as T[]
}

const int = (value: string | undefined, fallback: number): number => {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a whole number, got ${value}`)
  return n
}

/** Offered messages a second in the fan-out room; deliveries a second are this times the members. */
const FANOUT_RATES = [10, 20, 40, 70, 100, 130, 160, 200, 300, 400, 600, 800, 1000, 1300, 1600, 2000]

/** Chat's default MAX_ROOM_MEMBERS: a join makes a member, so a larger fan-out room needs more. */
const CHAT_MAX_ROOM_MEMBERS = 10_000

/** Chat's default ROOM_HISTORY: the newest messages a room's log keeps. */
export const CHAT_ROOM_HISTORY = 1000

/** Settings the scenarios need of the webchat instances: none at the default sizes. */
const scenarioEnv = (fanoutMembers: number): Record<string, string> =>
  fanoutMembers > CHAT_MAX_ROOM_MEMBERS ? { MAX_ROOM_MEMBERS: String(fanoutMembers) } : {}

export function loadConfig (env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true'
  const fanoutMembers = int(env.BENCH_FANOUT_MEMBERS, 1000)
  const rates = env.BENCH_FANOUT_RATES === undefined
    ? (quick ? [10, 40, 100, 200, 400, 800, 1300, 2000] : FANOUT_RATES)
    : env.BENCH_FANOUT_RATES.split(',').map((s) => int(s, 0)).filter((n) => n > 0)
  const maxRate = Math.max(...rates)
  const scenarios = list(env.BENCH_SCENARIOS, ALL_SCENARIOS).filter((s) => (env.BENCH_SCENARIOS ?? '').trim() !== '' || (SCENARIOS as readonly string[]).includes(s))
  return {
    quick,
    passes: int(env.BENCH_PASSES, quick ? 1 : 2),
    scenarios,
    systems: list(env.BENCH_SYSTEMS, ALL_SYSTEMS).filter((s) => env.BENCH_SYSTEMS !== undefined || (SYSTEMS as readonly string[]).includes(s)),
    baseDir: env.BENCH_BASE_DIR,
    chatEnv: {
      ...scenarioEnv(fanoutMembers),
      ...Object.fromEntries((env.BENCH_CHAT_ENV ?? '').split(',').filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), kv.slice(kv.indexOf('=') + 1).trim()]))
    },
    timeLimitMs: int(env.BENCH_TIME_LIMIT_S, quick ? 360 : 1200) * 1000,
    // A cluster-only run has no comparison to write over the page's results.
    writeDocs: env.BENCH_WRITE_DOCS === undefined ? !quick && scenarios.some((s) => s !== 'cluster') : env.BENCH_WRITE_DOCS === '1',
    profile: env.BENCH_PROFILE === '1',
    timeline: env.BENCH_TIMELINE === '1',
    generators: int(env.BENCH_GENERATORS, Math.max(2, Math.min(4, cpus().length))),
    generatorNice: int(env.BENCH_GENERATOR_NICE, 10),
    fanout: {
      members: fanoutMembers,
      // Each sending connection stays at 8 a second, under the per-connection limit of 10 (burst
      // 20); two connections a user, one on each instance, keep each user under the per-user 20.
      senderUsers: Math.max(10, Math.ceil(maxRate / 16)),
      senderConns: Math.max(10, Math.ceil(maxRate / 8)),
      stepMs: int(env.BENCH_STEP_MS, quick ? 2000 : 4000),
      graceMs: 2000,
      rates
    },
    rooms: { clients: int(env.BENCH_ROOMS_CLIENTS, quick ? 1000 : 2000), perSecond: 1, measureMs: int(env.BENCH_ROOMS_MS, quick ? 6000 : 15_000) },
    idle: { connections: int(env.BENCH_IDLE_CONNECTIONS, quick ? 2000 : 10_000) },
    storm: { connections: int(env.BENCH_STORM_CONNECTIONS, quick ? 1000 : 5000), inFlight: int(env.BENCH_STORM_IN_FLIGHT, 64) },
    reconnect: { connections: int(env.BENCH_RECONNECT_CONNECTIONS, quick ? 1000 : 5000), inFlight: int(env.BENCH_STORM_IN_FLIGHT, 64) },
    cluster: {
      clients: int(env.BENCH_CLUSTER_CLIENTS, quick ? 1000 : 2000),
      roomSize: Math.max(2, int(env.BENCH_CLUSTER_ROOM_SIZE, 2)),
      perSecond: 1,
      measureMs: int(env.BENCH_CLUSTER_MS, quick ? 6000 : 10_000),
      primaries: Math.max(3, int(env.BENCH_CLUSTER_PRIMARIES, 3))
    },
    tokenAlg: tokenAlgorithm(env.BENCH_TOKEN_ALG)
  }
}

function tokenAlgorithm (value: string | undefined): TokenAlgorithm {
  if (value === undefined || value === '') return TOKEN_ALGORITHM
  const alg = TOKEN_ALGORITHMS.find((a) => a === value)
  if (alg === undefined) throw new Error(`BENCH_TOKEN_ALG must be one of ${TOKEN_ALGORITHMS.join(', ')}`)
  return alg
}
