import type { FastifyBaseLogger } from 'fastify'
import type { Engine, Unsubscribe } from '@webchat/engine'
import { type ChatMessage, countMessage, emptyInbox, type InboxEntry } from '@webchat/shared'
import { MESSAGE_PREFIX } from '../delivery/message-frame.js'
import { names } from '../names.js'
import { bucketOf } from '../user-events.js'
import type { InboxStore } from './store.js'

/** What the live inbox needs of a connection (connection.ts's Connection is one). */
export interface Watcher {
  readonly user: { id: string }
  sendFrame: (frame: { type: 'inbox', room: string, inbox: InboxEntry }) => boolean
  /** Whether the connection has joined the room (then its client counts from `message` frames). */
  inRoom: (room: string) => boolean
}

interface Watch { watchers: Set<Watcher>, subscription: Promise<Unsubscribe> }

/**
 * The inbox of each connected user's rooms, kept current on this instance. A connection that has
 * not joined a room of its list "watches" it: the instance follows the room's channel (one
 * subscription a room, counted like joined rooms) and applies each relayed `message` with
 * `countMessage`, sending `inbox {room}` to the connection. While joined it does not watch (the
 * client counts from the `message` frames it gets anyway), so a room's fan-out stays one frame per
 * connection. Counted per connection so that two devices on one instance each get their frame.
 */
export interface InboxLive {
  /** A connection's list, as its `rooms` frame had it: it watches every room it has not joined. */
  open (conn: Watcher, entries: ReadonlyMap<string, InboxEntry>): void
  close (conn: Watcher): void
  /** Joined: it stops watching. Left: it watches again (true when the room is in its list). */
  joined (conn: Watcher, room: string): void
  left (conn: Watcher, room: string): boolean
  /** The room entered the connection's list (or is there already): set its entry. */
  set (conn: Watcher, room: string, entry: InboxEntry): void
  /** The room left the connection's list. */
  remove (conn: Watcher, room: string): void
  /** The connection's current entry of the room, if it lists it. */
  get (conn: Watcher, room: string): InboxEntry | undefined
  /**
   * Pub/sub came back (for the channels of `scope`, or all): watched rooms whose channel it names,
   * and every room of the users whose event channel it names, get fresh counts.
   */
  refresh (scope?: ReadonlySet<string>): Promise<void>
  watching (): number
}

export function createInboxLive ({ engine, store, log }: { engine: Engine, store: InboxStore, log: FastifyBaseLogger }): InboxLive {
  const lists = new Map<Watcher, Map<string, InboxEntry>>()
  const watches = new Map<string, Watch>()

  const relay = (room: string, watch: Watch, payload: string): void => {
    if (!payload.startsWith(MESSAGE_PREFIX)) return
    let message: ChatMessage
    try {
      message = JSON.parse(payload) as ChatMessage
    } catch {
      return
    }
    for (const conn of watch.watchers) {
      const list = lists.get(conn)
      const entry = list?.get(room)
      if (list === undefined || entry === undefined) continue
      const next = countMessage(entry, message, conn.user.id)
      if (next === entry) continue
      list.set(room, next)
      conn.sendFrame({ type: 'inbox', room, inbox: next })
    }
  }

  const watch = (conn: Watcher, room: string): void => {
    let slot = watches.get(room)
    if (slot === undefined) {
      const created: Watch = { watchers: new Set(), subscription: Promise.resolve(async () => {}) }
      created.subscription = engine.pubsub.subscribe(names.roomChannel(room), (payload) => { relay(room, created, payload) })
      created.subscription.catch((err: unknown) => {
        log.warn({ err, room }, 'inbox: cannot follow the room')
        if (watches.get(room) === created) watches.delete(room)
      })
      watches.set(room, created)
      slot = created
    }
    slot.watchers.add(conn)
  }

  const unwatch = (conn: Watcher, room: string): void => {
    const slot = watches.get(room)
    if (slot === undefined || !slot.watchers.delete(conn) || slot.watchers.size > 0) return
    watches.delete(room)
    slot.subscription.then(async (unsubscribe) => { await unsubscribe() }, () => {}).catch((err: unknown) => {
      log.warn({ err, room }, 'inbox: unsubscribe failed')
    })
  }

  return {
    open (conn, entries) {
      if (lists.has(conn)) return
      lists.set(conn, new Map(entries))
      for (const room of entries.keys()) if (!conn.inRoom(room)) watch(conn, room)
    },
    close (conn) {
      const list = lists.get(conn)
      if (list === undefined) return
      lists.delete(conn)
      for (const room of list.keys()) unwatch(conn, room)
    },
    joined (conn, room) {
      unwatch(conn, room)
    },
    left (conn, room) {
      if (lists.get(conn)?.has(room) !== true) return false
      watch(conn, room)
      return true
    },
    set (conn, room, entry) {
      const list = lists.get(conn)
      if (list === undefined) return
      const known = list.has(room)
      list.set(room, entry)
      if (!known && !conn.inRoom(room)) watch(conn, room)
    },
    remove (conn, room) {
      if (lists.get(conn)?.delete(room) === true) unwatch(conn, room)
    },
    get: (conn, room) => lists.get(conn)?.get(room),
    async refresh (scope) {
      // A room's messages were lost with its channel (watched rooms), a read on another device with
      // the user's event channel (every room of the list). One read per user and room.
      const byUser = new Map<string, { rooms: Set<string>, conns: Set<Watcher> }>()
      for (const [conn, list] of lists) {
        const events = scope === undefined || scope.has(names.userEvents(bucketOf(conn.user.id)))
        for (const room of list.keys()) {
          if (!events && (conn.inRoom(room) || !scope.has(names.roomChannel(room)))) continue
          const group = byUser.get(conn.user.id) ?? { rooms: new Set(), conns: new Set() }
          group.rooms.add(room)
          group.conns.add(conn)
          byUser.set(conn.user.id, group)
        }
      }
      await Promise.all([...byUser].map(async ([userId, { rooms, conns }]) => {
        const wanted = [...rooms]
        const entries = await store.entries(userId, wanted)
        wanted.forEach((room, i) => {
          const entry = entries[i] ?? emptyInbox()
          for (const conn of conns) {
            const list = lists.get(conn)
            if (list?.has(room) !== true) continue
            list.set(room, entry)
            conn.sendFrame({ type: 'inbox', room, inbox: entry })
          }
        })
      }))
    },
    watching: () => watches.size
  }
}
