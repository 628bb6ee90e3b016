import type { Member } from '@webchat/shared'
import { createBatch, type Batch } from './batch.js'

/**
 * Presence changes as instances relay them: the change and the version it gave the room's
 * presence set (engine PresenceView). A socket's `joined` lists the members of one version; a
 * change with a version at most that one is already in the list and is not sent to it
 * (Membership.presenceAt), a later one is. The changes a socket gets together go out as one
 * `presence` frame, the newest change per user, before any frame that came after one of them.
 */
export interface RelayedPresence {
  readonly room: string
  readonly event: 'join' | 'leave'
  readonly user: Member
  /** The change's version; Infinity when unknown (sent to everyone). */
  readonly version: number
}

/** What a room's feed carries: finished frames (JSON text), and presence changes to filter and merge. */
export type FeedItem = string | RelayedPresence

const PREFIX = '{"type":"presence",'

/** The pub/sub payload of a presence change (clients never see it: the relay turns it into frames). */
export function presencePayload (room: string, event: 'join' | 'leave', user: Member, version: number): string {
  return JSON.stringify({ type: 'presence', room, event, user: { id: user.id, name: user.name }, version })
}

/** A relayed payload as the feed carries it: a presence change parsed once per instance, anything else as it is. */
export function feedItemOf (payload: string): FeedItem {
  if (!payload.startsWith(PREFIX)) return payload
  try {
    const { room, event, user, version } = JSON.parse(payload) as Partial<RelayedPresence>
    if (typeof room !== 'string' || (event !== 'join' && event !== 'leave') || typeof user?.id !== 'string' || typeof user.name !== 'string') return payload
    return { room, event, user: { id: user.id, name: user.name }, version: typeof version === 'number' ? version : Infinity }
  } catch {
    return payload
  }
}

/**
 * The `presence` frame (JSON text) of `changes`: per user the newest change (the highest version;
 * of equal ones the last to arrive), in the order the users first appear. Never none for a user
 * who came and went: a socket may have missed or doubled an earlier change (a sweep's second
 * leave, an instance's join of a user another announced), and the newest is right whatever it
 * had. Null when there is no change.
 */
export function presenceText (changes: readonly RelayedPresence[]): string | null {
  const byUser = new Map<string, RelayedPresence>()
  for (const change of changes) {
    const seen = byUser.get(change.user.id)
    if (seen === undefined || change.version >= seen.version) byUser.set(change.user.id, change)
  }
  const [head, ...more] = [...byUser.values()].map((change) => ({ event: change.event, user: change.user }))
  if (head === undefined) return null
  return JSON.stringify({ type: 'presence', room: changes[0]!.room, event: head.event, user: head.user, ...(more.length > 0 ? { more } : {}) })
}

/**
 * `texts` with the `presence` frame of `changes` put in before `texts[at]`, where the first of the
 * changes came. One frame tells changes that came apart, so some of them move, and they move
 * earlier: a change is never told after a frame that came after it (a user's first message never
 * arrives before their join), though a later change may be told before frames that came before it
 * (a leave before the leaver's last message, which a client shows all the same). Moving them
 * later instead would tell a join after the joiner's message.
 */
function withPresence (texts: string[], changes: readonly RelayedPresence[], at: number): string[] {
  const text = changes.length > 0 ? presenceText(changes) : null
  return text === null ? texts : [...texts.slice(0, at), text, ...texts.slice(at)]
}

/**
 * Sends `items` to `to` as a socket whose members are of version `seen` gets them: frames that
 * `keep` (by default all) in order, and one `presence` frame of the changes after `seen` where
 * the first of them came (withPresence).
 */
export function sendItems (to: { send: (payload: string) => unknown }, items: Iterable<FeedItem>, seen: number, keep: (payload: string) => boolean = () => true): void {
  const texts: string[] = []
  const changes: RelayedPresence[] = []
  let at = 0
  for (const item of items) {
    if (typeof item !== 'string') {
      if (item.version <= seen) continue
      if (changes.length === 0) at = texts.length
      changes.push(item)
    } else if (keep(item)) {
      texts.push(item)
    }
  }
  for (const payload of withPresence(texts, changes, at)) to.send(payload)
}

/** The batch of one flush for each socket: one per distinct set of presence changes it is sent. */
export interface Batches {
  /** The batch for a socket whose members are of version `seen`, or null when it gets nothing. */
  for (seen: number): Batch | null
  /** The frames of a batch (for metrics). */
  readonly texts: readonly string[]
}

/**
 * A flush's items as shared batches. The sockets that get the same presence changes (those
 * whose members are older than all of them, the usual case) share one batch; sockets that
 * joined meanwhile get one per cut among the changes' versions.
 */
export function batchesOf (items: readonly FeedItem[], encode: (text: string) => Buffer): Batches {
  const texts: string[] = []
  const changes: RelayedPresence[] = []
  /** Per change, how many frames came before it. */
  const places: number[] = []
  for (const item of items) {
    if (typeof item === 'string') {
      texts.push(item)
    } else {
      changes.push(item)
      places.push(texts.length)
    }
  }
  /** The batch of the changes after version `after`, their frame where the first of them came. */
  const make = (after: number): Batch | null => {
    const first = changes.findIndex((change) => change.version > after)
    const payloads = withPresence(texts, changes.filter((change) => change.version > after), places[first] ?? 0)
    return payloads.length > 0 ? createBatch(payloads, encode) : null
  }
  if (changes.length === 0) {
    const only = make(-Infinity)
    return { texts, for: () => only }
  }
  const versions = changes.map((change) => change.version).sort((a, b) => a - b)
  const cuts = new Map<number, Batch | null>()
  return {
    texts,
    for (seen) {
      // The changes a socket gets are those after `seen`: the same for every `seen` between two versions.
      let low = 0
      let high = versions.length
      while (low < high) {
        const mid = (low + high) >>> 1
        if (versions[mid]! <= seen) low = mid + 1
        else high = mid
      }
      let batch = cuts.get(low)
      if (batch === undefined) {
        batch = make(low === 0 ? -Infinity : versions[low - 1]!)
        cuts.set(low, batch)
      }
      return batch
    }
  }
}
