import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, FastifyServerOptions, LightMyRequestResponse } from 'fastify'
import { Cluster, Redis } from 'ioredis'
import t, { type Test } from 'tap'
import { connectRedisEngine, createMemoryEngine, type Engine } from '@webchat/engine'
import { redisTarget } from '@webchat/service-kit'
import { LIMITS, SIGN_IN_COOKIE } from '@webchat/shared'
import { startRedis, startRedisCluster, startSmtpSink, type SmtpSink, type TestRedis, type TestRedisCluster } from '@webchat/testkit'
import { buildApp, type AppOptions } from '../src/app.js'
import { loadConfig, type Config, type Env } from '../src/config.js'

export type EngineKind = 'memory' | 'redis'
export const ENGINES: EngineKind[] = ['memory', 'redis']

/** AUTH_TEST_REDIS=cluster: the 'redis' kind runs on a local Redis Cluster (3 primaries, 3 replicas) instead of one redis-server. */
export const ON_REDIS_CLUSTER = process.env.AUTH_TEST_REDIS === 'cluster'

/**
 * The `skip` option of a test that talks to one redis-server itself (its URL, stopping it): on a
 * cluster it is skipped with this reason, naming what it needs.
 */
export const singleRedisOnly = (needs: string): string | false =>
  ON_REDIS_CLUSTER ? `needs one redis-server (${needs}); AUTH_TEST_REDIS=cluster runs on a Redis Cluster` : false

let redisCluster: Promise<TestRedisCluster> | undefined
/** One local Redis Cluster for the whole test file, stopped when the file's tests end. */
export async function useRedisCluster (): Promise<TestRedisCluster> {
  redisCluster ??= startRedisCluster(t)
  return await redisCluster
}

/** REDIS_CLUSTER_NODES or REDIS_URL of the file's Redis (as AUTH_TEST_REDIS says), with a fresh REDIS_PREFIX. */
async function redisEnv (): Promise<Env> {
  if (ON_REDIS_CLUSTER) {
    const cluster = await useRedisCluster()
    return {
      REDIS_CLUSTER_NODES: cluster.nodes.map((node) => `${node.host}:${node.port}`).join(','),
      REDIS_PREFIX: `t${randomBytes(4).toString('hex')}:`
    }
  }
  const server = await useRedis()
  return { REDIS_URL: server.url, REDIS_PREFIX: server.prefix() }
}

let redis: Promise<TestRedis> | undefined
/** One real redis-server for the whole test file, stopped when the file's tests end. */
export async function useRedis (): Promise<TestRedis> {
  if (redis === undefined) {
    redis = startRedis()
    const started = redis
    t.teardown(async () => { await (await started).close() })
  }
  return await redis
}

export interface RedisAdmin {
  /** A client of the file's Redis (one server, or the cluster, routing each key to its node). */
  client: Redis | Cluster
  /** The keys matching `pattern`, on every primary of a cluster. */
  keys: (pattern: string) => Promise<string[]>
}

/** A client that looks at the file's Redis (one server, or the cluster under AUTH_TEST_REDIS=cluster) directly, closed after the test. */
export async function redisAdmin (t: Test): Promise<RedisAdmin> {
  if (ON_REDIS_CLUSTER) {
    const cluster = await useRedisCluster()
    const client = new Cluster(cluster.nodes.map(({ host, port }) => ({ host, port })))
    t.teardown(async () => { await client.quit() })
    const keys = async (pattern: string): Promise<string[]> => (await Promise.all(client.nodes('master').map(async (node) => await node.keys(pattern)))).flat()
    return { client, keys }
  }
  const client = new Redis((await useRedis()).url)
  t.teardown(async () => { await client.quit() })
  return { client, keys: async (pattern) => await client.keys(pattern) }
}

/** A folder removed after the test. */
export function tempDir (t: Test, name = 'auth'): string {
  const dir = mkdtempSync(join(tmpdir(), `webchat-${name}-`))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  return dir
}

/** Config for a test: silent logs, its own DATA_DIR and Redis prefix, no web app, `env` on top. */
export async function testConfig (t: Test, kind: EngineKind, env: Env = {}): Promise<Config> {
  const base: Env = {
    LOG_LEVEL: 'silent',
    ENGINE: kind,
    DATA_DIR: tempDir(t),
    WEB_ROOT: join(tmpdir(), 'webchat-no-web-app'),
    MAIL_TRANSPORT: 'console',
    DOCS: 'false'
  }
  return loadConfig({ ...base, ...(kind === 'redis' ? await redisEnv() : {}), ...env })
}

export interface Built {
  app: FastifyInstance
  config: Config
  sink: SmtpSink
  engine: Engine
}

export interface BuildOptions extends Partial<Omit<AppOptions, 'config'>> {
  env?: Env
  /** An SMTP sink to use; by default a fresh one. */
  sink?: SmtpSink
  /** Fastify options on top of the service's own (default: no logger). */
  server?: FastifyServerOptions
}

