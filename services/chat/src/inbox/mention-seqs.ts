/**
 * The numbers of the messages that mention someone in one room, as a map field keeps them:
 * `<epoch> s1,s2,…` (ascending). A user's field per room (`mentions:{user}`) holds their unread
 * mentions, pruned to those above their read number when they read; a room's `@room` field
 * (`room-states:<room>`) the room's latest `@room` mentions. Each keeps at most MAX_MENTION_SEQS:
 * past that, the oldest drop (an unread count of mentions stops at 100 a room).
 */
export const MAX_MENTION_SEQS = 100

export interface MentionSeqs { epoch: string, seqs: number[] }

export function parseSeqs (value: string | null): MentionSeqs | null {
  if (value === null) return null
  const space = value.indexOf(' ')
  if (space < 1) return null
  const seqs = value.slice(space + 1).split(',').map(Number).filter((n) => Number.isSafeInteger(n) && n > 0)
  return { epoch: value.slice(0, space), seqs }
}

export const formatSeqs = ({ epoch, seqs }: MentionSeqs): string => `${epoch} ${seqs.join(',')}`

/** `current` with `seq` added (a field of another epoch starts over), the newest MAX_MENTION_SEQS kept. */
export function addSeq (current: MentionSeqs | null, epoch: string, seq: number): MentionSeqs {
  const seqs = current?.epoch === epoch ? current.seqs.filter((n) => n !== seq) : []
  seqs.push(seq)
  seqs.sort((a, b) => a - b)
  return { epoch, seqs: seqs.slice(-MAX_MENTION_SEQS) }
}

/** How many numbers of `epoch` are above `readSeq` (none from another epoch). */
export const countAbove = (field: MentionSeqs | null, epoch: string | null, readSeq: number): number =>
  field === null || field.epoch !== epoch ? 0 : field.seqs.filter((n) => n > readSeq).length
