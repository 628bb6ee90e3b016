import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { WebSocket } from 'ws'
import { buildApp as buildAuth, generateSigningJwk, loadConfig as loadAuthConfig } from '@webchat/auth'
import { buildApp as buildChat, loadConfig as loadChatConfig } from '@webchat/chat'
import { freePort, startRedis, startSmtpSink, type SmtpSink, type TestRedis } from '@webchat/testkit'
import type { SocketConstructor } from '../../src/socket.js'

/**
 * A whole deployment for tests, every part real: a throwaway redis-server, an SMTP sink, auth
 * instances and chat instances on 127.0.0.1, all on one Redis prefix (as one deployment), the
 * auth instances sharing their secrets and signing key (as replicas do). Auth instance i tells
 * the web app to use chat instance i (`CHAT_PUBLIC_URL`), so each browser that loads its page
 * from a different auth instance talks to a different chat instance.
 */
export interface StackAuth { app: FastifyInstance, url: string, origin: string }
export interface StackChat {
  url: string
  port: number
  app: FastifyInstance | undefined
  /** Closes the instance (its sockets get 1012) and leaves the port free. */
  stop (): Promise<void>
  /** Starts it again on the same port. */
  start (): Promise<void>
}
export interface Stack {
  redis: TestRedis
  sink: SmtpSink
  auths: StackAuth[]
  chats: StackChat[]
  /** A `ws` WebSocket class that sends the Origin of auth instance `i`, as a browser on its page would. */
  socketFrom (i?: number): SocketConstructor
}

export interface StackOptions {
  auths?: number
  chats?: number
  /** Built web app to serve from every auth instance. */
  webRoot?: string
  /** Extra auth settings (environment names). */
  authEnv?: Record<string, string>
  /** Extra chat settings (environment names). */
  chatEnv?: Record<string, string>
}

export async function startStack (t: Test, options: StackOptions = {}): Promise<Stack> {
  const nAuth = options.auths ?? 1
  const nChat = options.chats ?? 1
  const redis = await startRedis()
  t.teardown(async () => { await redis.close() })
  const sink = await startSmtpSink()
  t.teardown(async () => { await sink.close() })
  const prefix = redis.prefix()
  const authPorts = await Promise.all(Array.from({ length: nAuth }, async () => await freePort()))
  const chatPorts = await Promise.all(Array.from({ length: nChat }, async () => await freePort()))
  const origins = authPorts.map((port) => `http://127.0.0.1:${port}`)
  const chatUrls = chatPorts.map((port) => `ws://127.0.0.1:${port}/ws`)
  const dataDir = mkdtempSync(join(tmpdir(), 'webchat-stack-'))
  t.teardown(() => { rmSync(dataDir, { recursive: true, force: true }) })
  const shared = {
    SESSION_SECRET: randomBytes(32).toString('hex'),
    CODE_SECRET: randomBytes(32).toString('hex'),
    SIGNING_KEYS: JSON.stringify([await generateSigningJwk()])
  }

  const chats: StackChat[] = chatPorts.map((port, i) => {
    const config = loadChatConfig({
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'silent',
      ENGINE: 'redis',
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      AUTH_URL: origins[i % nAuth]!,
      ALLOWED_ORIGINS: origins.join(','),
      INSTANCE_ID: `chat-${i}`,
      SOCKET_CLOSE_GRACE_MS: '500',
      ...options.chatEnv
    })
    const chat: StackChat = {
      url: chatUrls[i]!,
      port,
      app: undefined,
      async start () {
        if (chat.app !== undefined) return
        const app = await buildChat({ config })
        await app.listen({ host: '127.0.0.1', port })
        chat.app = app
      },
      async stop () {
        const app = chat.app
        chat.app = undefined
        await app?.close()
      }
    }
    t.teardown(async () => { await chat.stop() })
    return chat
  })

  const auths: StackAuth[] = []
  for (const [i, port] of authPorts.entries()) {
    const config = loadAuthConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'silent',
      ENGINE: 'redis',
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: sink.url,
      DATA_DIR: dataDir,
      WEB_ROOT: options.webRoot ?? join(tmpdir(), 'webchat-no-web-app'),
      CHAT_PUBLIC_URL: chatUrls[i % nChat]!,
      DOCS: 'false',
      ...shared,
      ...options.authEnv
    })
    const app = await buildAuth({ config })
    t.teardown(async () => { await app.close() })
    await app.listen({ host: '127.0.0.1', port })
    auths.push({ app, url: origins[i]!, origin: origins[i]! })
  }
  for (const chat of chats) await chat.start()

  return {
    redis,
    sink,
    auths,
    chats,
    socketFrom (i = 0) {
      const origin = origins[i]!
      return class extends WebSocket {
        constructor (url: string, protocols: string[]) {
          super(url, protocols, { origin })
        }
      }
    }
  }
}
