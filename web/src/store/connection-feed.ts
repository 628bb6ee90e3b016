import { batch } from '@preact/signals'
import { type Connection, presenceChanges } from '@webchat/client'
import { applyChange } from '../model/message-changes.js'
import { applyInbox, applyJoined, applyMessage } from '../model/room-state.js'
import { applyPresence, applyRead, applyTyping } from '../model/room-people.js'
import { updateRoom, type ChatState } from './chat-state.js'

/** What the store needs of a chat connection (`createConnection` gives it; tests give a fake). */
export type ChatConnection = Pick<Connection,
  'on' | 'join' | 'leave' | 'send' | 'edit' | 'delete' | 'react' | 'typing' | 'read' | 'history' | 'reconnect' | 'refreshToken' | 'close' |
  'createRoom' | 'direct' | 'invite' | 'remove' | 'ban' | 'unban' | 'setRole' | 'mute' | 'unmute' | 'updateRoom' | 'leaveRoom' | 'listMembers'>

/** How long an announced message may be: screen readers read all of it. */
const ANNOUNCE_CHARS = 300

/**
 * Feeds the connection's events into the state through the pure room model. `readIfSeen` runs
 * after a change to the open room, so that what the reader sees is marked read.
 */
export function feedConnection (state: ChatState, conn: ChatConnection, readIfSeen: () => void, now: () => number): void {
  const me = (): string => state.me.peek().id
  const isActive = (room: string): boolean => room === state.active.peek()

  conn.on('state', (next) => {
    batch(() => {
      state.connection.value = next
      if (next.state === 'open') state.everOpen.value = true
    })
  })
  conn.on('joined', (frame) => {
    updateRoom(state, frame.room, (r) => applyJoined(r, frame, me()))
    if (isActive(frame.room)) readIfSeen()
  })
  conn.on('message', (frame) => {
    const { type: _type, ...message } = frame
    const before = state.rooms.peek().get(frame.room)
    // A member's own message reads the room up to it (the server moves their marker, and sends no `read`).
    updateRoom(state, frame.room, (r) => applyRead(applyMessage(r, message, me()), message.user, message.id))
    if (before === state.rooms.peek().get(frame.room) || !isActive(frame.room)) return
    if (message.user.id !== me()) state.announcement.value = `${message.user.name}: ${[...message.text].slice(0, ANNOUNCE_CHARS).join('')}`
    readIfSeen()
  })
  conn.on('ready', (frame) => { if (frame.editWindowMs !== undefined) state.editWindowMs.value = frame.editWindowMs })
  // Live, and after a resume those it missed, in order, after the room's `joined`.
  conn.on('change', (frame) => {
    const { type: _type, ...change } = frame
    updateRoom(state, frame.room, (r) => applyChange(r, change))
    if (change.kind === 'delete') {
      if (state.editing.peek() === change.target) state.editing.value = null
      if (state.replying.peek()?.id === change.target) state.replying.value = null
    }
  })
  conn.on('inbox', ({ room, inbox }) => updateRoom(state, room, (r) => applyInbox(r, inbox)))
  // Several changes that happened together come in one frame, applied in order.
  conn.on('presence', (frame) => updateRoom(state, frame.room, (r) => presenceChanges(frame).reduce((room, { event, user }) => applyPresence(room, event, user), r)))
  conn.on('typing', (frame) => {
    if (frame.user.id !== me()) updateRoom(state, frame.room, (r) => applyTyping(r, frame.user, now()))
  })
  conn.on('read', (frame) => updateRoom(state, frame.room, (r) => applyRead(r, frame.user, frame.id)))
}
