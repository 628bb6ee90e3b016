import { computed, signal, type ReadonlySignal, type Signal } from '@preact/signals'
import type { ChatMessage, User } from '@webchat/shared'
import type { ConnectionState } from '@webchat/client'
import { createRoomState, type RoomState } from '../model/room-state.js'

/**
 * The chat screen's state, in signals: who I am, my rooms, which one is open, the connection, and
 * what the page tells the store about the reader (page visible, list scrolled to the bottom).
 * Everything the views show is derived from these.
 */
export interface ChatState {
  readonly me: Signal<User>
  /** In sidebar order. */
  readonly rooms: Signal<ReadonlyMap<string, RoomState>>
  readonly active: Signal<string>
  /** Undefined until the connection first says what it is doing. */
  readonly connection: Signal<ConnectionState | undefined>
  /** The connection has been open once: a later "connecting" is a reconnect. */
  readonly everOpen: Signal<boolean>
  /** The newest message of someone else in the open room, for screen readers. */
  readonly announcement: Signal<string>
  /** Something that happened to my rooms that I should know of ("You were removed from …"); empty: none. */
  readonly notice: Signal<string>
  /** The page is visible. */
  readonly visible: Signal<boolean>
  /** The reader is at the bottom of the open room's messages, following the newest. */
  readonly atBottom: Signal<boolean>
  /** How long after sending a message its author may edit it (the server's `ready.editWindowMs`). */
  readonly editWindowMs: Signal<number>
  /** The message of the open room my next one answers, if any. */
  readonly replying: Signal<ChatMessage | null>
  /** The id of my message of the open room being edited, if any. */
  readonly editing: Signal<string | null>
  /** The open room. */
  readonly room: ReadonlySignal<RoomState>
  /** Unread messages in rooms the reader is not looking at, for the page title. */
  readonly unreadElsewhere: ReadonlySignal<number>
}

/** The server's default, until it says its own. */
const DEFAULT_EDIT_WINDOW_MS = 15 * 60_000

export function createChatState (me: User, roomNames: readonly string[], active: string): ChatState {
  const rooms = signal<ReadonlyMap<string, RoomState>>(new Map(roomNames.map((name) => [name, createRoomState(name)])))
  const activeName = signal(active)
  const visible = signal(true)
  return {
    me: signal(me),
    rooms,
    active: activeName,
    connection: signal(undefined),
    everOpen: signal(false),
    announcement: signal(''),
    notice: signal(''),
    visible,
    atBottom: signal(true),
    editWindowMs: signal(DEFAULT_EDIT_WINDOW_MS),
    replying: signal(null),
    editing: signal(null),
    room: computed(() => rooms.value.get(activeName.value)!),
    unreadElsewhere: computed(() => {
      let unread = 0
      for (const r of rooms.value.values()) if (r.name !== activeName.value || !visible.value) unread += r.unread
      return unread
    })
  }
}

/** Replaces one room's state by `change(state)`; nothing happens for a room I am not in. */
export function updateRoom (state: ChatState, name: string, change: (room: RoomState) => RoomState): void {
  const room = state.rooms.peek().get(name)
  if (room === undefined) return
  const next = change(room)
  if (next !== room) state.rooms.value = new Map(state.rooms.peek()).set(name, next)
}
