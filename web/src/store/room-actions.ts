import type { Role, Room } from '@webchat/shared'
import { errorText } from '../model/chat-errors.js'
import type { MenuItem } from '../model/member-actions.js'
import { infoFromEntry } from '../model/room-info.js'
import type { ChatState } from './chat-state.js'
import type { ChatConnection } from './connection-feed.js'
import type { Invitations } from './invitations.js'
import { dropRoom, putRoom } from './room-entries.js'

/** What to do to a member, from their menu in the members panel. */
export type Moderation =
  | { item: Exclude<MenuItem, 'mute'> | 'unban' }
  | { item: 'mute', minutes: number | undefined }

/** Managing rooms: each resolves with what went wrong (as text to show by the control), if anything. */
export interface RoomActions {
  createRoom (title: string, topic: string): Promise<string | undefined>
  /** Edits the open room's title and topic. */
  editRoom (title: string, topic: string): Promise<string | undefined>
  /** Ends my membership of a listed room; a room joined by name is only left here. */
  leaveRoom (name: string): Promise<string | undefined>
  /** Invites someone to the open room by their email address. */
  invite (email: string): Promise<string | undefined>
  /** Opens the direct conversation with someone, by their email address. */
  startDirect (email: string): Promise<string | undefined>
  moderate (userId: string, what: Moderation): Promise<string | undefined>
  dismissNotice (): void
}

const failure = async (work: () => Promise<unknown>): Promise<string | undefined> => {
  try {
    await work()
    return undefined
  } catch (err) {
    return errorText(err)
  }
}

export interface RoomActionDeps {
  invitations: Invitations
  select (name: string): void
  /** Leaves a room on this connection only (a room joined by name; never the last one). */
  leaveHere (name: string): void
}

export function createRoomActions (state: ChatState, conn: ChatConnection, { invitations, select, leaveHere }: RoomActionDeps): RoomActions {
  const active = (): string => state.active.peek()
  /** A room the server made for me: listed (its `room` event may come before or after), then opened. */
  const open = (room: Room, role: Role): void => {
    const known = state.rooms.peek().get(room.id)?.info
    putRoom(state, conn, room.id, known?.listed === true ? known : infoFromEntry({ room, role }))
    select(room.id)
  }
  const roles: Record<'promote' | 'demote' | 'hand_over', Role> = { promote: 'moderator', demote: 'member', hand_over: 'owner' }

  return {
    createRoom: async (title, topic) => await failure(async () => {
      open(await conn.createRoom(topic === '' ? { title } : { title, topic }), 'owner')
    }),
    editRoom: async (title, topic) => await failure(async () => { await conn.updateRoom(active(), { title, topic }) }),
    leaveRoom: async (name) => await failure(async () => {
      const room = state.rooms.peek().get(name)
      if (room === undefined) return
      if (!room.info.listed) return leaveHere(name)
      await conn.leaveRoom(name)
      dropRoom(state, conn, name, select)
    }),
    invite: async (email) => await failure(async () => {
      await invitations.invite(active(), email)
      // The same answer whether or not the address has an account: nothing here tells which.
      state.notice.value = `Invitation sent to ${email}.`
    }),
    startDirect: async (email) => await failure(async () => { open(await invitations.direct(email), 'member') }),
    moderate: async (userId, what) => await failure(async () => {
      const room = active()
      switch (what.item) {
        case 'remove': return await conn.remove(room, userId)
        case 'ban': return await conn.ban(room, userId)
        case 'unban': return await conn.unban(room, userId)
        case 'mute': return await conn.mute(room, userId, what.minutes)
        case 'unmute': return await conn.unmute(room, userId)
        default: return await conn.setRole(room, userId, roles[what.item])
      }
    }),
    dismissNotice () { state.notice.value = '' }
  }
}
