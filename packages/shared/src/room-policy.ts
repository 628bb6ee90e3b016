import type { Role, RoomKind } from './schemas/rooms.js'

/**
 * What one member may do to another (or to the room) in a room of some kind. The chat service
 * enforces these rules; the web app reads the same ones to offer only what the server would allow.
 */
export type RoomAction = 'invite' | 'remove' | 'mute' | 'ban' | 'promote' | 'demote' | 'hand_over' | 'update'

const RANK: Record<Role, number> = { owner: 3, moderator: 2, member: 1 }

/**
 * The rules, in one place, as a pure function (tested as a table):
 * - Direct rooms are two people and nothing to manage: no action at all.
 * - The owner and moderators invite, edit the title and topic, and remove, mute or ban those
 *   ranked below them (a moderator: members; the owner: moderators and members).
 * - Only the owner makes or unmakes moderators and hands ownership over (there is one owner).
 * - Nobody acts on themselves here (leaving is `leave_room`).
 */
export function roleMay (kind: RoomKind, action: RoomAction, actor: Role, target?: { role: Role, self: boolean }): boolean {
  if (kind === 'direct') return false
  if (target?.self === true) return false
  switch (action) {
    case 'invite':
    case 'update':
      return actor !== 'member'
    case 'remove':
    case 'mute':
    case 'ban':
      return actor !== 'member' && target !== undefined && RANK[actor] > RANK[target.role]
    case 'promote':
      return actor === 'owner' && target?.role === 'member'
    case 'demote':
      return actor === 'owner' && target?.role === 'moderator'
    case 'hand_over':
      return actor === 'owner' && target !== undefined
  }
}

/** The action `set_role` stands for, from the target's role now to the one asked; null when nothing changes. */
export function roleAction (from: Role, to: Role): RoomAction | null {
  if (from === to) return null
  if (to === 'owner') return 'hand_over'
  if (to === 'moderator') return from === 'member' ? 'promote' : null
  return from === 'moderator' ? 'demote' : null
}
