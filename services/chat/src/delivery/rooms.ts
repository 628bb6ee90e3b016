import type { FastifyBaseLogger } from 'fastify'
import type { Engine, Unsubscribe } from '@webchat/engine'
import { compareIds, type Member, newerId, type ServerFrame } from '@webchat/shared'
import type { Config } from '../config.js'
import type { Metrics } from '../metrics.js'
import { names } from '../names.js'
import { createOutage, holdRelayed, isHolding, type Membership, type RoomHold } from './hold.js'
import type { Reader } from '../lifecycle/reader.js'
import { changeFrame, isChangeEntry } from '../lifecycle/entries.js'
import { entryIdOf, frameOf } from './message-frame.js'
import type { Outbox, Recipient } from './outbox.js'
import { feedItemOf, presencePayload } from './presence-relay.js'
import { createFeeds, type Feed } from './room-feed.js'

/** A room as this instance holds it: one subscription, the local sockets, the last id relayed. */
export interface LocalRoom extends RoomHold {
  readonly name: string
  readonly members: Map<Recipient, Membership>
  /** What goes out to the members, batched per flush. */
  readonly feed: Feed
  /** The newest message id relayed here: later ones are new, earlier ones are duplicates. */
  lastId: string
  ready: Promise<void>
  unsubscribe: Unsubscribe | null
}

export interface Rooms {
  /** Adds the connection to the room, subscribing this instance first if needed. */
  attach (room: string, conn: Recipient, membership: Membership): Promise<LocalRoom>
  detach (room: string, conn: Recipient): void
  /** Buffers the room's live frames for `membership` (a rejoin reading the log) until it sends its snapshot. */
  hold (room: string, membership: Membership): void
  /** Publishes an ephemeral frame (typing, read) to every instance. */
  publish (frame: ServerFrame & { room: string }): Promise<void>
  /** Publishes a presence change and the version it gave the room's presence set (presence-relay.ts). */
  publishPresence (room: string, event: 'join' | 'leave', user: Member, version: number): Promise<void>
  get (room: string): LocalRoom | undefined
  /** Told when a connection is attached to a room (true) or detached (false): the inbox stops or starts watching it. */
  onMembers (listener: (room: string, conn: Recipient, attached: boolean) => void): void
  all (): IterableIterator<LocalRoom>
  /** Pub/sub was lost (for the rooms whose channels `scope` names, or all): they hold what they are relayed until `catchUp`. */
  interrupt (scope?: ReadonlySet<string>): void
  /** Fills the gap after a pub/sub outage: each room in `scope` (or every room) replays its log after its last id. */
  catchUp (scope?: ReadonlySet<string>): Promise<void>
  close (): Promise<void>
}

interface Deps { engine: Engine, config: Config, metrics: Metrics, outbox: Outbox, log: FastifyBaseLogger, reader: Reader }

