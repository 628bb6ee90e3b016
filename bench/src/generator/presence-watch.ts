/** What a fan-out room's setup told its members about each other, over all connections of a generator. */
export interface PresenceCounts {
  /** Presence frames received, and the changes they carried (one, or several in a coalesced frame). */
  frames: number
  changes: number
  /** Joins announced of a user already in the connection's `joined.members` (or announced before). */
  redundant: number
  /** performance.now() of the last presence frame, to tell when the announcements have drained. */
  lastAt: number
}

export const emptyCounts = (): PresenceCounts => ({ frames: 0, changes: 0, redundant: 0, lastAt: 0 })

interface Change { event: unknown, user: unknown }

const idOf = (user: unknown): unknown => typeof user === 'object' && user !== null ? (user as { id?: unknown }).id : user
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null

/**
 * The changes of a presence frame, applied in order: the first in `event` and `user`, and, when
 * several are coalesced into one frame, the others in `more` (each `{ event, user }`).
 */
function changesOf (frame: Record<string, unknown>): Change[] {
  const more = Array.isArray(frame.more) ? frame.more.filter(isObject) : []
  return [frame, ...more].map((change) => ({ event: change.event, user: idOf(change.user) }))
}

/**
 * A per-connection reader of the setup's frames (webchat only; parsed, which the delivery path
 * never does): keeps the members each `joined` frame listed and counts the presence joins of
 * users the connection already knew. Presence before the connection's own `joined` is not judged.
 */
export function presenceWatch (counts: PresenceCounts): (data: Buffer) => void {
  const members = new Map<string, Set<unknown>>()
  return (data) => {
    let value: unknown
    try { value = JSON.parse(data.toString('utf8')) } catch { return }
    for (const frame of Array.isArray(value) ? value as unknown[] : [value]) {
      if (!isObject(frame) || typeof frame.room !== 'string') continue
      if (frame.type === 'joined' && Array.isArray(frame.members)) {
        members.set(frame.room, new Set(frame.members.map(idOf)))
        continue
      }
      if (frame.type !== 'presence') continue
      counts.frames++
      counts.lastAt = performance.now()
      const known = members.get(frame.room)
      for (const change of changesOf(frame)) {
        counts.changes++
        if (known === undefined) continue
        if (change.event === 'join') {
          if (known.has(change.user)) counts.redundant++
          else known.add(change.user)
        } else if (change.event === 'leave') {
          known.delete(change.user)
        }
      }
    }
  }
}
