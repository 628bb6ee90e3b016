import type { FastifyBaseLogger } from 'fastify'
import type { Engine, Unsubscribe } from '@webchat/engine'
import { CloseCode } from '@webchat/shared'
import type { Config } from '../config.js'
import type { Metrics } from '../metrics.js'
import { names } from '../names.js'
import { decodeNotice, type Notice } from '../membership/notices.js'
import { bucketOf, decodeUserEvent } from '../user-events.js'
import type { Connection } from './connection.js'
import { ConnectionGroups } from './groups.js'

/** The open sockets of this instance, by session and by user; pings, logout and shutdown. */
export interface Connections {
  readonly closing: boolean
  /** Registers a connection; resolves once the channel of its user's events is subscribed. */
  add (conn: Connection): Promise<void>
  remove (conn: Connection): void
  count (): number
  /** Every open socket of this instance. */
  each (): Iterable<Connection>
  /** Handles the notices about users' rooms (membership/notices.ts) that reach this instance. */
  onNotice (handler: (connections: Iterable<Connection>, notice: Notice) => void): void
  /** Sees each other frame pushed to a user (an `inbox` update) before their connections get it. */
  onUserFrame (handler: (connections: Iterable<Connection>, frame: string) => void): void
  /** Closes this instance's sockets of a session (logout) with 4001. */
  endSession (sid: string): number
  /** The session ids of the open sockets. */
  sessionIds (): IterableIterator<string>
  /** Stops accepting, closes every socket with 1012 and waits for them (terminating stragglers). */
  shutdown (): Promise<void>
}

const EXPIRY_SWEEP_MS = 500

interface Bucket { count: number, subscription: Promise<Unsubscribe> }
interface Deps { engine: Engine, config: Config, metrics: Metrics, log: FastifyBaseLogger }

export function createConnections ({ engine, config, metrics, log }: Deps): Connections {
  const all = new Set<Connection>()
  const sessions = new ConnectionGroups()
  const users = new ConnectionGroups()
  const buckets = new Map<number, Bucket>()
  let closing = false

  const ping = setInterval(() => {
    for (const conn of all) {
      if (!conn.alive) { conn.ws.terminate(); continue }
      conn.alive = false
      conn.ping()
    }
  }, config.pingIntervalMs)
  ping.unref()
  // Tokens past their expiry (plus grace) close with 4003: one sweep for all, not a timer each.
  const expiry = setInterval(() => {
    const now = Date.now()
    for (const conn of all) conn.expire(now)
  }, Math.min(EXPIRY_SWEEP_MS, Math.max(50, config.tokenGraceMs)))
  expiry.unref()

  let noticeHandler: ((connections: Iterable<Connection>, notice: Notice) => void) | null = null
  let frameHandler: ((connections: Iterable<Connection>, frame: string) => void) | null = null

  const onUserEvent = (payload: string): void => {
    const event = decodeUserEvent(payload)
    if (event === null) return
    const notice = decodeNotice(event.frame)
    if (notice !== null) {
      noticeHandler?.(users.get(event.userId), notice)
      return
    }
    frameHandler?.(users.get(event.userId), event.frame)
    let sent = 0
    for (const conn of users.get(event.userId)) if (conn.send(event.frame)) sent++
    metrics.framesOut.inc(sent)
  }

  const release = (bucket: number, slot: Bucket): void => {
    if (buckets.get(bucket) === slot) buckets.delete(bucket)
    slot.subscription.then(async (unsubscribe) => { await unsubscribe() }, () => {}).catch((err: unknown) => {
      log.warn({ err }, 'unsubscribe from user events failed')
    })
  }

  const connections: Connections = {
    get closing () { return closing },
    async add (conn) {
      all.add(conn)
      metrics.connections.inc()
      sessions.add(conn.sid, conn)
      users.add(conn.user.id, conn)
      const bucket = bucketOf(conn.user.id)
      let slot = buckets.get(bucket)
      if (slot === undefined) {
        slot = { count: 0, subscription: engine.pubsub.subscribe(names.userEvents(bucket), onUserEvent) }
        slot.subscription.catch(() => {})
        buckets.set(bucket, slot)
      }
      slot.count++
      try {
        await slot.subscription
      } catch (err) {
        // Let the next connection of this bucket try again.
        slot.count--
        if (buckets.get(bucket) === slot) buckets.delete(bucket)
        throw err
      }
    },
    remove (conn) {
      if (!all.delete(conn)) return
      metrics.connections.dec()
      sessions.delete(conn.sid, conn)
      users.delete(conn.user.id, conn)
      const bucket = bucketOf(conn.user.id)
      const slot = buckets.get(bucket)
      if (slot !== undefined && --slot.count === 0) release(bucket, slot)
    },
    count: () => all.size,
    each: () => [...all],
    onNotice (handler) {
      noticeHandler = handler
    },
    onUserFrame (handler) {
      frameHandler = handler
    },
    sessionIds: () => sessions.keys(),
    endSession (sid) {
      let closed = 0
      for (const conn of sessions.get(sid)) {
        conn.close(CloseCode.sessionEnded, 'session ended')
        closed++
      }
      return closed
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
        new Promise((resolve) => { timer = setTimeout(resolve, config.socketCloseGraceMs) })
      ])
      clearTimeout(timer)
      for (const conn of all) conn.ws.terminate()
    }
  }
  return connections
}
