import type { BenchConfig, SystemName } from '../config.js'
import type { ClientSpec } from '../generator/main.js'
import { monotonicUs } from '../generator/marks.js'
import { cpuSeconds, cpuTimes, rssBytes } from '../lib/proc.js'
import type { Generator } from '../lib/generators.js'
import { merge, emptyHistogram, quantile, unpack, type Histogram, type pack } from '../lib/histogram.js'
import type { Servers } from '../servers/system.js'

/** What a scenario runs against: two server instances, Redis, and the generator processes. */
export interface Context {
  config: BenchConfig
  system: SystemName
  servers: Servers
  generators: Generator[]
  /** The redis-server processes the servers use: the single Redis, or every node of the cluster. */
  redisPids: number[]
  /** Milliseconds left in the run's time budget. */
  remainingMs (): number
  log (message: string): void
}

/** CPU seconds of the servers, Redis and generators at one moment (`at`: performance.now(); `us`: the host's monotonic clock, as CPU profiles count). */
export interface CpuSample { servers: number[], serversKernel: number[], redis: number, generators: number[], at: number, us: number }

/** The `--at` window of bench/dist/report/profile.js (and flame.js) between two samples: the same for every process's profile. */
export const profileWindow = (a: Pick<CpuSample, 'us'>, b: Pick<CpuSample, 'us'>): string => `--at ${a.us},${b.us}`

export function sampleCpu (ctx: Context): CpuSample {
  const times = ctx.servers.pids.map(cpuTimes)
  return {
    servers: times.map((t) => t.user + t.system),
    serversKernel: times.map((t) => t.system),
    redis: ctx.redisPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    generators: ctx.generators.map((g) => cpuSeconds(g.pid)),
    at: performance.now(),
    us: monotonicUs()
  }
}

export interface CpuUse {
  /** CPU seconds used by both server instances together (of which in the kernel), by Redis (all its processes), by each generator. */
  servers: number
  serversKernel: number
  redis: number
  generators: number[]
  wallSeconds: number
}

export function cpuBetween (a: CpuSample, b: CpuSample): CpuUse {
  const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0)
  return {
    servers: sum(b.servers) - sum(a.servers),
    serversKernel: sum(b.serversKernel) - sum(a.serversKernel),
    redis: b.redis - a.redis,
    generators: b.generators.map((x, i) => x - (a.generators[i] ?? 0)),
    wallSeconds: (b.at - a.at) / 1000
  }
}

export const rssOf = (ctx: Context): number[] => ctx.servers.pids.map(rssBytes)

export interface Latency { p50: number, p90: number, p99: number, max: number, count: number }

export function latencyOf (h: Histogram): Latency {
  return { p50: quantile(h, 0.5), p90: quantile(h, 0.9), p99: quantile(h, 0.99), max: h.max, count: h.total }
}

/**
 * The generators' timelines merged, one entry per 100 ms of send time from the first:
 * `+<ms> <deliveries>/<slower than 10 ms>/<slowest ms>`.
 */
function timelineText (timelines: Array<Array<[number, number[]]>>): string {
  const slots = new Map<number, number[]>()
  for (const timeline of timelines) {
    for (const [slot, [n = 0, slow = 0, max = 0]] of timeline) {
      const t = slots.get(slot) ?? [0, 0, 0]
      slots.set(slot, [t[0]! + n, t[1]! + slow, Math.max(t[2]!, max)])
    }
  }
  const first = Math.min(...slots.keys())
  return [...slots].sort(([a], [b]) => a - b).map(([slot, [n, slow, max]]) => `+${(slot - first) * 100} ${n}/${slow}/${max!.toFixed(1)}`).join(' ')
}

/** Deals specs to generators: spec i goes to generator `pick(i)`. */
export function deal (ctx: Context, specs: ClientSpec[], pick: (i: number) => number): ClientSpec[][] {
  const shares: ClientSpec[][] = ctx.generators.map(() => [])
  specs.forEach((spec, i) => shares[pick(i) % ctx.generators.length]!.push(spec))
  return shares
}

export interface OpenResult {
  opened: number
  failed: number
  joinFailed: number
  mintMs: number
  windowMs: number
  joinMs: number
  errors: Record<string, number>
  /** With `joinsApart`: the CPU sample taken after every connection opened, before the first join. */
  joinsFrom?: CpuSample
}

interface Joined { joinFailed: number, joinMs: number }

