import { compareIds } from './ids.js'
import { LIMITS } from './limits.js'
import type { ChatMessage } from './schemas/common.js'
import type { InboxEntry, InboxTotals } from './schemas/inbox.js'

/** A room with no messages, or one whose counts start over (a new epoch). */
export const emptyInbox = (): InboxEntry => ({ seq: 0, readSeq: 0, unread: 0, mentions: 0, lastRead: null, last: null })

/** The start of a text as a list shows it: whitespace runs made one space, at most LIMITS.previewChars. */
export function previewOf (text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim()
  const chars = [...flat]
  return chars.length <= LIMITS.previewChars ? flat : chars.slice(0, LIMITS.previewChars - 1).join('') + '…'
}

/** Whether `message` mentions `userId`: by id, or with `@room` (never their own message). */
export function mentions (message: Pick<ChatMessage, 'user' | 'mentions' | 'mentionsRoom'>, userId: string): boolean {
  if (message.user.id === userId) return false
  return message.mentionsRoom === true || (message.mentions?.includes(userId) ?? false)
}

/**
 * `entry` after a new message of its room reached `userId`: the same rule on the server (for
 * connections that have not joined the room) and in clients (for rooms they have joined). Their own
 * message reads the room up to it; anyone else's adds to the counts. A message numbered no higher
 * than what the entry knows changes no count when it is a repeat; when it is newer than the
 * entry's last message, the numbering started over (see above). One from before `seq` existed
 * changes only `last`.
 */
export function countMessage (entry: InboxEntry, message: ChatMessage, userId: string): InboxEntry {
  const last = { id: message.id, user: message.user, preview: previewOf(message.text), ts: message.ts }
  if (message.seq === undefined) return { ...entry, last }
  if (message.seq <= entry.seq) {
    // A message newer than the entry's last, numbered no higher: the room's log was lost and its
    // numbering started over (a new epoch). The counts start over with it; anything else is a repeat.
    if (entry.last === null || compareIds(message.id, entry.last.id) <= 0) return entry
    entry = emptyInbox()
  }
  if (message.user.id === userId) {
    return { seq: message.seq, readSeq: message.seq, unread: 0, mentions: 0, lastRead: message.id, last }
  }
  // Read already on another device (the marker moved past what this entry had heard of): counts nothing.
  if (message.seq <= entry.readSeq) return { ...entry, seq: message.seq, last }
  return {
    ...entry,
    seq: message.seq,
    unread: message.seq - entry.readSeq,
    mentions: entry.mentions + (mentions(message, userId) ? 1 : 0),
    last
  }
}

export function totalsOf (entries: Iterable<InboxEntry | undefined>): InboxTotals {
  const totals: InboxTotals = { unread: 0, mentions: 0, rooms: 0 }
  for (const entry of entries) {
    if (entry === undefined) continue
    totals.unread += entry.unread
    totals.mentions += entry.mentions
    if (entry.unread > 0) totals.rooms++
  }
  return totals
}
