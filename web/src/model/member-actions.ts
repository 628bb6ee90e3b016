import type { Role, RoomKind } from '@webchat/shared'

/**
 * What the viewer may do in a room, mirroring the chat service's rules
 * (services/chat/src/membership/policy.ts; a unit test compares the two on every case), so that
 * only what the server would allow is offered. The server still decides: a refusal is shown.
 */
export type Action = 'invite' | 'remove' | 'mute' | 'ban' | 'promote' | 'demote' | 'hand_over' | 'update'

const RANK: Record<Role, number> = { owner: 3, moderator: 2, member: 1 }

export function allowed (kind: RoomKind, action: Action, actor: Role, target?: { role: Role, self: boolean }): boolean {
  if (kind === 'direct' || target?.self === true) return false
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

/** The entries of a member's menu, in the order shown. */
export type MenuItem = 'remove' | 'mute' | 'unmute' | 'ban' | 'promote' | 'demote' | 'hand_over'

/** What the viewer's menu offers for one member (an empty list: no menu). */
export function memberMenu (kind: RoomKind, viewer: Role, target: { role: Role, self: boolean, muted: boolean }): MenuItem[] {
  const can = (action: Action): boolean => allowed(kind, action, viewer, target)
  const items: MenuItem[] = []
  if (can('mute')) items.push(target.muted ? 'unmute' : 'mute')
  for (const action of ['promote', 'demote', 'remove', 'ban', 'hand_over'] as const) if (can(action)) items.push(action)
  return items
}

/** Whether the viewer may lift a ban (the server lets those who may ban do it). */
export const canUnban = (kind: RoomKind, viewer: Role): boolean => allowed(kind, 'ban', viewer, { role: 'member', self: false })

/** The mute lengths offered, in minutes (undefined: until unmuted). */
export const MUTE_CHOICES: ReadonlyArray<{ label: string, minutes: number | undefined }> = [
  { label: '15 minutes', minutes: 15 },
  { label: '1 hour', minutes: 60 },
  { label: '1 day', minutes: 24 * 60 },
  { label: 'Until unmuted', minutes: undefined }
]
