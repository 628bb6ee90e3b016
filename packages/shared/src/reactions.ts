import { LIMITS } from './limits.js'
import type { Member, Reaction } from './schemas/common.js'

// One emoji as Unicode lists it (RGI: a keycap, a flag, a skin tone, a family), nothing else.
const EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v')

/** Whether `value` is one emoji a message may carry as a reaction. */
export function isReaction (value: string): boolean {
  return value.length <= LIMITS.reactionChars && EMOJI.test(value)
}

export type ReactionRefusal = 'too_many_reactions'

/**
 * `reactions` after `user` added (or with `remove`, took away) `emoji`: the same list when nothing
 * changes (a repeat), or a refusal past LIMITS.reactionsPerMessage emoji on the message or
 * LIMITS.reactionsPerUser of one user. Emoji keep the order they were first added in.
 */
export function react (reactions: Reaction[], user: Member, emoji: string, remove: boolean): Reaction[] | ReactionRefusal {
  const at = reactions.findIndex((r) => r.emoji === emoji)
  const mine = at >= 0 && reactions[at]!.users.some((u) => u.id === user.id)
  if (remove) {
    if (!mine) return reactions
    const users = reactions[at]!.users.filter((u) => u.id !== user.id)
    return users.length === 0 ? reactions.filter((_, i) => i !== at) : reactions.map((r, i) => i === at ? { emoji, users } : r)
  }
  if (mine) return reactions
  if (at < 0 && reactions.length >= LIMITS.reactionsPerMessage) return 'too_many_reactions'
  if (reactions.filter((r) => r.users.some((u) => u.id === user.id)).length >= LIMITS.reactionsPerUser) return 'too_many_reactions'
  const who = { id: user.id, name: user.name }
  return at < 0 ? [...reactions, { emoji, users: [who] }] : reactions.map((r, i) => i === at ? { emoji, users: [...r.users, who] } : r)
}
