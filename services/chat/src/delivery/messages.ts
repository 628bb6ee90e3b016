import { type AppendOptions, type Engine, engineDeadline, type LogEntry } from '@webchat/engine'
import { type ChatMessage, compareIds, LIMITS, type Member, newerId, NO_EPOCH } from '@webchat/shared'
import type { Config } from '../config.js'
import { names } from '../names.js'
import { encodeBody, framePublish, toChatMessage } from './message-frame.js'

export interface Snapshot {
  epoch: string
  messages: ChatMessage[]
  recovered: boolean
  /** Live messages up to this id are covered by the snapshot; later ones must follow it. */
  cutoff: string
  /** Bytes read from the log for it: what the connection's reply budget is charged. */
  bytes: number
}


export interface Appended { id: string, duplicate: boolean }

/** Room logs: appending (stored and published in one step) and reading. */
export interface Messages {
  /**
   * A user's send or a backend's post. Nothing else is asked: a user sends only to a room they
   * joined, and a join is what makes a room and counts it (membership/public-rooms.ts).
   */
  append (room: string, user: Member, text: string, clientMsgId?: string): Promise<Appended>
  /** What `joined` carries: the messages after `since` (a resume) or the latest page. */
  snapshot (room: string, since?: string, epoch?: string): Promise<Snapshot>
  /** Up to `limit` messages before `before` (or the newest), oldest first. */
  page (room: string, before: string | null, limit: number): Promise<{ messages: ChatMessage[], more: boolean, bytes: number }>
}

const bytesOf = (entries: LogEntry[]): number => entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.data), 0)

const toMessages = (entries: LogEntry[]): ChatMessage[] =>
  entries.map(({ id, data }) => toChatMessage(id, data)).filter((m): m is ChatMessage => m !== null)

export function createMessages ({ engine, config }: { engine: Engine, config: Config }): Messages {
  const deadline = <T>(promise: Promise<T>): Promise<T> => engineDeadline(promise, config.engineTimeoutMs)
  const appendOf = (room: string, user: Member, text: string, clientMsgId?: string): { data: string, options: AppendOptions } => {
    const data = encodeBody({ ts: Date.now(), room, user, text, clientMsgId })
    return {
      data,
      options: {
        maxLen: config.roomHistory,
        publish: { channel: names.roomChannel(room), ...framePublish(data) },
        idempotency: clientMsgId === undefined ? undefined : { key: names.clientMessage(user.id, clientMsgId), ttlMs: LIMITS.idempotencyMs }
      }
    }
  }

  return {
    async append (room, user, text, clientMsgId) {
      const { data, options } = appendOf(room, user, text, clientMsgId)
      const { id, duplicate } = await deadline(engine.logs.append(names.roomLog(room), data, options))
      return { id, duplicate }
    },

    async snapshot (room, since, epoch) {
      const log = names.roomLog(room)
      const info = await deadline(engine.logs.info(log))
      const resumable = since !== undefined && (epoch === undefined || epoch === NO_EPOCH || epoch === info.epoch)
      const latest = async (): Promise<LogEntry[]> =>
        info.lastId === null ? [] : await deadline(engine.logs.readBefore(log, null, LIMITS.historyPage))
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
      return {
        epoch: info.epoch ?? NO_EPOCH,
        messages: toMessages(entries),
        recovered,
        cutoff: newerId(info.lastId, entries.at(-1)?.id ?? null) ?? '0-0',
        bytes
      }
    },

    async page (room, before, limit) {
      const entries = await deadline(engine.logs.readBefore(names.roomLog(room), before, limit + 1))
      const more = entries.length > limit
      return { messages: toMessages(more ? entries.slice(1) : entries), more, bytes: bytesOf(entries) }
    }
  }
}
