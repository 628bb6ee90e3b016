import { randomBytes } from 'node:crypto'
import type { BenchConfig } from '../config.js'
import { monotonicUs } from '../generator/marks.js'
import type { ReconnectVariant } from '../generator/reconnect.js'
import { startAuthService, type AuthService } from '../lib/auth-service.js'
import { cpuSeconds } from '../lib/proc.js'
import { seedSessions } from '../lib/sessions.js'
import { ORIGIN, REDIS_PREFIX } from '../servers/launch.js'
import { ISSUER } from '../lib/auth.js'
import { profileWindow, type Context } from './context.js'

/** One variant of the storm, from a fresh setup. */
export interface ReconnectLeg {
  variant: ReconnectVariant
  /** Clients signed in and connected to the first instance before the drain; how many had a ticket. */
  connected: number
  withTicket: number
  reconnected: number
  failed: number
  /** First reconnect attempt to the last `ready` on the second instance. */
  windowMs: number
  connectionsPerSecond: number
  /** CPU of the receiving instance and of Redis over the storm, per connection reconnected. */
  serverUsPerConnection: number
  redisUsPerConnection: number
  /** The auth service's CPU over the storm (seconds), and per connection. */
  authCpuSeconds: number
  authUsPerConnection: number
  /** HTTP requests the auth service answered over the storm (its own metrics; the reading itself not counted). */
  authRequests: number
  /** The busier generator's share of one core over the storm. */
  generatorLoad: number
  /** Close codes the clients saw (the drain's 1012) and errors on the way back. */
  closeCodes: Record<string, number>
  errors: Record<string, number>
}

export interface ReconnectResult {
  kind: 'reconnect'
  connections: number
  inFlight: number
  legs: ReconnectLeg[]
}

export interface ReconnectDeps {
  config: BenchConfig
  pass: number
  log: (message: string) => void
  redisUrl: string
  logDir: string
  flush: () => Promise<void>
  /** Starts the two chat instances (trusting `jwksUrl`) and the generators, runs `measure`, stops them. */
  onTarget: <T>(jwksUrl: string, measure: (ctx: Context) => Promise<T>) => Promise<T>
}

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0)
const merge = (into: Record<string, number>, from: Record<string, number>): void => {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n
}

interface Sample { receiver: number, redis: number, auth: number, generators: number[], at: number, us: number }

/** Requests the auth service has answered, by its request-duration histogram, less those for /metrics. */
async function authRequests (auth: AuthService): Promise<number> {
  const text = await fetch(`${auth.url}/metrics`).then(async (r) => await r.text(), () => '')
  let count = 0
  for (const line of text.split('\n')) {
    if (!line.startsWith('webchat_auth_http_request_duration_seconds_count{') || line.includes('route="/metrics"')) continue
    count += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0
  }
  return count
}

const sample = (ctx: Context, auth: AuthService): Sample => ({
  receiver: cpuSeconds(ctx.servers.pids[1]!),
  redis: sum(ctx.redisPids.map(cpuSeconds)),
  auth: cpuSeconds(auth.child.pid),
  generators: ctx.generators.map((g) => cpuSeconds(g.pid)),
  at: performance.now(),
  us: monotonicUs()
})