/** The engine `config` describes, closed after the test (the app is given it and leaves it open). */
export async function engineFor (t: Test, config: Config): Promise<Engine> {
  const engine = config.engine === 'redis'
    ? await connectRedisEngine({ ...redisTarget(config), prefix: config.redisPrefix })
    : createMemoryEngine()
  t.teardown(async () => { await engine.close() })
  return engine
}

/**
 * Starts the app (inject only) on `kind` with a real SMTP sink; everything closes after the
 * test. The engine is made here and passed in, so the test can look at it.
 */
export async function build (t: Test, kind: EngineKind, options: BuildOptions = {}): Promise<Built> {
  const sink = options.sink ?? await startSmtpSink()
  if (options.sink === undefined) t.teardown(async () => { await sink.close() })
  const config = await testConfig(t, kind, { MAIL_TRANSPORT: 'smtp', SMTP_URL: sink.url, ...options.env })
  const { env: _env, sink: _sink, server, ...appOptions } = options
  const engine = appOptions.engine ?? await engineFor(t, config)
  const app = await buildApp({ ...appOptions, engine, config, server: { logger: false, ...server } })
  t.teardown(async () => { await app.close() })
  return { app, config, sink, engine }
}

/** A real SMTP sink closed after the test. */
export async function smtpSink (t: Test): Promise<SmtpSink> {
  const sink = await startSmtpSink()
  t.teardown(async () => { await sink.close() })
  return sink
}

/** A memory engine closed after the test. */
export function memoryEngine (t: Test): Engine {
  const engine = createMemoryEngine()
  t.teardown(async () => { await engine.close() })
  return engine
}

/** `name=value` of the session cookie a response set, for the next request's Cookie header. */
export function sessionCookie (res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'webchat_session')
  if (cookie === undefined) throw new Error(`no session cookie set (status ${res.statusCode}: ${res.body})`)
  return `${cookie.name}=${cookie.value}`
}

/**
 * Who sends a request: the client address (`remoteAddress`; light-my-request's by default) and
 * the browser (`as`; 'owner' by default), which keeps the sign-in cookies its code requests got.
 */
export interface From { from?: string, as?: string }

/** Per app, the sign-in cookie each browser holds (set by its last code request). */
const browsers = new WeakMap<FastifyInstance, Map<string, string>>()
const remote = (from: string | undefined): { remoteAddress?: string } => from === undefined ? {} : { remoteAddress: from }

/** The sign-in cookie browser `as` holds on `app`. */
export const signInCookieOf = (app: FastifyInstance, as = 'owner'): string | undefined => browsers.get(app)?.get(as)

/** Headers with the sign-in cookie of browser `as` added to `headers.cookie`, as a browser sends it. */
function withSignIn (app: FastifyInstance, as: string, headers: Record<string, string>): Record<string, string> {
  const cookie = [headers.cookie, signInCookieOf(app, as)].filter((c) => c !== undefined && c !== '').join('; ')
  return { ...headers, ...(cookie === '' ? {} : { cookie }) }
}

/** `POST /auth/code` from the browser `as`, which keeps the sign-in cookie it gets. */
export async function requestCode (app: FastifyInstance, email: string, headers: Record<string, string> = {}, { from, as = 'owner' }: From = {}): Promise<LightMyRequestResponse> {
  const res = await app.inject({ method: 'POST', url: '/auth/code', payload: { email }, headers: withSignIn(app, as, headers), ...remote(from) })
  const cookie = res.cookies.find((c) => c.name === SIGN_IN_COOKIE)
  if (cookie !== undefined) {
    const jar = browsers.get(app) ?? new Map<string, string>()
    browsers.set(app, jar.set(as, `${cookie.name}=${cookie.value}`))
  }
  return res
}

/** `POST /auth/verify` from the browser `as`, with its sign-in cookie; a browser that asked for no code has none. */
export async function verify (app: FastifyInstance, email: string, code: string, headers: Record<string, string> = {}, { from, as = 'owner' }: From = {}): Promise<LightMyRequestResponse> {
  return await app.inject({ method: 'POST', url: '/auth/verify', payload: { email, code }, headers: withSignIn(app, as, headers), ...remote(from) })
}

/** The newest code mailed to `email`. */
export async function mailedCode (sink: SmtpSink, email: string, timeoutMs = 5000): Promise<string> {
  return await sink.codeFor(email, timeoutMs)
}

/** Signs in through the routes and returns the Cookie header of the new session. */
export async function signIn (built: Built, email: string): Promise<string> {
  const sent = await requestCode(built.app, email)
  if (sent.statusCode !== 202) throw new Error(`code request failed: ${sent.statusCode} ${sent.body}`)
  const res = await verify(built.app, email, await mailedCode(built.sink, email))
  if (res.statusCode !== 200) throw new Error(`verify failed: ${res.statusCode} ${res.body}`)
  return sessionCookie(res)
}

/** A code other than `code`. */
export const wrong = (code: string): string => String((Number(code) + 1) % 10 ** LIMITS.codeDigits).padStart(LIMITS.codeDigits, '0')

export const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))
