import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { WebSocket } from 'ws'
import { createAuthClient, decodePayload, resolveChatUrl, type AuthClient, type SocketConstructor } from '@webchat/client'
import { freePort, startRedis, startRedisCluster, startSmtpSink, type SmtpSink, type TestRedisCluster } from '@webchat/testkit'
import { loopbackValues } from '../../src/nginx-config.js'
import { composeConfig, serviceEnv } from './compose.js'
import { startNginx, type Nginx } from './nginx.js'
import { spawnProc, waitForHttp, type Proc } from './processes.js'
import { repoPath } from './repo.js'
import { requireTool } from './tools.js'

export interface ChatInstance {
  readonly name: string
  readonly port: number
  readonly proc: Proc
  /** Whether its process has exited. */
  readonly done: boolean
  /** Open sockets on this instance, from its own /metrics (scraped directly, not through nginx). */
  connections (): Promise<number>
}

export interface Topology {
  /** The single entry point, as a browser would see it: http://127.0.0.1:<nginx port>. */
  origin: string
  sink: SmtpSink
  auth: Proc
  chats: ChatInstance[]
  /** The Redis Cluster the services run on, when started with `redis: 'cluster'`. */
  cluster?: TestRedisCluster
  /** The key prefix the services were given (REDIS_PREFIX). */
  prefix: string
  /** The environment each service was started with (compose's, addresses moved to loopback). */
  env: { auth: Record<string, string>, chat: Record<string, string> }
  /** Signs a user in through nginx (or `via` another entry point, with its own fetch): code mailed to the sink, verified with a same-origin Origin. */
  signIn (email: string, name: string, via?: { origin: string, fetch: typeof globalThis.fetch }): Promise<AuthClient>
  /** The chat socket URL the web app would use (`/config.json`'s chatUrl against the page). */
  chatUrl (auth: AuthClient): Promise<string>
  /**
   * A `ws` class sending this origin, as a browser on the page would; close codes go to `closes`,
   * and every message the server sent (in `message` frames and `joined` snapshots) to `wire`, as it
   * came, before the client's own deduplication.
   */
  socketClass (closes?: number[], wire?: Array<{ room: string, id: string }>): SocketConstructor
}

async function scrapeConnections (port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(3000) })).text()
  const match = /^webchat_chat_connections(?:\{[^}]*\})? ([0-9.]+)$/m.exec(text)
  if (match?.[1] === undefined) throw new Error(`no webchat_chat_connections gauge on port ${port}`)
  return Number(match[1])
}

/** compose's environment without its Redis location: the test gives its own (a URL or cluster nodes, never both). */
function withoutRedis (env: Record<string, string>): Record<string, string> {
  const { REDIS_URL: _url, REDIS_CLUSTER_NODES: _nodes, ...rest } = env
  return rest
}

/** compose's address of nginx, where TRUST_PROXY names it, moved to loopback: here nginx reaches the services from 127.0.0.1. */
const moveProxy = (value: string, composeAddress: string | undefined): string =>
  value.split(',').map((entry) => entry.trim() === composeAddress ? '127.0.0.1' : entry).join(',')

/** compose's public origin port, as ALLOWED_ORIGINS names it, moved to the loopback nginx. */
const movePublicPort = (value: string, composePort: number, port: number): string =>
  value.split(',').map((origin) => origin.replace(new RegExp(`:${composePort}$`), `:${port}`)).join(',')

/**
 * The compose topology without containers, every part real and on 127.0.0.1: one redis-server
 * (or, with `redis: 'cluster'`, a Redis Cluster of 3 primaries and 3 replicas), an SMTP sink, `node services/auth/dist/server.js`, `chats` × `node services/chat/dist/server.js`
 * (each configured with compose's resolved environment, only addresses moved to loopback), and
 * Debian's nginx in the foreground with the one template rendered for loopback. All stopped in
 * teardown; on failure the services' output and nginx's error log are printed.
 */