export function createRooms ({ engine, config, metrics, outbox, log, reader }: Deps): Rooms {
  const rooms = new Map<string, LocalRoom>()
  const feeds = createFeeds(outbox, metrics, config.fanoutHoldMs)
  let members: (room: string, conn: Recipient, attached: boolean) => void = () => {}

  const relay = (room: LocalRoom, payload: string): void => {
    const id = entryIdOf(payload)
    if (id !== null) {
      if (holdRelayed(room, payload)) return
      if (compareIds(id, room.lastId) <= 0) return
      room.lastId = id
    }
    feeds.deliver(room.feed, feedItemOf(payload))
  }

  /** The rooms whose channels `scope` names (a cluster shard's), or all of them. */
  const inScope = (scope: ReadonlySet<string> | undefined): LocalRoom[] =>
    scope === undefined ? [...rooms.values()] : [...rooms.values()].filter((room) => scope.has(names.roomChannel(room.name)))

  const subscribe = async (room: LocalRoom): Promise<void> => {
    room.unsubscribe = await engine.pubsub.subscribe(names.roomChannel(room.name), (payload) => relay(room, payload))
    // Messages after this point arrive by pub/sub; the log tells where they start.
    const info = await engine.logs.info(names.roomLog(room.name))
    room.lastId = newerId(room.lastId, info.lastId) ?? '0-0'
  }

  const open = (name: string): LocalRoom => {
    const members = new Map<Recipient, Membership>()
    const room: LocalRoom = {
      name, members, feed: feeds.create(members), lastId: '0-0', pending: null, catchingUp: false, again: false, unsubscribe: null, ready: Promise.resolve()
    }
    room.ready = subscribe(room)
    room.ready.catch(() => {})
    rooms.set(name, room)
    metrics.rooms.set(rooms.size)
    return room
  }

  const release = (room: LocalRoom): void => {
    feeds.close(room.feed)
    if (rooms.get(room.name) === room) rooms.delete(room.name)
    metrics.rooms.set(rooms.size)
    room.ready.then(async () => await room.unsubscribe?.(), () => {}).catch((err: unknown) => {
      log.warn({ err, room: room.name }, 'unsubscribe failed')
    })
  }

  const readGap = async (room: LocalRoom): Promise<number> => {
    let recovered = 0
    for (let attempt = 0; ; attempt++) {
      try {
        const entries = await engine.logs.readAfter(names.roomLog(room.name), room.lastId, config.roomHistory)
        // Changes go out as live ones do, with the state of their message now.
        const changes = new Map((await reader.entries(room.name, entries)).changes.map((change) => [change.id, change]))
        for (const { id, data } of entries) {
          if (compareIds(id, room.lastId) <= 0) continue
          room.lastId = id
          const change = changes.get(id)
          if (change !== undefined) {
            feeds.deliver(room.feed, changeFrame(change))
          } else if (!isChangeEntry(data)) {
            feeds.deliver(room.feed, frameOf(id, data))
          }
          recovered++
        }
        return recovered
      } catch (err) {
        if (attempt >= 4 || rooms.get(room.name) !== room) throw err
        await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)))
      }
    }
  }

  const outage = createOutage<LocalRoom>(async (room) => { metrics.catchUps.inc(await readGap(room)) }, relay)

  return {
    async attach (name, conn, membership) {
      const room = rooms.get(name) ?? open(name)
      room.members.set(conn, membership)
      members(name, conn, true)
      if (isHolding(membership)) feeds.hold(room.feed, membership)
      try {
        await room.ready
      } catch (err) {
        room.members.delete(conn)
        members(name, conn, false)
        if (rooms.get(name) === room) rooms.delete(name)
        metrics.rooms.set(rooms.size)
        throw err
      }
      return room
    },
    detach (name, conn) {
      const room = rooms.get(name)
      if (room === undefined || !room.members.delete(conn)) return
      members(name, conn, false)
      if (room.members.size === 0) release(room)
    },
    hold (name, membership) {
      const room = rooms.get(name)
      if (room !== undefined) feeds.hold(room.feed, membership)
    },
    async publish (frame) {
      await engine.pubsub.publish(names.roomChannel(frame.room), JSON.stringify(frame))
    },
    async publishPresence (room, event, user, version) {
      await engine.pubsub.publish(names.roomChannel(room), presencePayload(room, event, user, version))
    },
    get: (name) => rooms.get(name),
    onMembers (listener) { members = listener },
    all: () => rooms.values(),
    interrupt (scope) {
      outage.interrupt(inScope(scope))
    },
    async catchUp (scope) {
      const results = await outage.resume(inScope(scope))
      for (const result of results) {
        if (result.status === 'rejected') log.error({ err: result.reason }, 'catch-up from the room log failed')
      }
    },
    async close () {
      const all = [...rooms.values()]
      rooms.clear()
      for (const room of all) feeds.close(room.feed)
      await Promise.allSettled(all.map(async (room) => { await room.ready; await room.unsubscribe?.() }))
    }
  }
}
