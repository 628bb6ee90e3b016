import { type AppendOptions, type Engine, engineDeadline, type LogEntry } from '@webchat/engine'
import { type ChatMessage, compareIds, LIMITS, type Member, type MessageChange, newerId, NO_EPOCH, previewOf } from '@webchat/shared'
import type { Config } from '../config.js'
import { isChangeEntry } from '../lifecycle/entries.js'
import type { Reader } from '../lifecycle/reader.js'
import { READ_MARKER_TTL_MS } from '../inbox/marker.js'
import { names } from '../names.js'
import { derivedUuid } from '../derived-id.js'
import type { Webhooks } from '../hooks/webhooks/emitter.js'
import { encodeBody, framePublish, type MessageBody, toChatMessage } from './message-frame.js'

export interface Snapshot {
  epoch: string
  messages: ChatMessage[]
  /** On a resume, the changes since `since` to messages from before it, in log order. */
  changes: MessageChange[]
  recovered: boolean
  /** Live messages up to this id are covered by the snapshot; later ones must follow it. */
  cutoff: string
  /** Bytes read from the log for it: what the connection's reply budget is charged. */
  bytes: number
}


export interface Appended {
  id: string
  duplicate: boolean
  epoch: string
  /** The message's number in the room (not on a duplicate). */
  seq?: number
}

/** What a message may carry besides its text, checked by the caller (send.ts). */
export interface MessageExtras {
  mentions?: string[]
  mentionsRoom?: boolean
  /** The message quoted, as found in the room's log, and what it says now (its preview goes out live). */
  replyTo?: { id: string, user: Member, text: string }
  /** A user's own send: their read marker moves to the message in the same step (their own messages never count as unread). */
  readsUpTo?: boolean
}

/** Room logs: appending (stored and published in one step) and reading. */
export interface Messages {
  /**
   * A user's send or a backend's post. Nothing else is asked: a user sends only to a room they
   * joined, and a join is what makes a room and counts it (membership/public-rooms.ts).
   */
  append (room: string, user: Member, text: string, clientMsgId?: string, extras?: MessageExtras): Promise<Appended>
  /** What `joined` carries: the messages after `since` (a resume) or the latest page. */
  snapshot (room: string, since?: string, epoch?: string): Promise<Snapshot>
  /** Up to `limit` messages before `before` (or the newest), oldest first. */
  page (room: string, before: string | null, limit: number): Promise<{ messages: ChatMessage[], more: boolean, bytes: number }>
}

const bytesOf = (entries: LogEntry[]): number => entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.data), 0)