export async function startTopology (t: Test, options: { chats?: number, authEnv?: Record<string, string>, chatEnv?: Record<string, string>, redis?: 'single' | 'cluster' } = {}): Promise<Topology> {
  requireTool('nginx')
  const compose = composeConfig()
  for (const file of ['services/auth/dist/server.js', 'services/chat/dist/server.js']) {
    if (!existsSync(repoPath(file))) throw new Error(`${file} is missing: run \`npm run build\` first`)
  }
  const procs: Proc[] = []
  const started: { nginx?: Nginx } = {}
  const dir = mkdtempSync(join(tmpdir(), 'webchat-topology-'))
  const cluster = options.redis === 'cluster' ? await startRedisCluster(t) : undefined
  const redis = cluster === undefined ? await startRedis() : undefined
  // Where the services find Redis: one URL, or the cluster's seed nodes instead.
  const redisEnv: Record<string, string> = cluster === undefined
    ? { REDIS_URL: redis!.url }
    : { REDIS_CLUSTER_NODES: cluster.nodes.map((node) => `${node.host}:${node.port}`).join(',') }
  const sink = await startSmtpSink()
  t.teardown(async () => {
    if (!t.passing()) {
      for (const proc of procs) t.comment(`---- ${proc.name} (pid ${proc.pid}) output:\n${proc.output()}`)
      if (started.nginx !== undefined) t.comment(`---- nginx error.log:\n${started.nginx.errorLog()}\n---- nginx access log:\n${started.nginx.accessLog().split('\n').slice(-40).join('\n')}`)
    }
    await Promise.all([...procs.map(async (proc) => await proc.stop(5000)), started.nginx?.stop()])
    await sink.close()
    await redis?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const composePort = compose.services.nginx?.ports?.[0]?.published ?? 8080
  const [listen, authPort, ...chatPorts] = await Promise.all(
    Array.from({ length: 2 + (options.chats ?? 2) }, async () => await freePort()))
  const origin = `http://127.0.0.1:${listen!}`
  const prefix = redis?.prefix() ?? 'webchat:'

  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production' } // NODE_ENV: as the images set it
  const composeAuth = serviceEnv(compose, 'auth')
  const composeChat = serviceEnv(compose, 'chat')
  const composeNginx = compose.services.nginx?.networks?.default?.ipv4_address
  const authEnv: Record<string, string> = {
    ...base,
    ...withoutRedis(composeAuth),
    HOST: '127.0.0.1',
    PORT: String(authPort),
    ...redisEnv,
    REDIS_PREFIX: prefix,
    SMTP_URL: sink.url,
    DATA_DIR: join(dir, 'auth-data'),
    ALLOWED_ORIGINS: movePublicPort(composeAuth.ALLOWED_ORIGINS ?? '', composePort, listen!),
    TRUST_PROXY: moveProxy(composeAuth.TRUST_PROXY ?? '', composeNginx),
    ...options.authEnv
  }
  const chatEnv: Record<string, string> = {
    ...base,
    ...withoutRedis(composeChat),
    HOST: '127.0.0.1',
    ...redisEnv,
    REDIS_PREFIX: prefix,
    AUTH_URL: `http://127.0.0.1:${authPort}`,
    ALLOWED_ORIGINS: movePublicPort(composeChat.ALLOWED_ORIGINS ?? '', composePort, listen!),
    TRUST_PROXY: moveProxy(composeChat.TRUST_PROXY ?? '', composeNginx),
    ...options.chatEnv
  }

  const auth = spawnProc('auth', process.execPath, ['services/auth/dist/server.js'], { env: authEnv, cwd: repoPath() })
  procs.push(auth)
  const chats: ChatInstance[] = chatPorts.map((port, i) => {
    const name = `chat-${String.fromCharCode(97 + i)}`
    const proc = spawnProc(name, process.execPath, ['services/chat/dist/server.js'], { env: { ...chatEnv, PORT: String(port) }, cwd: repoPath() })
    procs.push(proc)
    return { name, port, proc, get done () { return proc.done }, connections: async () => await scrapeConnections(port) }
  })

  const nginx = started.nginx = startNginx(loopbackValues({ listen: listen!, auth: [authPort!], chat: chatPorts }))

  await Promise.all([
    waitForHttp(`http://127.0.0.1:${authPort!}/readyz`, { proc: auth, timeoutMs: 30_000 }),
    ...chats.map(async (chat) => await waitForHttp(`http://127.0.0.1:${chat.port}/readyz`, { proc: chat.proc, timeoutMs: 30_000 })),
    waitForHttp(`${origin}/healthz`, { proc: nginx.proc, timeoutMs: 30_000 })
  ])

  return {
    origin,
    sink,
    auth,
    chats,
    cluster,
    prefix,
    env: { auth: authEnv, chat: chatEnv },
    async signIn (email, name, via) {
      const client = createAuthClient(via === undefined ? { baseUrl: origin } : { baseUrl: via.origin, fetch: via.fetch })
      await client.requestCode(email)
      await client.verify(email, await sink.codeFor(email, 10_000))
      await client.rename(name)
      return client
    },
    async chatUrl (client) {
      return resolveChatUrl((await client.config()).chatUrl, `${origin}/`)
    },
    socketClass (closes = [], wire) {
      return class extends WebSocket {
        constructor (url: string, protocols: string[]) {
          super(url, protocols, { origin })
          this.addEventListener('close', (event) => { closes.push(event.code) })
          if (wire === undefined) return
          this.addEventListener('message', (event) => {
            for (const frame of decodePayload(event.data).frames) {
              if (frame.type === 'message') wire.push({ room: frame.room, id: frame.id })
              if (frame.type === 'joined') wire.push(...frame.messages.map((m) => ({ room: frame.room, id: m.id })))
            }
          })
        }
      }
    }
  }
}
