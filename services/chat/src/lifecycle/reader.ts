import { type Engine, engineDeadline, type LogEntry } from '@webchat/engine'
import { type ChatMessage, compareIds, type MessageChange, previewOf } from '@webchat/shared'
import type { Config } from '../config.js'
import { toChatMessage } from '../delivery/message-frame.js'
import { names } from '../names.js'
import { type ChangeResult, parseChange, toChange } from './entries.js'
import { applyState, type MessageState, parseState } from './states.js'

/** One message of a room's log, as sent, and its state now (`raw`: the map field, for a guarded change). */
export interface Found { message: ChatMessage, state: MessageState, raw: string | null }

/** Reading messages as they are now: their states folded in, and each reply's quote. */
export interface Reader {
  /** The message `id` of `room`, or null when the log does not hold it (never was, trimmed, deleted). */
  find (room: string, id: string): Promise<Found | null>
  /** Messages as they are now, with every reply's quote (its preview, or `deleted`). */
  current (room: string, messages: ChatMessage[]): Promise<ChatMessage[]>
  /** Log entries as what a reader gets: messages as they are now, and the changes among them. */
  entries (room: string, entries: LogEntry[]): Promise<{ messages: ChatMessage[], changes: MessageChange[] }>
}

/** The id just after `id`: what `readBefore` takes to read `id` itself. */
export function idAfter (id: string): string {
  const dash = id.indexOf('-')
  return dash < 0 ? `${id}-1` : `${id.slice(0, dash)}-${(BigInt(id.slice(dash + 1)) + 1n).toString()}`
}

const storable = (id: string): boolean => id.split('-').every((part) => Number.isSafeInteger(Number(part)))

const resultOf = (kind: MessageChange['kind'], state: MessageState): ChangeResult =>
  kind === 'edit' ? { text: state.text ?? '', editedAt: state.editedAt ?? 0 } : kind === 'reaction' ? { reactions: state.reactions ?? [] } : {}

export function createReader ({ engine, config }: { engine: Engine, config: Config }): Reader {
  const deadline = <T>(promise: Promise<T>): Promise<T> => engineDeadline(promise, config.engineTimeoutMs)
  const statesOf = async (room: string, ids: string[]): Promise<Map<string, string | null>> => {
    const unique = [...new Set(ids)]
    if (unique.length === 0) return new Map()
    const raw = await deadline(engine.maps.getMany(names.roomStates(room), unique))
    return new Map(unique.map((id, i) => [id, raw[i] ?? null]))
  }

  const find: Reader['find'] = async (room, id) => {
    // An id the engine cannot read before (a part past 2^53, which the protocol's pattern allows) names no message.
    if (!storable(idAfter(id))) return null
    const [entry] = await deadline(engine.logs.readBefore(names.roomLog(room), idAfter(id), 1))
    if (entry === undefined || compareIds(entry.id, id) !== 0) return null
    const message = toChatMessage(entry.id, entry.data)
    if (message === null) return null
    const raw = (await statesOf(room, [entry.id])).get(entry.id) ?? null
    return { message, state: parseState(raw), raw }
  }

  const current: Reader['current'] = async (room, messages) => {
    if (messages.length === 0) return messages
    const inPage = new Map(messages.map((m) => [m.id, m]))
    const states = await statesOf(room, [...messages.map((m) => m.id), ...messages.flatMap((m) => m.replyTo === undefined ? [] : [m.replyTo.id])])
    const now = messages.map((m) => applyState(m, parseState(states.get(m.id) ?? null)))
    // What each quoted message says now; null: deleted.
    const quotes = new Map(now.map((m) => [m.id, m.deleted === true ? null : m.text]))
    // Quoted messages older than the page are read one by one: a page holds at most its size of them.
    const missing = [...new Set(messages.flatMap((m) => m.replyTo !== undefined && !inPage.has(m.replyTo.id) ? [m.replyTo.id] : []))]
    await Promise.all(missing.map(async (id) => {
      if (parseState(states.get(id) ?? null).deleted !== undefined) {
        quotes.set(id, null)
        return
      }
      const found = await find(room, id)
      if (found !== null) quotes.set(id, applyState(found.message, found.state).text)
    }))
    return now.map((m) => {
      if (m.replyTo === undefined || m.deleted === true) return m
      const replyTo = { id: m.replyTo.id, user: m.replyTo.user }
      const quote = quotes.get(m.replyTo.id)
      // Trimmed from the log: the quote says who wrote it, nothing more.
      if (quote === undefined) return { ...m, replyTo }
      return { ...m, replyTo: quote === null ? { ...replyTo, deleted: true } : { ...replyTo, preview: previewOf(quote) } }
    })
  }

  return {
    find,
    current,
    async entries (room, entries) {
      const sent: ChatMessage[] = []
      const stored = []
      for (const { id, data } of entries) {
        const message = toChatMessage(id, data)
        if (message !== null) sent.push(message)
        else {
          const change = parseChange(id, data)
          if (change !== null) stored.push(change)
        }
      }
      const [messages, states] = await Promise.all([current(room, sent), statesOf(room, stored.map((c) => c.target))])
      // An edit of a message deleted since says nothing: the deletion follows it. An edit or a
      // reaction whose message's state went with it when the log was trimmed would hand out an
      // empty text or no reactions, which a client holding the message would apply: left out.
      const changes = stored.flatMap((change) => {
        const raw = states.get(change.target) ?? null
        const state = parseState(raw)
        if (change.kind !== 'delete' && (raw === null || state.deleted !== undefined)) return []
        return [toChange(change, resultOf(change.kind, state))]
      })
      return { messages, changes }
    }
  }
}