export function createMessages ({ engine, config, reader, webhooks }: { engine: Engine, config: Config, reader: Reader, webhooks: Webhooks }): Messages {
  const deadline = <T>(promise: Promise<T>): Promise<T> => engineDeadline(promise, config.engineTimeoutMs)
  const appendOf = (room: string, user: Member, text: string, clientMsgId?: string, extras: MessageExtras = {}): { data: string, options: AppendOptions } => {
    const { mentions, mentionsRoom, replyTo } = extras
    const body: MessageBody = { ts: Date.now(), room, user, text, clientMsgId, mentions, mentionsRoom }
    const data = encodeBody(replyTo === undefined ? body : { ...body, replyTo: { id: replyTo.id, user: replyTo.user } })
    const live = replyTo === undefined ? data : encodeBody({ ...body, replyTo: { id: replyTo.id, user: replyTo.user, preview: previewOf(replyTo.text) } })
    return {
      data,
      options: {
        maxLen: config.roomHistory,
        sequence: true,
        entryStates: names.roomStates(room),
        ...(extras.readsUpTo === true ? { stamp: { key: names.readMarker(room, user.id), ttlMs: READ_MARKER_TTL_MS } } : {}),
        publish: { channel: names.roomChannel(room), ...framePublish(data, live) },
        idempotency: clientMsgId === undefined ? undefined : { key: names.clientMessage(user.id, clientMsgId), ttlMs: LIMITS.idempotencyMs }
      }
    }
  }

  /**
   * The newest `limit` messages before `before` and the changes among them, read back over runs of
   * changes (a burst of reactions) in batches that double, so that a run of any length (at most
   * ROOM_HISTORY entries, all the log holds) takes a few reads and never hides the messages
   * before it. With `probe` one more message is asked for, to tell whether older ones exist (`more`).
   */
  const newest = async (room: string, before: string | null, limit: number, probe: boolean): Promise<{ entries: LogEntry[], more: boolean }> => {
    const entries: LogEntry[] = []
    const wanted = limit + (probe ? 1 : 0)
    let from = before
    let size = wanted
    for (let read = 0; read < config.roomHistory;) {
      const want = Math.min(Math.max(wanted - countMessages(entries), size), config.roomHistory - read)
      const batch = await deadline(engine.logs.readBefore(names.roomLog(room), from, want))
      read += batch.length
      entries.unshift(...batch)
      if (countMessages(entries) >= wanted) return { entries: trimTo(entries, limit), more: probe }
      if (batch.length < want) break
      from = batch[0]!.id
      size *= 2
    }
    return { entries, more: false }
  }

  return {
    async append (room, user, text, clientMsgId, extras) {
      const { data, options } = appendOf(room, user, text, clientMsgId, extras)
      const { id, duplicate, epoch, seq } = await deadline(engine.logs.append(names.roomLog(room), data, options))
      if (webhooks.wants('message.created')) {
        // Told again on a retried send (the first may have been stored and never told: its answer
        // lost, its instance gone), as it was stored and with the same event id.
        const message = duplicate ? (await reader.find(room, id))?.message ?? null : toChatMessage(id, data.replace('\u0000', String(seq)))
        if (message !== null) await webhooks.emit('message.created', { message }, derivedUuid(['message.created', room, id]))
      }
      return seq === undefined ? { id, duplicate, epoch } : { id, duplicate, epoch, seq }
    },

    async snapshot (room, since, epoch) {
      const log = names.roomLog(room)
      const info = await deadline(engine.logs.info(log))
      const resumable = since !== undefined && (epoch === undefined || epoch === NO_EPOCH || epoch === info.epoch)
      const latest = async (): Promise<LogEntry[]> =>
        info.lastId === null ? [] : (await newest(room, null, LIMITS.historyPage, false)).entries
      // What a reply may not carry is not read out: past REPLAY_MAX_BYTES the read answers null.
      const missed = async (after: string): Promise<LogEntry[] | null> => info.lastId === null || compareIds(after, info.lastId) >= 0
        ? []
        : await deadline(engine.logs.readAfterWithin(log, after, config.roomHistory, config.replayMaxBytes))
      const replay = resumable ? await missed(since) : null
      // Too much missed for one frame: start over from the latest page; history fills the rest.
      const tooLarge = resumable && replay === null
      const entries = replay ?? await latest()
      // The budget pays for the log read: a replay that did not fit read up to the cap.
      const bytes = bytesOf(entries) + (tooLarge ? config.replayMaxBytes : 0)
      const recovered = resumable && !tooLarge && (info.maxDeletedId === null || compareIds(since, info.maxDeletedId) >= 0)
      const { messages, changes } = await reader.entries(room, entries)
      return {
        epoch: info.epoch ?? NO_EPOCH,
        messages,
        // Changes to messages the client already holds: only a resume has any.
        changes: replay === null ? [] : changes.filter((change) => compareIds(change.target, since!) <= 0),
        recovered,
        cutoff: newerId(info.lastId, entries.at(-1)?.id ?? null) ?? '0-0',
        bytes
      }
    },

    async page (room, before, limit) {
      const { entries, more } = await newest(room, before, limit, true)
      const { messages } = await reader.entries(room, entries)
      return { messages, more, bytes: bytesOf(entries) }
    }
  }
}

const isMessageEntry = (entry: LogEntry): boolean => !isChangeEntry(entry.data)
const countMessages = (entries: LogEntry[]): number => entries.reduce((n, entry) => n + (isMessageEntry(entry) ? 1 : 0), 0)

/** The newest entries holding `limit` messages (and the changes after the first of them). */
function trimTo (entries: LogEntry[], limit: number): LogEntry[] {
  let kept = 0
  for (let i = entries.length - 1; i >= 0; i--) {
    if (isMessageEntry(entries[i]!) && ++kept === limit) return entries.slice(i)
  }
  return entries
}
