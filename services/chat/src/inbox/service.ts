import type { FastifyBaseLogger } from 'fastify'
import { type Engine, engineDeadline } from '@webchat/engine'
import { emptyInbox, type InboxEntry, type InboxTotals, type RoomListEntry, totalsOf } from '@webchat/shared'
import type { Config } from '../config.js'
import { names } from '../names.js'
import { bucketOf, encodeUserEvent } from '../user-events.js'
import { createInboxLive, type InboxLive, type Watcher } from './live.js'
import { createInboxStore, type InboxStore } from './store.js'

/** The inbox as the rest of the service uses it: counts in lists, reads, and the send path's two calls. */
export interface Inbox {
  readonly live: InboxLive
  /** The user's rooms with their inbox entries, and the totals. */
  list (userId: string, rooms: RoomListEntry[]): Promise<{ rooms: RoomListEntry[], totals: InboxTotals }>
  /** One room's entry: known to a connection of the user here, else read from the store. */
  entry (userId: string, room: string, conns?: Iterable<Watcher>): Promise<InboxEntry>
  /**
   * A `read` frame: moves the marker forward, and when it moved sends the room's fresh entry to
   * every connection of the user, on every instance (the user's event channel). False when it did not move.
   */
  read (userId: string, room: string, id: string): Promise<boolean>
  recordMentions: InboxStore['recordMentions']
}

interface Deps { engine: Engine, config: Config, log: FastifyBaseLogger }

export function createInbox ({ engine, config, log }: Deps): Inbox {
  const store = createInboxStore({ engine, config })
  const live = createInboxLive({ engine, store, log })
  const fetch = async (userId: string, room: string): Promise<InboxEntry> => (await store.entries(userId, [room]))[0] ?? emptyInbox()

  return {
    live,
    async list (userId, rooms) {
      const entries = await store.entries(userId, rooms.map((entry) => entry.room.id))
      return { rooms: rooms.map((entry, i) => ({ ...entry, inbox: entries[i] ?? emptyInbox() })), totals: totalsOf(entries) }
    },
    async entry (userId, room, conns = []) {
      for (const conn of conns) {
        // A joined connection's entry stopped following (its client counts from the messages).
        if (conn.inRoom(room)) continue
        const known = live.get(conn, room)
        if (known !== undefined) return known
      }
      return await fetch(userId, room)
    },
    async read (userId, room, id) {
      if (!await store.markRead(userId, room, id)) return false
      const frame = JSON.stringify({ type: 'inbox', room, inbox: await fetch(userId, room) })
      await engineDeadline(engine.pubsub.publish(names.userEvents(bucketOf(userId)), encodeUserEvent(userId, frame)), config.engineTimeoutMs)
      return true
    },
    recordMentions: store.recordMentions
  }
}
