import { countMessage, previewOf, totalsOf, type ChatMessage, type InboxEntry, type InboxTotals, type MessageChange, type RoomListEntry } from '@webchat/shared'

export interface InboxDeps {
  /** The signed-in user, once known (their own messages read a room up to them). */
  me: () => string | undefined
  /** Whether the connection has joined the room on its socket: the server counts the others. */
  joined: (room: string) => boolean
  /** An entry changed (or was dropped: `undefined`). */
  changed: (room: string, entry: InboxEntry | undefined) => void
}

/**
 * Where the user stands in each room of their list: the server's entries (`rooms`, `room`,
 * `inbox`), kept current here for the rooms this connection has joined, where the server sends no
 * `inbox` for a new message: each one is counted with the same `countMessage` the server uses.
 */
export interface InboxTracker {
  get (room: string): InboxEntry | undefined
  entries (): ReadonlyMap<string, InboxEntry>
  totals (): InboxTotals
  /** The whole list, after each connect: rooms not in it are dropped. */
  list (rooms: readonly RoomListEntry[]): void
  /** One entry, from `room` or `inbox`. */
  set (room: string, entry: InboxEntry | undefined): void
  drop (room: string): void
  /** A message of a joined room (live, or from a join's catch-up), in order. */
  message (message: ChatMessage): void
  /** An edit or deletion of the newest message changes its preview. */
  change (change: MessageChange): void
  /** Our own read marker moved: up to the newest message it reads everything (the server confirms it anyway). */
  read (room: string, id: string): void
}

export function createInboxTracker ({ me, joined, changed }: InboxDeps): InboxTracker {
  const entries = new Map<string, InboxEntry>()
  const put = (room: string, entry: InboxEntry): void => {
    if (entries.get(room) === entry) return
    entries.set(room, entry)
    changed(room, entry)
  }
  return {
    get: (room) => entries.get(room),
    entries: () => entries,
    totals: () => totalsOf(entries.values()),
    list (rooms) {
      const listed = new Set(rooms.map((r) => r.room.id))
      for (const room of [...entries.keys()]) if (!listed.has(room)) this.drop(room)
      for (const { room, inbox } of rooms) if (inbox !== undefined) put(room.id, inbox)
    },
    set (room, entry) {
      if (entry !== undefined) put(room, entry)
    },
    drop (room) {
      if (entries.delete(room)) changed(room, undefined)
    },
    message (message) {
      const entry = entries.get(message.room)
      const user = me()
      if (entry === undefined || user === undefined || !joined(message.room)) return
      put(message.room, countMessage(entry, message, user))
    },
    change (change) {
      const entry = entries.get(change.room)
      const last = entry?.last
      if (entry === undefined || last === undefined || last === null || last.id !== change.target || change.kind === 'reaction') return
      put(change.room, {
        ...entry,
        last: change.kind === 'delete' ? { ...last, preview: '', deleted: true } : { ...last, preview: previewOf(change.text ?? '') }
      })
    },
    read (room, id) {
      const entry = entries.get(room)
      if (entry === undefined || entry.last?.id !== id || entry.readSeq === entry.seq) return
      put(room, { ...entry, readSeq: entry.seq, unread: 0, mentions: 0, lastRead: id })
    }
  }
}