/**
 * Mints (systems that authenticate) then opens every generator's share at once; the window spans
 * first to last open. `joinsApart`: the joins start only once every generator has opened its
 * share, CPU sampled in between (`joinsFrom`), and the generators watch the setup's presence frames
 * when `watchPresence` (the `presence` command reads them).
 */
export async function openAll (ctx: Context, shares: ClientSpec[][], inFlight: number, joinInFlight = 50, joinsApart?: { watchPresence: boolean }, keep = false): Promise<OpenResult> {
  const timeoutMs = 30_000
  const prepared = await Promise.all(ctx.generators.map(async (g, i) =>
    await g.call<{ mintMs: number }>('prepare', { specs: shares[i], keep }, 300_000)))
  const opened = await Promise.all(ctx.generators.map(async (g) =>
    await g.call<Joined & { opened: number, failed: number, firstUs: number, lastUs: number, errors: Record<string, number> }>(
      'open', { inFlight, joinInFlight, timeoutMs, join: joinsApart === undefined, watchPresence: joinsApart?.watchPresence === true }, 600_000)))
  const joinsFrom = joinsApart === undefined ? undefined : sampleCpu(ctx)
  const joined = joinsApart === undefined
    ? opened
    : await Promise.all(ctx.generators.map(async (g) => await g.call<Joined>('join', { joinInFlight, timeoutMs }, 600_000)))
  const errors: Record<string, number> = {}
  for (const o of opened) for (const [code, n] of Object.entries(o.errors)) errors[code] = (errors[code] ?? 0) + n
  return {
    opened: opened.reduce((s, o) => s + o.opened, 0),
    failed: opened.reduce((s, o) => s + o.failed, 0),
    joinFailed: joined.reduce((s, o) => s + o.joinFailed, 0),
    mintMs: Math.max(...prepared.map((p) => p.mintMs)),
    windowMs: (Math.max(...opened.map((o) => o.lastUs)) - Math.min(...opened.map((o) => o.firstUs))) / 1000,
    joinMs: Math.max(...joined.map((o) => o.joinMs)),
    errors,
    ...(joinsFrom === undefined ? {} : { joinsFrom })
  }
}

export interface StepOutcome {
  sent: number
  received: number
  expected: number
  latency: Latency
  acks: number
  errors: Record<string, number>
  cpu: CpuUse
  sendMs: number
}

/**
 * One measured step: every generator sends its share for `durationMs`; then up to `graceMs` for
 * the deliveries to arrive (ending early once all did). CPU is sampled around both.
 */
export async function runStep (ctx: Context, step: number, shares: Array<{ rate: number, senders: number }>, durationMs: number, graceMs: number, fanout: number): Promise<StepOutcome> {
  const before = sampleCpu(ctx)
  const sends = await Promise.all(ctx.generators.map(async (g, i) =>
    await g.call<{ sent: number, ms: number }>('step', { step, durationMs, phase: i / ctx.generators.length, timeline: ctx.config.timeline, ...shares[i] }, durationMs + 30_000)))
  const sent = sends.reduce((s, r) => s + r.sent, 0)
  const expected = sent * fanout
  const graceEnd = performance.now() + graceMs
  while (performance.now() < graceEnd) {
    const progress = await Promise.all(ctx.generators.map(async (g) => await g.call<{ received: number }>('progress', { step }, 10_000)))
    if (progress.reduce((s, p) => s + p.received, 0) >= expected) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const after = sampleCpu(ctx)
  if (ctx.config.profile) ctx.log(`profile window of step ${step}: ${profileWindow(before, after)}`)
  const collected = await Promise.all(ctx.generators.map(async (g) =>
    await g.call<{ received: number, hist: ReturnType<typeof pack>, acks: number, errors: Record<string, number>, timeline?: Array<[number, number[]]> }>('collect', { step }, 10_000)))
  if (ctx.config.timeline) ctx.log(`timeline of step ${step} (sending from ${before.us} µs, host monotonic): ${timelineText(collected.map((c) => c.timeline ?? []))}`)
  const hist = collected.reduce((h, c) => merge(h, unpack(c.hist)), emptyHistogram())
  const errors: Record<string, number> = {}
  for (const c of collected) for (const [code, n] of Object.entries(c.errors)) errors[code] = (errors[code] ?? 0) + n
  return {
    sent,
    received: collected.reduce((s, c) => s + c.received, 0),
    expected,
    latency: latencyOf(hist),
    acks: collected.reduce((s, c) => s + c.acks, 0),
    errors,
    cpu: cpuBetween(before, after),
    sendMs: Math.max(...sends.map((s) => s.ms))
  }
}
