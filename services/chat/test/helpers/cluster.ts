import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import tap from 'tap'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { connectRedisEngine, createMemoryEngine, type Engine } from '@webchat/engine'
import { startRedis, startRedisCluster, type TestRedis, type TestRedisCluster } from '@webchat/testkit'
import { buildApp } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { names } from '../../src/names.js'
import { ISSUER, startAuthStub, type AuthStub, type MintOptions } from './auth-stub.js'
import { connect, type ConnectOptions, type Frame, type TestClient } from './client.js'

export type EngineKind = 'memory' | 'redis'
export const ENGINES: EngineKind[] = ['memory', 'redis']
export const SERVICE_KEY = 'test-service-key-0123456789'
export const ORIGIN = 'http://chat.test'

interface Teardown { teardown (fn: () => unknown): void }

/** CHAT_TEST_REDIS=cluster: the 'redis' kind runs on a local Redis Cluster (3 primaries, 3 replicas) instead of one redis-server. */
export const ON_REDIS_CLUSTER = process.env.CHAT_TEST_REDIS === 'cluster'

/**
 * The `skip` option of a test that talks to one redis-server itself (its URL, stopping it): on a
 * cluster it is skipped with this reason, naming what it needs.
 */
export const singleRedisOnly = (needs: string): string | false =>
  ON_REDIS_CLUSTER ? `needs one redis-server (${needs}); CHAT_TEST_REDIS=cluster runs on a Redis Cluster` : false

let redis: Promise<TestRedis> | undefined
/** One redis-server per test file, stopped after its last test. */
export async function sharedRedis (): Promise<TestRedis> {
  if (redis === undefined) {
    const started = redis = startRedis()
    tap.teardown(async () => { await (await started).close() })
  }
  return await redis
}

let redisCluster: Promise<TestRedisCluster> | undefined
/** One local Redis Cluster per test file, stopped after its last test. */
async function sharedRedisCluster (): Promise<TestRedisCluster> {
  redisCluster ??= startRedisCluster(tap)
  return await redisCluster
}

interface RedisTarget {
  /** The apps' settings for it. */
  env: { REDIS_URL: string } | { REDIS_CLUSTER_NODES: string }
  prefix: string
  server?: TestRedis
  cluster?: TestRedisCluster
  engine: Engine
}

/** A fresh prefix on the file's Redis (one server, or the cluster under CHAT_TEST_REDIS=cluster) and a test-side engine on it. */
async function redisTarget (on: 'single' | 'cluster'): Promise<RedisTarget> {
  if (on === 'cluster') {
    const cluster = await sharedRedisCluster()
    const clusterNodes = cluster.nodes.map((node) => `${node.host}:${node.port}`)
    const prefix = `t${randomBytes(4).toString('hex')}:`
    const engine = await connectRedisEngine({ clusterNodes, prefix, hashTag: names.hashTag })
    return { env: { REDIS_CLUSTER_NODES: clusterNodes.join(',') }, prefix, cluster, engine }
  }
  const server = await sharedRedis()
  const prefix = server.prefix()
  const engine = await connectRedisEngine({ url: server.url, prefix })
  return { env: { REDIS_URL: server.url }, prefix, server, engine }
}

export interface Cluster {
  kind: EngineKind
  apps: FastifyInstance[]
  configs: Config[]
  /** ws:// URL of instance i. */
  wsUrl (i: number): string
  httpUrl (i: number): string
  auth: AuthStub
  /** An engine on the same state as the apps (the shared memory engine, or another Redis client). */
  engine: Engine
  /** The redis-server of the 'redis' kind (not under CHAT_TEST_REDIS=cluster). */
  redis?: TestRedis
  /** The Redis Cluster of the 'redis' kind under CHAT_TEST_REDIS=cluster. */
  redisCluster?: TestRedisCluster
  prefix: string
  /** Connects to instance `i % instances` with a fresh token and waits for `ready`. */
  connect (i: number, options?: MintOptions & ConnectOptions): Promise<TestClient>
  join (client: TestClient, room: string, extra?: { since?: string, epoch?: string }): Promise<Frame>
  /** Posts into a room as a backend (no rate limit); resolves with the message id. */
  post (room: string, text: string, instance?: number): Promise<string>
}

