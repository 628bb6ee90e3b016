import { batch } from '@preact/signals'
import type { LeftReason, RoomListEntry } from '@webchat/shared'
import { infoFromEntry, roomLabel, withDetails } from '../model/room-info.js'
import { applyMemberChange, applyRoster, namePeer } from '../model/roster.js'
import { applyInbox } from '../model/room-state.js'
import { updateRoom, type ChatState } from './chat-state.js'
import type { ChatConnection } from './connection-feed.js'
import { dropRoom, putRoom } from './room-entries.js'

export interface RoomsFeedDeps {
  select (name: string): void
  /** Rooms being joined from the join form, which shows their refusal itself. */
  joining: ReadonlySet<string>
}

const NOTICES: Partial<Record<LeftReason, string>> = {
  removed: 'You were removed from',
  banned: 'You were banned from'
}

/**
 * Feeds the server's list of my rooms into the state: the whole list after every connect, rooms
 * added and changed live, rooms I am no longer in (with a notice when someone else took me out),
 * roster changes, and each listed room's roster when it is open.
 */
export function feedRooms (state: ChatState, conn: ChatConnection, deps: RoomsFeedDeps): { loadRoster (name: string): void } {
  const { select, joining } = deps
  const me = (): string => state.me.peek().id
  /** Rooms whose roster was asked for since their last join. */
  const asked = new Set<string>()

  /** A room of mine as the server lists it; a direct room's other person keeps the name I know for them. */
  function list (entry: RoomListEntry): void {
    const info = infoFromEntry(entry)
    const known = state.rooms.peek().get(entry.room.id)?.info.peer
    const keep = info.peer?.name === '' && known?.id === info.peer.id && known.name !== ''
    putRoom(state, conn, entry.room.id, keep ? { ...info, peer: known } : info)
    updateRoom(state, entry.room.id, (r) => namePeer(entry.inbox === undefined ? r : applyInbox(r, entry.inbox)))
  }

  /** My membership ended: the room goes, and I am told why unless I left it myself. */
  function ended (name: string, reason: LeftReason): void {
    const room = state.rooms.peek().get(name)
    if (room === undefined) return
    if (reason === 'archived') {
      updateRoom(state, name, (r) => ({ ...r, info: { ...r.info, archived: true } }))
      return
    }
    batch(() => {
      const notice = NOTICES[reason]
      if (notice !== undefined) state.notice.value = `${notice} ${roomLabel(name, room.info)}.`
      dropRoom(state, conn, name, select)
    })
  }

  conn.on('rooms', (frame) => {
    batch(() => {
      const listed = new Set(frame.rooms.map((entry) => entry.room.id))
      for (const entry of frame.rooms) list(entry)
      // Listed before, gone now: my membership ended while this page was not connected. A public
      // room stays, as one joined by name (anyone may join it).
      for (const room of [...state.rooms.peek().values()]) {
        if (!room.info.listed || listed.has(room.name)) continue
        if (room.info.kind === 'public') {
          updateRoom(state, room.name, (r) => ({ ...r, info: { ...r.info, listed: false } }))
        } else {
          state.notice.value = `You are no longer in ${roomLabel(room.name, room.info)}.`
          dropRoom(state, conn, room.name, select)
        }
      }
    })
  })
  conn.on('room', ({ entry }) => list(entry))
  conn.on('room_removed', ({ room, reason }) => ended(room, reason))
  conn.on('left', ({ room, reason }) => { if (reason !== undefined) ended(room, reason) })
  conn.on('room_updated', ({ room, details }) => updateRoom(state, room, (r) => ({ ...r, info: withDetails(r.info, details) })))
  conn.on('member', (frame) => updateRoom(state, frame.room, (r) => applyMemberChange(r, frame, me())))
  // A join (or a rejoin after a drop, which may have missed roster changes) makes the roster stale.
  conn.on('joined', ({ room }) => {
    asked.delete(room)
    updateRoom(state, room, (r) => namePeer(r.roster === null ? r : { ...r, roster: null }))
  })
  conn.on('presence', ({ room }) => updateRoom(state, room, namePeer))
  conn.on('message', ({ room }) => updateRoom(state, room, namePeer))
  // A room joined in the address that is not mine (or not there) goes, saying so.
  conn.on('error', (frame) => {
    const room = frame.ref === undefined ? undefined : state.rooms.peek().get(frame.ref)
    if (frame.code !== 'not_found' || room === undefined || room.info.listed || room.joined || joining.has(room.name)) return
    batch(() => {
      state.notice.value = `Room not found: ${roomLabel(room.name, room.info)}. It does not exist, or it is private.`
      dropRoom(state, conn, room.name, select)
    })
  })

  return {
    loadRoster (name) {
      const room = state.rooms.peek().get(name)
      if (room === undefined || !room.info.listed || room.info.kind === 'direct' || room.roster !== null || asked.has(name)) return
      asked.add(name)
      // Asked once per join: a refusal is not asked again on every change of the room.
      conn.listMembers(name).then((members) => updateRoom(state, name, (r) => applyRoster(r, members)), () => {})
    }
  }
}
