import type { MemberFrame } from '../../membership/announce.js'
import type { Webhooks } from './emitter.js'

/**
 * The webhook a roster change makes, from the `member` frame every member sees: a join or an
 * addition, an end of membership (a leave is a removal by the member themselves), a role change.
 * Mutes and unbans tell of no membership.
 */
export async function memberEvent (webhooks: Webhooks, frame: MemberFrame, at: string): Promise<void> {
  const { room, user, by } = frame
  switch (frame.event) {
    case 'added':
      return await webhooks.emit('member.added', { room, member: { user, role: frame.role ?? 'member', addedAt: at, addedBy: by } })
    case 'removed':
    case 'banned':
      return await webhooks.emit('member.removed', { room, user, reason: frame.event === 'banned' ? 'banned' : by === user.id ? 'left' : 'removed', by })
    case 'role':
      // Every role event says what the role was (membership/service.ts, backend.ts).
      if (frame.role === undefined || frame.previous === undefined) return
      return await webhooks.emit('member.role_changed', { room, user, role: frame.role, previous: frame.previous, by })
  }
}