export interface ClusterOptions {
  instances?: number
  /** For the 'redis' kind: one redis-server or a local Redis Cluster. Default: a cluster under CHAT_TEST_REDIS=cluster. */
  redis?: 'single' | 'cluster'
  env?: Record<string, unknown>
  /** Settings of instance i alone, over `env`. */
  envOf?: (i: number) => Record<string, unknown>
  /** Fastify logger options (default: no logging). */
  logger?: FastifyServerOptions['logger']
}

/**
 * Chat instances on 127.0.0.1:0 sharing one engine (memory: one engine object in process;
 * redis: a real redis-server, or a Redis Cluster under CHAT_TEST_REDIS=cluster, and a fresh
 * prefix), with a token-minting JWKS server.
 */
export async function startCluster (t: Teardown, kind: EngineKind, options: ClusterOptions = {}): Promise<Cluster> {
  const instances = options.instances ?? (kind === 'redis' ? 2 : 1)
  const auth = await startAuthStub()
  t.teardown(async () => await auth.close())
  const target = kind === 'redis' ? await redisTarget(options.redis ?? (ON_REDIS_CLUSTER ? 'cluster' : 'single')) : undefined
  const prefix = target?.prefix ?? 'mem:'
  const engine = target?.engine ?? createMemoryEngine()
  const apps: FastifyInstance[] = []
  const configs: Config[] = []
  const clients: TestClient[] = []
  t.teardown(async () => {
    await Promise.allSettled(clients.map(async (c) => await c.close()))
    await Promise.allSettled(apps.map(async (app) => await app.close()))
    await engine.close()
  })
  for (let i = 0; i < instances; i++) {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      ENGINE: kind,
      REDIS_PREFIX: prefix,
      ...target?.env,
      AUTH_URL: auth.url,
      TOKEN_ISSUER: ISSUER,
      ALLOWED_ORIGINS: `${ORIGIN},http://other.test`,
      ALLOW_NO_ORIGIN: true,
      CHAT_SERVICE_KEYS: `unused-key,${SERVICE_KEY}`,
      INSTANCE_ID: `test-${i}`,
      JWKS_COOLDOWN_MS: 0,
      ...options.env,
      ...options.envOf?.(i)
    })
    const app = await buildApp({ config, engine: kind === 'memory' ? engine : undefined, logger: options.logger ?? false })
    apps.push(app)
    configs.push(config)
    await app.listen({ host: '127.0.0.1', port: 0 })
  }
  const port = (i: number): number => (apps[i % instances]!.server.address() as AddressInfo).port
  const cluster: Cluster = {
    kind, apps, configs, auth, engine, redis: target?.server, redisCluster: target?.cluster, prefix,
    wsUrl: (i) => `ws://127.0.0.1:${port(i)}/ws`,
    httpUrl: (i) => `http://127.0.0.1:${port(i)}`,
    async connect (i, opts = {}) {
      const client = await connect(cluster.wsUrl(i), await auth.mint(opts), opts)
      clients.push(client)
      await client.waitFor((f) => f.type === 'ready', 5000, 'ready frame')
      return client
    },
    async join (client, room, extra = {}) {
      client.send({ type: 'join', room, ...extra })
      return await client.waitFor((f) => f.type === 'joined' && f.room === room && !seen.has(f), 5000, `joined ${room}`).then((f) => { seen.add(f); return f })
    },
    post: async () => { throw new Error('set below') }
  }
  const seen = new WeakSet<Frame>()
  cluster.post = async (room, text, instance = 0) => {
    const response = await fetch(`${cluster.httpUrl(instance)}/api/rooms/${room}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: 'bot', name: 'Bot' }, text })
    })
    const body = await response.json() as { id?: string }
    if (response.status !== 201 || body.id === undefined) throw new Error(`post failed: ${response.status} ${JSON.stringify(body)}`)
    return body.id
  }
  return cluster
}

/** Polls `check` until it holds or `timeoutMs` passes. */
export async function eventually (check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`${what} did not hold within ${timeoutMs} ms`)
}
