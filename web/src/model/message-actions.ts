import type { ChatMessage, Role } from '@webchat/shared'

/** The emoji offered for a quick reaction. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🙏', '👀'] as const

/** Whether I may still edit `message`: my own, not deleted, within the server's edit window. */
export function canEdit (message: ChatMessage, me: string, now: number, windowMs: number): boolean {
  return message.user.id === me && message.deleted !== true && now - message.ts < windowMs
}

/** Whether I may delete `message`: my own, or anyone's when I moderate or own the room. */
export function canDelete (message: ChatMessage, me: string, role: Role): boolean {
  return message.deleted !== true && (message.user.id === me || role === 'owner' || role === 'moderator')
}

/** Whether I may mention everyone: owners and moderators (the server's default rule, ROOM_MENTION_ROLES). */
export const canMentionRoom = (role: Role): boolean => role === 'owner' || role === 'moderator'

/** Whether I reacted to `message` with `emoji`: a click then takes it away. */
export function reacted (message: ChatMessage, emoji: string, me: string): boolean {
  return message.reactions?.some((r) => r.emoji === emoji && r.users.some((u) => u.id === me)) ?? false
}
