import { type Engine, engineDeadline, type MapWriteResult } from '@webchat/engine'
import { type ChatMessage, compareIds, type InboxEntry } from '@webchat/shared'
import type { Config } from '../config.js'
import { names } from '../names.js'
import { isChangeEntry } from '../lifecycle/entries.js'
import { idAfter } from '../lifecycle/reader.js'
import { parseState } from '../lifecycle/states.js'
import { entryOf, lastOf, withState } from './entry.js'
import { formatMarker, parseMarker, READ_MARKER_TTL_MS } from './marker.js'
import { addSeq, formatSeqs, type MentionSeqs, parseSeqs } from './mention-seqs.js'

/**
 * A room's `last` is its newest entry, read alone; when that is a change (an edit, a reaction),
 * this many more before it are read for the newest message.
 */
export const LAST_SCAN = 8
const EVERYONE = '@room'
const RETRIES = 5

export type Mentioning = Pick<ChatMessage, 'user' | 'mentions' | 'mentionsRoom'> & { seq: number }

/** Read state, mentions and counts in the engine (entry.ts says what the counts mean). */
export interface InboxStore {
  /**
   * The user's entries for `rooms`, in order: one engine call for the user, then per room four
   * issued at once and one more after them (two round trips' wait on Redis, whatever the number
   * of rooms, a third for rooms whose newest entry is a change; O(rooms) work, no message read
   * beyond a room's newest entry, or LAST_SCAN more when that is a change).
   */
  entries (userId: string, rooms: readonly string[]): Promise<InboxEntry[]>
  /** After the append of a message that mentions: O(1) writes per mentioned user, one for `@room`. */
  recordMentions (room: string, message: Mentioning, epoch: string): Promise<void>
  /**
   * Moves the user's marker forward to `id` (a message of the room's log, else its number is
   * kept) and drops their mentions at or below it. False when the marker was already there or further.
   */
  markRead (userId: string, room: string, id: string): Promise<boolean>
}

export function createInboxStore ({ engine, config }: { engine: Engine, config: Config }): InboxStore {
  const deadline = <T>(promise: Promise<T>): Promise<T> => engineDeadline(promise, config.engineTimeoutMs)
  const { logs, kv, maps } = engine

  /** Read, change and write one map field under a guard, again on a concurrent change. */
  const update = async (map: string, field: string, change: (current: string | null) => string | null, maxFields?: number): Promise<MapWriteResult> => {
    for (let attempt = 0; ; attempt++) {
      const current = await deadline(maps.get(map, field))
      const next = change(current)
      if (next === current) return 'ok'
      const expect = { [field]: current }
      const result = await deadline(maps.write(map, next === null ? { delete: [field], expect } : { set: { [field]: next }, expect, maxFields }))
      if (result !== 'conflict' || attempt >= RETRIES) return result
    }
  }
  const addMention = async (map: string, room: string, seq: number, epoch: string, maxFields?: number): Promise<void> => {
    await update(map, room, (current) => formatSeqs(addSeq(parseSeqs(current), epoch, seq)), maxFields)
  }

  /**
   * The number a read up to `id` reads: one less than the next numbered message's after it (deleted
   * messages between them are gone from the log: nothing a client could still show), else, when
   * nothing numbered follows it, the room's last number `seq` (read before this, so a message
   * appended meanwhile shows up after `id`); past a run of LAST_SCAN changes, the message's own.
   * A deleted newest message is thus read by reading what is left, instead of unread for ever.
   */
  const readUpTo = async (log: string, id: string, seq: number): Promise<number | undefined> => {
    const [at, after] = await Promise.all([deadline(logs.readBefore(log, idAfter(id), 1)), deadline(logs.readAfter(log, id, LAST_SCAN))])
    for (const entry of after) {
      const next = seqOf(entry.data)
      if (next !== undefined) return next - 1
    }
    if (after.length < LAST_SCAN) return seq
    return at[0]?.id === id ? seqOf(at[0].data) : undefined
  }

  return {
    async entries (userId, rooms) {
      const mine = deadline(maps.all(names.mentions(userId)))
      return await Promise.all(rooms.map(async (room) => {
        const log = names.roomLog(room)
        const [info, newest, marker, all] = await Promise.all([
          deadline(logs.info(log)),
          deadline(logs.readBefore(log, null, 1)),
          deadline(kv.get(names.readMarker(room, userId))),
          mine
        ])
        const last = lastOf(newest) ?? (newest[0] === undefined ? null : lastOf(await deadline(logs.readBefore(log, newest[0].id, LAST_SCAN))))
        // Then, in the room's states map: its `@room` mentions and the last message's state.
        const [everyone, state = null] = await deadline(maps.getMany(names.roomStates(room), last === null ? [EVERYONE] : [EVERYONE, last.id]))
        return entryOf({
          info,
          last: last === null ? null : withState(last, parseState(state)),
          marker: parseMarker(marker),
          // A room named `__proto__` is a plain name: only the map's own fields count.
          mine: parseSeqs(Object.hasOwn(all, room) ? all[room]! : null),
          everyone: parseSeqs(everyone ?? null)
        })
      }))
    },

    async recordMentions (room, message, epoch) {
      const users = new Set(message.mentions ?? [])
      users.delete(message.user.id)
      const writes = [...users].map(async (userId) => {
        // A field per room with unread mentions: at most the rooms a user may be in.
        await addMention(names.mentions(userId), room, message.seq, epoch, config.maxRoomsPerUser)
      })
      if (message.mentionsRoom === true) writes.push(addMention(names.roomStates(room), EVERYONE, message.seq, epoch))
      await Promise.all(writes)
    },

    async markRead (userId, room, id) {
      const key = names.readMarker(room, userId)
      const log = names.roomLog(room)
      const [stored, info] = await Promise.all([deadline(kv.get(key)), deadline(logs.info(log))])
      const current = parseMarker(stored)
      // A marker of a lost epoch names a message of another log: any read of this one moves it.
      const comparable = current !== null && (current.epoch === null || current.epoch === info.epoch)
      if (comparable && compareIds(id, current.id) <= 0) return false
      // What the log cannot number (a run of changes past the scan) keeps the number the marker had.
      const kept = comparable ? current.seq : 0
      const seq = Math.max(kept, await readUpTo(log, id, info.seq) ?? kept)
      await deadline(kv.set(key, formatMarker({ id, seq, epoch: info.epoch }), READ_MARKER_TTL_MS, { share: 'traffic' }))
      await update(names.mentions(userId), room, (value) => prune(parseSeqs(value), seq, info.epoch))
      return true
    }
  }
}

/** The number a stored message carries, if any (a change carries none). */
function seqOf (data: string): number | undefined {
  if (isChangeEntry(data)) return undefined
  const match = /"seq":(\d+)/.exec(data.slice(0, 200))
  return match === null ? undefined : Number(match[1])
}

/** A user's mentions in a room once they read up to `readSeq`: null (deleted) when none is left. */
function prune (field: MentionSeqs | null, readSeq: number, epoch: string | null): string | null {
  if (field === null || field.epoch !== epoch) return null
  const seqs = field.seqs.filter((n) => n > readSeq)
  return seqs.length === 0 ? null : formatSeqs({ epoch: field.epoch, seqs })
}
