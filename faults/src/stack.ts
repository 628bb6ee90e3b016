import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WebSocket } from 'ws'
import { createAuthClient, type AuthClient, type SocketConstructor } from '@webchat/client'
import { SIGN_IN_COOKIE } from '@webchat/shared'
import { freePort, startSmtpSink, type SmtpSink } from '@webchat/testkit'
import { cookieOf, http, waitForStatus } from './http.js'
import { createKeyPair, type KeyPair } from './keys.js'
import { spawnProc, type Proc } from './process.js'
import { createRedisServer, type RedisServer } from './redis-server.js'

/** The repository root (this file is faults/src/stack.ts, or faults/dist/stack.js). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The origin the web app is served from, as a browser would send it. */
export const PUBLIC_ORIGIN = 'https://chat.example.test'

interface Teardown { teardown (fn: () => unknown): void, passing? (): boolean, comment (...args: unknown[]): void }

/** One service process (auth or chat) on 127.0.0.1. */
export interface Service {
  readonly name: string
  readonly port: number
  /** http://127.0.0.1:<port> */
  readonly url: string
  /** ws://127.0.0.1:<port>/ws (chat) */
  readonly wsUrl: string
  readonly env: Record<string, string>
  /** The current process (a new one after `start()`). */
  readonly proc: Proc
  /** Starts the process again with the same environment (after it exited). */
  start (): Promise<void>
}

export interface StackOptions {
  /** Chat instances (default 2). */
  chats?: number
  /** A redis-server to use; default a new one without persistence, started. */
  redis?: RedisServer
  /** Do not wait for /readyz (for outages at start); /healthz is awaited instead. */
  skipReady?: boolean
  /** SMTP_URL to give auth instead of the sink (a dead or silent mail server). */
  smtpUrl?: string
  authEnv?: Record<string, string>
  chatEnv?: Record<string, string>
}

export interface Stack {
  redis: RedisServer
  sink: SmtpSink
  auth: Service
  chats: Service[]
  /** The key auth signs with (SIGNING_KEYS): tests forge tokens with it. */
  signingKey: KeyPair
  prefix: string
  /** Signs a user in over HTTP (code from the SMTP sink), renamed to `name`. */
  signIn (email: string, name?: string): Promise<AuthClient>
  /** A fresh chat token of a signed-in client. */
  token (client: AuthClient): Promise<string>
  /** Signs in over plain HTTP and hands back the session cookie (`name=value`) and the user id. */
  session (email: string): Promise<Session>
  /** A chat token minted with a session cookie. */
  tokenFor (cookie: string): Promise<string>
  /** A `ws` class that sends `origin` (default the public one) and records close codes. */
  socketClass (closes?: number[], origin?: string): SocketConstructor
  /** Every process of the stack, for log checks. */
  procs (): Proc[]
}

export interface Session { cookie: string, userId: string }

const BUILT = ['services/auth/dist/server.js', 'services/chat/dist/server.js']

function service (name: string, script: string, port: number, env: Record<string, string>, procs: Proc[]): Service {
  let proc = spawnProc(name, process.execPath, [script], { env, cwd: ROOT })
  procs.push(proc)
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    env,
    get proc () { return proc },
    async start () {
      if (proc.exit === undefined) throw new Error(`${name} is still running`)
      proc = spawnProc(name, process.execPath, [script], { env, cwd: ROOT })
      procs.push(proc)
    }
  }
}

/** Waits for the service's `path` to answer 200, failing at once when its process exits. */
export async function waitUp (svc: Service, path = '/readyz', timeoutMs = 30_000): Promise<number> {
  const proc = svc.proc
  return await waitForStatus(`${svc.url}${path}`, 200, timeoutMs,
    () => proc.exit === undefined ? undefined : `${svc.name} exited (${JSON.stringify(proc.exit)}):\n${proc.tail()}`)
}

/**
 * The production topology on loopback, every part a real process configured only through its
 * environment, as in production: `node services/auth/dist/server.js`, `chats` ×
 * `node services/chat/dist/server.js` (ENGINE=redis, one REDIS_PREFIX), a redis-server this
 * harness owns, and an SMTP sink. Everything is stopped in teardown; on failure the last lines
 * of every process are printed.
 */
