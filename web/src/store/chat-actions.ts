import { batch } from '@preact/signals'
import { isWebchatError, type AuthClient } from '@webchat/client'
import { errorText } from '../model/chat-errors.js'
import { addPending, removePending } from '../model/pending.js'
import { quoteOf } from '../model/message-changes.js'
import { applyHistory, createRoomState, markRead, type RoomState } from '../model/room-state.js'
import { updateRoom, type ChatState } from './chat-state.js'
import type { ChatConnection } from './connection-feed.js'
import { dropRoom } from './room-entries.js'
import { createSender } from './sender.js'

/** Everything the chat screen can do; each action changes the state, and the views follow. */
export interface ChatActions {
  select (name: string): void
  /** Opens a room, joining it; resolves with what went wrong, if anything. */
  join (name: string): Promise<string | undefined>
  leave (name: string): void
  /**
   * Sends a message to the open room, answering the message being replied to, if any, with the
   * people it mentions; it shows as pending until the server has it.
   */
  send (text: string, mentions?: { mentions: string[], mentionsRoom: boolean }): void
  retry (clientMsgId: string): void
  discard (clientMsgId: string): void
  /** Loads the page of messages before the oldest shown in the open room. */
  loadOlder (): void
  typing (): void
  /** The list says whether the reader is at its bottom. */
  seen (atBottom: boolean): void
  /** The page says whether it is visible. */
  setVisible (visible: boolean): void
  /** Resolves with what went wrong, if anything. */
  rename (name: string): Promise<string | undefined>
  reconnect (): void
  /** Marks the open room read when its newest message is on screen and the page is seen. */
  readIfSeen (): void
}

export interface ActionDeps {
  auth: Pick<AuthClient, 'rename'>
  newId: () => string
  now: () => number
  /** Rooms being joined by `join`, which says itself what went wrong. */
  joining: Set<string>
}

export function createChatActions (state: ChatState, conn: ChatConnection, deps: ActionDeps): ChatActions {
  const active = (): string => state.active.peek()
  const roomOf = (name: string): RoomState | undefined => state.rooms.peek().get(name)
  const has = (name: string): boolean => roomOf(name) !== undefined

  function readIfSeen (): void {
    if (!state.visible.peek() || !state.atBottom.peek()) return
    const room = state.room.peek()
    const next = markRead(room)
    if (next === room) return
    updateRoom(state, room.name, () => next)
    if (next.lastRead !== null && next.lastRead !== room.lastRead) conn.read(room.name, next.lastRead)
  }

  function select (name: string): void {
    if (!has(name)) return
    batch(() => {
      if (state.active.peek() !== name) {
        state.replying.value = null
        state.editing.value = null
      }
      state.active.value = name
      // A room opens at its newest message.
      state.atBottom.value = true
    })
    readIfSeen()
  }

  const removeRoom = (name: string): void => { dropRoom(state, conn, name, select) }
  /** A join refused for good: the room goes (a listed room stays: the server's list decides). */
  const refusedForGood = (err: unknown, name: string): boolean => isWebchatError(err) &&
    (err.code === 'too_many_rooms' || err.code === 'invalid_room' || (err.code === 'not_found' && roomOf(name)?.info.listed !== true))

  const sendPending = createSender(state, conn, readIfSeen)

  return {
    select,
    readIfSeen,
    async join (name) {
      if (!has(name)) state.rooms.value = new Map(state.rooms.peek()).set(name, createRoomState(name))
      select(name)
      deps.joining.add(name)
      try {
        await conn.join(name)
        return undefined
      } catch (err) {
        if (refusedForGood(err, name)) removeRoom(name)
        return errorText(err)
      } finally {
        deps.joining.delete(name)
      }
    },
    leave (name) {
      if (state.rooms.peek().size <= 1) return
      conn.leave(name)
      removeRoom(name)
    },
    send (text, mentions) {
      const clientMsgId = deps.newId()
      const answered = state.replying.peek()
      const replyTo = answered === null ? undefined : quoteOf(answered)
      state.replying.value = null
      updateRoom(state, active(), (r) => addPending(r, { clientMsgId, text, ts: deps.now(), status: 'sending', replyTo, ...mentions }))
      sendPending(active(), clientMsgId)
    },
    retry (clientMsgId) { sendPending(active(), clientMsgId) },
    discard (clientMsgId) { updateRoom(state, active(), (r) => removePending(r, clientMsgId)) },
    loadOlder () {
      const room = state.room.peek()
      const oldest = room.messages[0]
      if (!room.more || room.loadingOlder || oldest === undefined || !room.joined) return
      updateRoom(state, room.name, (r) => ({ ...r, loadingOlder: true }))
      conn.history(room.name, oldest.id).then(
        (page) => updateRoom(state, room.name, (r) => applyHistory(r, page.messages, page.more)),
        () => updateRoom(state, room.name, (r) => ({ ...r, loadingOlder: false })))
    },
    typing () { conn.typing(active()) },
    seen (atBottom) {
      state.atBottom.value = atBottom
      readIfSeen()
    },
    setVisible (visible) {
      state.visible.value = visible
      readIfSeen()
    },
    async rename (name) {
      try {
        state.me.value = await deps.auth.rename(name)
        conn.refreshToken()
        return undefined
      } catch (err) {
        return errorText(err)
      }
    },
    reconnect () { conn.reconnect() }
  }
}
