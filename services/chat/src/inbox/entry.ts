import type { LogEntry, LogInfo } from '@webchat/engine'
import type { MessageState } from '../lifecycle/states.js'
import { type InboxEntry, type LastMessage, type Member, previewOf } from '@webchat/shared'
import { type Marker, readSeqOf } from './marker.js'
import { countAbove, type MentionSeqs } from './mention-seqs.js'

/** What the store reads for one room of a user's inbox (store.ts). */
export interface RoomReads {
  info: LogInfo
  /** The room's newest message as it is now (lastOf, its state folded in). */
  last: LastMessage | null
  marker: Marker | null
  /** The user's field of `mentions:{user}` for the room. */
  mine: MentionSeqs | null
  /** The room's `@room` field. */
  everyone: MentionSeqs | null
}

interface StoredMessage { ts: number, user: Member, text: string, seq?: number, kind?: unknown }

/** The newest entry of `newest` that is a message (changes carry a `kind` and never show as last). */
export function lastOf (newest: LogEntry[]): LastMessage | null {
  for (let i = newest.length - 1; i >= 0; i--) {
    const { id, data } = newest[i]!
    try {
      const body = JSON.parse(data) as Partial<StoredMessage>
      if (body.kind !== undefined || typeof body.text !== 'string' || typeof body.ts !== 'number' ||
        typeof body.user?.id !== 'string' || typeof body.user.name !== 'string') continue
      return { id, user: { id: body.user.id, name: body.user.name }, preview: previewOf(body.text), ts: body.ts }
    } catch {
      continue
    }
  }
  return null
}

/** `last` with its state (lifecycle/states.ts): an edit's text, or nothing left of a deleted one. */
export function withState (last: LastMessage, state: MessageState): LastMessage {
  if (state.deleted !== undefined) return { ...last, preview: '', deleted: true }
  return state.text === undefined ? last : { ...last, preview: previewOf(state.text) }
}

/**
 * A room's entry from its reads, by the numbers alone: unread = the room's last number minus the
 * user's read number, mentions = mention numbers above it. What the counts mean:
 * - a trimmed log changes nothing: numbers are kept by a counter, not by counting entries, so
 *   unread can exceed what history still shows (those messages are counted but gone);
 * - after the log was lost (a new epoch, e.g. Redis restarted without persistence) numbering starts
 *   over: a marker or mention of the old epoch counts as nothing, and unread is the number of
 *   messages in the new log; lastRead is null until the user reads there again;
 * - messages stored before numbers existed count for nothing (they have no number).
 */
export function entryOf ({ info, last, marker, mine, everyone }: RoomReads): InboxEntry {
  const seq = info.epoch === null ? 0 : info.seq
  const readSeq = Math.min(readSeqOf(marker, info.epoch), seq)
  return {
    seq,
    readSeq,
    unread: seq - readSeq,
    mentions: countAbove(mine, info.epoch, readSeq) + countAbove(everyone, info.epoch, readSeq),
    lastRead: marker !== null && (marker.epoch === null || marker.epoch === info.epoch) ? marker.id : null,
    last
  }
}
