import type { Static } from 'typebox'
import type { PresenceChange, ServerFrameOf } from './schemas/frames.js'

export type PresenceChangeOf = Static<typeof PresenceChange>

/** The changes a `presence` frame carries, in the order they apply. */
export function presenceChanges (frame: ServerFrameOf<'presence'>): PresenceChangeOf[] {
  const first = { event: frame.event, user: frame.user }
  return frame.more === undefined ? [first] : [first, ...frame.more]
}
