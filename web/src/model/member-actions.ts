import { type Role, type RoomAction, type RoomKind, roleMay } from '@webchat/shared'

/** The entries of a member's menu, in the order shown. */
export type MenuItem = 'remove' | 'mute' | 'unmute' | 'ban' | 'promote' | 'demote' | 'hand_over'

/** What the viewer's menu offers for one member (an empty list: no menu). */
export function memberMenu (kind: RoomKind, viewer: Role, target: { role: Role, self: boolean, muted: boolean }): MenuItem[] {
  const can = (action: RoomAction): boolean => roleMay(kind, action, viewer, target)
  const items: MenuItem[] = []
  if (can('mute')) items.push(target.muted ? 'unmute' : 'mute')
  for (const action of ['promote', 'demote', 'remove', 'ban', 'hand_over'] as const) if (can(action)) items.push(action)
  return items
}

/** Whether the viewer may lift a ban (the server lets those who may ban do it). */
export const canUnban = (kind: RoomKind, viewer: Role): boolean => roleMay(kind, 'ban', viewer, { role: 'member', self: false })

/** The mute lengths offered, in minutes (undefined: until unmuted). */
export const MUTE_CHOICES: ReadonlyArray<{ label: string, minutes: number | undefined }> = [
  { label: '15 minutes', minutes: 15 },
  { label: '1 hour', minutes: 60 },
  { label: '1 day', minutes: 24 * 60 },
  { label: 'Until unmuted', minutes: undefined }
]
