import fp from 'fastify-plugin'
import type { FastifyBaseLogger } from 'fastify'
import type { Engine, Unsubscribe } from '@webchat/engine'
import { CloseCode } from '@webchat/shared'
import type { Config } from '../../config.js'
import type { Connection } from '../../connection/connection.js'
import { withDeadline } from '../../deadline.js'
import { names } from '../../names.js'
import type { Metrics } from './metrics.js'

/** The open sockets of this instance, by session and by user; pings, logout and shutdown. */
export interface Connections {
  readonly closing: boolean
  /** Registers a connection; resolves once its user's event channel is subscribed. */
  add (conn: Connection): Promise<void>
  remove (conn: Connection): void
  count (): number
  /** Closes this instance's sockets of a session (logout) with 4001. */
  endSession (sid: string): number
  /** Stops accepting, closes every socket with 1012 and waits for them (terminating stragglers). */
  shutdown (): Promise<void>
}

const EXPIRY_SWEEP_MS = 500

interface UserSlot { conns: Set<Connection>, subscription: Promise<Unsubscribe> }
interface Deps { engine: Engine, config: Config, metrics: Metrics, log: FastifyBaseLogger }

export function createConnections ({ engine, config, metrics, log }: Deps): Connections {
  const all = new Set<Connection>()
  const sessions = new Map<string, Set<Connection>>()
  const users = new Map<string, UserSlot>()
  let closing = false

  const ping = setInterval(() => {
    for (const conn of all) {
      if (!conn.alive) { conn.ws.terminate(); continue }
      conn.alive = false
      conn.ws.ping()
    }
  }, config.PING_INTERVAL_MS)
  ping.unref()
  // Tokens past their expiry (plus grace) close with 4003: one sweep for all, not a timer each.
  const expiry = setInterval(() => {
    const now = Date.now()
    for (const conn of all) conn.expire(now)
  }, Math.min(EXPIRY_SWEEP_MS, Math.max(50, config.TOKEN_GRACE_MS)))
  expiry.unref()

  const subscribeUser = (userId: string, slot: UserSlot): Promise<Unsubscribe> =>
    engine.pubsub.subscribe(names.userChannel(userId), (payload) => {
      let sent = 0
      for (const conn of slot.conns) if (conn.send(payload)) sent++
      metrics.framesOut.inc(sent)
    })

  const releaseUser = (userId: string, slot: UserSlot): void => {
    if (users.get(userId) === slot) users.delete(userId)
    slot.subscription.then(async (unsubscribe) => { await unsubscribe() }, () => {}).catch((err: unknown) => {
      log.warn({ err }, 'unsubscribe from user channel failed')
    })
  }

  const connections: Connections = {
    get closing () { return closing },
    async add (conn) {
      all.add(conn)
      metrics.connections.inc()
      let session = sessions.get(conn.sid)
      if (session === undefined) sessions.set(conn.sid, session = new Set())
      session.add(conn)
      let slot = users.get(conn.user.id)
      if (slot === undefined) {
        slot = { conns: new Set(), subscription: Promise.resolve(async () => {}) }
        slot.subscription = subscribeUser(conn.user.id, slot)
        slot.subscription.catch(() => {})
        users.set(conn.user.id, slot)
      }
      slot.conns.add(conn)
      try {
        await slot.subscription
      } catch (err) {
        // Let the next connection of this user try again.
        if (users.get(conn.user.id) === slot) users.delete(conn.user.id)
        throw err
      }
    },
    remove (conn) {
      if (!all.delete(conn)) return
      metrics.connections.dec()
      const session = sessions.get(conn.sid)
      session?.delete(conn)
      if (session?.size === 0) sessions.delete(conn.sid)
      const slot = users.get(conn.user.id)
      if (slot !== undefined && slot.conns.delete(conn) && slot.conns.size === 0) releaseUser(conn.user.id, slot)
    },
    count: () => all.size,
    endSession (sid) {
      const session = sessions.get(sid)
      if (session === undefined) return 0
      for (const conn of session) conn.close(CloseCode.sessionEnded, 'session ended')
      return session.size
    },
    async shutdown () {
      closing = true
      clearInterval(ping)
      clearInterval(expiry)
      const closed = [...all].map(async (conn) => {
        if (conn.ws.readyState === conn.ws.CLOSED) return
        await new Promise<void>((resolve) => {
          conn.ws.once('close', () => resolve())
          conn.close(CloseCode.restarting, 'instance restarting')
        })
      })
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.all(closed),
        new Promise((resolve) => { timer = setTimeout(resolve, config.SOCKET_CLOSE_GRACE_MS) })
      ])
      clearTimeout(timer)
      for (const conn of all) conn.ws.terminate()
    }
  }
  return connections
}

declare module 'fastify' {
  interface FastifyInstance { connections: Connections }
}

export default fp(async (fastify) => {
  const { chatEngine: engine, log } = fastify
  const connections = createConnections({ engine, config: fastify.chatConfig, metrics: fastify.chatMetrics, log })
  fastify.decorate('connections', connections)

  // Logout on any instance: auth publishes the session id.
  let unsubscribe: Unsubscribe | null = null
  let retry: NodeJS.Timeout | undefined
  let stopped = false
  const subscribe = async (): Promise<Unsubscribe> => {
    const attempt = engine.pubsub.subscribe(names.sessionRevokedChannel, (sid) => {
      const closed = connections.endSession(sid)
      if (closed > 0) log.info({ sockets: closed }, 'session ended: sockets closed')
    })
    attempt.then((done) => {
      if (stopped) void done().catch(() => {})
      else unsubscribe = done
    }, (err: unknown) => {
      log.error({ err }, 'cannot subscribe to session revocations; retrying')
      if (!stopped) retry = setTimeout(() => { void subscribe().catch(() => {}) }, 1000)
    })
    return await attempt
  }
  await withDeadline(subscribe(), 5000).catch(() => {})

  fastify.addHook('preClose', async () => {
    fastify.presence.close()
    await connections.shutdown()
  })
  fastify.addHook('onClose', async () => {
    stopped = true
    clearTimeout(retry)
    await unsubscribe?.().catch(() => {})
  })
}, { name: 'chat-connections', dependencies: ['chat-engine', 'chat-metrics', 'chat-presence'] })