async function storm (ctx: Context, variant: ReconnectVariant, auth: AuthService, cookies: string[]): Promise<ReconnectLeg> {
  const { inFlight } = ctx.config.reconnect
  const [from, to] = ctx.servers.urls as [string, string]
  const shares = ctx.generators.map((_, g) => cookies.filter((_, i) => i % ctx.generators.length === g))
  const opened = await Promise.all(ctx.generators.map(async (g, i) =>
    await g.call<{ opened: number, failed: number, withTicket: number, errors: Record<string, number> }>(
      'reconnectOpen', { cookies: shares[i], authUrl: auth.url, url: from, inFlight, timeoutMs: 30_000 }, 600_000)))
  const connected = sum(opened.map((o) => o.opened))
  const withTicket = sum(opened.map((o) => o.withTicket))
  const setupErrors: Record<string, number> = {}
  for (const o of opened) merge(setupErrors, o.errors)
  ctx.log(`reconnect ${variant}: ${connected} connected to the first instance (${withTicket} with a ticket)${Object.keys(setupErrors).length > 0 ? `, errors ${JSON.stringify(setupErrors)}` : ''}`)
  if (variant === 'ticket' && withTicket === 0) throw new Error('no `ready` carried a reconnect ticket: the chat service under test has none')
  // Let the joins' presence and the token mints settle before measuring.
  await new Promise((resolve) => setTimeout(resolve, 1000))
  await Promise.all(ctx.generators.map(async (g) => await g.call('reconnectArm', { variant, to, inFlight, timeoutMs: 30_000 })))
  const requestsBefore = await authRequests(auth)
  const before = sample(ctx, auth)
  process.kill(ctx.servers.pids[0]!, 'SIGTERM')
  const results = await Promise.all(ctx.generators.map(async (g) =>
    await g.call<{ reconnected: number, failed: number, firstUs: number, lastUs: number, left: number, errors: Record<string, number>, closeCodes: Record<string, number> }>(
      'reconnectWait', { timeoutMs: 120_000 }, 150_000)))
  const after = sample(ctx, auth)
  if (ctx.config.profile) ctx.log(`profile window of the ${variant} storm on the receiving instance: ${profileWindow(before, after)}`)
  const requests = await authRequests(auth) - requestsBefore
  await Promise.all(ctx.generators.map(async (g) => await g.call('reconnectClose', {}, 10_000).catch(() => {})))
  const reconnected = sum(results.map((r) => r.reconnected))
  const starts = results.filter((r) => r.firstUs > 0)
  const windowMs = starts.length === 0 ? NaN : (Math.max(...results.map((r) => r.lastUs)) - Math.min(...starts.map((r) => r.firstUs))) / 1000
  const per = (seconds: number): number => (seconds * 1e6) / Math.max(1, reconnected)
  const errors: Record<string, number> = {}
  const closeCodes: Record<string, number> = {}
  for (const r of results) { merge(errors, r.errors); merge(closeCodes, r.closeCodes) }
  const wall = (after.at - before.at) / 1000
  const leg: ReconnectLeg = {
    variant,
    connected,
    withTicket,
    reconnected,
    failed: sum(results.map((r) => r.failed + r.left)),
    windowMs,
    connectionsPerSecond: reconnected / (windowMs / 1000),
    serverUsPerConnection: per(after.receiver - before.receiver),
    redisUsPerConnection: per(after.redis - before.redis),
    authCpuSeconds: after.auth - before.auth,
    authUsPerConnection: per(after.auth - before.auth),
    authRequests: requests,
    generatorLoad: Math.max(...after.generators.map((x, i) => x - (before.generators[i] ?? 0))) / wall,
    closeCodes,
    errors
  }
  ctx.log(`reconnect ${variant}: ${reconnected} back in ${windowMs.toFixed(0)} ms = ${leg.connectionsPerSecond.toFixed(0)}/s (${leg.failed} failed), ` +
    `server ${leg.serverUsPerConnection.toFixed(0)} µs/connection, redis ${leg.redisUsPerConnection.toFixed(0)}, auth ${(leg.authCpuSeconds * 1000).toFixed(0)} ms ` +
    `(${leg.authUsPerConnection.toFixed(0)} µs/connection, ${requests} requests), generators ${(leg.generatorLoad * 100).toFixed(0)} %, closes ${JSON.stringify(closeCodes)}` +
    `${Object.keys(errors).length > 0 ? ` errors ${JSON.stringify(errors)}` : ''}`)
  return leg
}

/**
 * Reconnect storm (webchat only): `connections` clients signed in to the real auth service (their
 * sessions seeded in Redis), all connected to one instance, which is drained (SIGTERM: every
 * socket closed with 1012); each reconnects to the other at once. Twice, each from a fresh
 * setup (Redis emptied, auth and both instances started anew): with a fresh token from auth, and
 * with the ticket of the last `ready`. The order alternates by pass.
 */
export async function reconnect (deps: ReconnectDeps): Promise<ReconnectResult> {
  const { connections, inFlight } = deps.config.reconnect
  const variants: ReconnectVariant[] = deps.pass % 2 === 1 ? ['token', 'ticket'] : ['ticket', 'token']
  const legs: ReconnectLeg[] = []
  for (const variant of variants) {
    await deps.flush()
    const sessionSecret = randomBytes(32).toString('base64url')
    const seeded = await seedSessions({ redisUrl: deps.redisUrl, prefix: REDIS_PREFIX, secret: sessionSecret, count: connections })
    const auth = await startAuthService({ redisUrl: deps.redisUrl, prefix: REDIS_PREFIX, issuer: ISSUER, sessionSecret, origin: ORIGIN, logDir: deps.logDir })
    try {
      legs.push(await deps.onTarget(auth.jwksUrl, async (ctx) => await storm(ctx, variant, auth, seeded.map((s) => s.cookie))))
    } catch (err) {
      deps.log(`reconnect ${variant} failed: ${err instanceof Error ? err.message : String(err)}`)
    } finally {
      await auth.stop()
    }
  }
  if (legs.length === 0) throw new Error('neither variant of the reconnect storm ran')
  return { kind: 'reconnect', connections, inFlight, legs }
}
