import type { ChatMessage } from '@webchat/shared'
import type { ChatClient } from './chat-client.js'
import type { SendRecord } from './traffic.js'

export interface Accounting {
  acked: number
  /** Per client: acked message ids it never showed (and, when allowed, not in the log either). */
  lost: Record<string, string[]>
  /** Acked message ids missing from the log. */
  missingFromLog: string[]
  /** Per client: ids shown twice, or one clientMsgId shown under two ids within one epoch. */
  shownTwice: Record<string, string[]>
  /** clientMsgIds stored more than once in the log. */
  storedTwice: string[]
}

export interface AccountingOptions {
  /** An acked message counts as kept when a client showed it OR it is in the log (a log lost in an outage). */
  shownOrInLog?: boolean
}

/** Checks "0 acknowledged messages lost, 0 shown twice, every send stored once" for one room. */
export function account (records: readonly SendRecord[], clients: readonly ChatClient[], room: string, log: readonly ChatMessage[], options: AccountingOptions = {}): Accounting {
  const acked = records.filter((r) => r.room === room && r.id !== undefined)
  const inLog = new Set(log.map((m) => m.id))
  const result: Accounting = { acked: acked.length, lost: {}, missingFromLog: [], shownTwice: {}, storedTwice: [] }
  result.missingFromLog = acked.filter((r) => !inLog.has(r.id!)).map((r) => r.id!)
  for (const client of clients) {
    const shown = client.shown.filter((s) => s.room === room)
    const ids = new Set(shown.map((s) => s.id))
    result.lost[client.name] = acked
      .filter((r) => !ids.has(r.id!) && !(options.shownOrInLog === true && inLog.has(r.id!)))
      .map((r) => r.id!)
    const twice: string[] = []
    const seenIds = new Set<string>()
    const seenSends = new Set<string>()
    for (const s of shown) {
      if (seenIds.has(s.id)) twice.push(s.id)
      seenIds.add(s.id)
      if (s.clientMsgId === undefined) continue
      const key = `${s.epoch ?? ''}\n${s.userId}\n${s.clientMsgId}`
      if (seenSends.has(key)) twice.push(s.clientMsgId)
      seenSends.add(key)
    }
    result.shownTwice[client.name] = twice
  }
  const stored = new Set<string>()
  for (const m of log) {
    if (m.clientMsgId === undefined) continue
    const key = `${m.user.id}\n${m.clientMsgId}`
    if (stored.has(key)) result.storedTwice.push(m.clientMsgId)
    stored.add(key)
  }
  return result
}

export const total = (perClient: Record<string, string[]>): number => Object.values(perClient).reduce((n, list) => n + list.length, 0)