export async function startStack (t: Teardown, options: StackOptions = {}): Promise<Stack> {
  for (const file of BUILT) {
    if (!existsSync(join(ROOT, file))) throw new Error(`${file} is missing: run \`npx tsc -b\` (or npm run build) first`)
  }
  const procs: Proc[] = []
  const dir = mkdtempSync(join(tmpdir(), 'webchat-faults-'))
  const redis = options.redis ?? await createRedisServer({ persistence: 'none' })
  if (options.redis === undefined) await redis.start()
  const sink = await startSmtpSink()
  t.teardown(async () => {
    if (t.passing?.() === false) {
      for (const proc of procs) t.comment(`---- ${proc.name} (pid ${proc.pid}, exit ${JSON.stringify(proc.exit)}):\n${proc.tail(30)}`)
    }
    await Promise.all(procs.map(async (proc) => await proc.stop(5000)))
    await sink.close()
    await redis.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const signingKey = await createKeyPair()
  const prefix = `faults${randomBytes(3).toString('hex')}:`
  const [authPort, ...chatPorts] = await Promise.all(Array.from({ length: 1 + (options.chats ?? 2) }, async () => await freePort()))
  // Exactly this environment, nothing inherited (no REDIS_URL or the like from the test's shell).
  const base = { NODE_ENV: 'production', HOST: '127.0.0.1', LOG_LEVEL: 'info' }
  const authEnv: Record<string, string> = {
    ...base,
    PORT: String(authPort),
    ENGINE: 'redis',
    REDIS_URL: redis.url,
    REDIS_PREFIX: prefix,
    MAIL_TRANSPORT: 'smtp',
    SMTP_URL: options.smtpUrl ?? sink.url,
    DATA_DIR: join(dir, 'auth'),
    SIGNING_KEYS: JSON.stringify([signingKey.privateJwk]),
    SESSION_SECRET: randomBytes(32).toString('hex'),
    CODE_SECRET: randomBytes(32).toString('hex'),
    ALLOWED_ORIGINS: PUBLIC_ORIGIN,
    WEB_ROOT: join(dir, 'no-web-app'),
    DOCS: 'false',
    ...options.authEnv
  }
  const auth = service('auth', 'services/auth/dist/server.js', authPort!, authEnv, procs)
  const chats = chatPorts.map((port, i) => service(`chat-${'abcdefgh'[i]}`, 'services/chat/dist/server.js', port, {
    ...base,
    PORT: String(port),
    ENGINE: 'redis',
    REDIS_URL: redis.url,
    REDIS_PREFIX: prefix,
    AUTH_URL: auth.url,
    ALLOWED_ORIGINS: PUBLIC_ORIGIN,
    INSTANCE_ID: `chat-${'abcdefgh'[i]}`,
    ...options.chatEnv
  }, procs))

  const path = options.skipReady === true ? '/healthz' : '/readyz'
  await Promise.all([auth, ...chats].map(async (svc) => await waitUp(svc, path)))

  const stack: Stack = {
    redis,
    sink,
    auth,
    chats,
    signingKey,
    prefix,
    async signIn (email, name) {
      const client = createAuthClient({ baseUrl: auth.url, origin: PUBLIC_ORIGIN })
      await client.requestCode(email)
      await client.verify(email, await sink.codeFor(email, 10_000))
      if (name !== undefined) await client.rename(name)
      return client
    },
    token: async (client) => (await client.token()).token,
    async session (email) {
      const headers = { origin: PUBLIC_ORIGIN }
      const requested = await http(`${auth.url}/auth/code`, { body: { email }, headers })
      if (requested.status !== 202) throw new Error(`POST /auth/code: ${requested.status} ${requested.text}`)
      const signInCookie = cookieOf(requested, SIGN_IN_COOKIE) ?? ''
      const verified = await http(`${auth.url}/auth/verify`, { body: { email, code: await sink.codeFor(email, 10_000) }, headers: { ...headers, cookie: signInCookie } })
      const cookie = cookieOf(verified, 'webchat_session')
      if (verified.status !== 200 || cookie === undefined) throw new Error(`POST /auth/verify: ${verified.status} ${verified.text}`)
      return { cookie, userId: (verified.json as { user: { id: string } }).user.id }
    },
    async tokenFor (cookie) {
      const answer = await http(`${auth.url}/auth/token`, { method: 'POST', headers: { origin: PUBLIC_ORIGIN, cookie } })
      if (answer.status !== 200) throw new Error(`POST /auth/token: ${answer.status} ${answer.text}`)
      return (answer.json as { token: string }).token
    },
    socketClass (closes = [], origin = PUBLIC_ORIGIN) {
      return class extends WebSocket {
        constructor (url: string, protocols: string[]) {
          super(url, protocols, { origin })
          this.on('close', (code) => { closes.push(code) })
          this.on('error', () => {})
        }
      }
    },
    procs: () => procs
  }
  return stack
}
