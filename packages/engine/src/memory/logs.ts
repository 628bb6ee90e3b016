import { limit, positiveInt, ttlMs } from '../arguments.js'
import { compareIds } from '@webchat/shared'
import { formatLogId, newEpoch, parseLogId } from '../log-id.js'
import type { AppendOptions, AppendResult, LogEntry, Logs } from '../types.js'
import type { MemoryLog, Store } from './store.js'

/** The name an idempotency key is stored under: unambiguous for any log and key. */
const idempotencyName = (log: string, key: string): string => `${log.length}:${log}:${key}`

const copy = ({ id, data }: LogEntry): LogEntry => ({ id, data })

/** `id` in its canonical form (`5` is `5-0`, no leading zeros); throws RangeError on anything else. */
const canonical = (id: string): string => formatLogId(parseLogId(id))

/** Index of the first entry whose id is greater than `id` (or >= when `inclusive`). */
function firstAfter (entries: LogEntry[], id: string, inclusive: boolean): number {
  let low = 0
  let high = entries.length
  while (low < high) {
    const mid = (low + high) >>> 1
    const order = compareIds(entries[mid]!.id, id)
    if (order > 0 || (inclusive && order === 0)) high = mid
    else low = mid + 1
  }
  return low
}

export function createMemoryLogs (
  store: Store,
  now: () => number,
  publish: (channel: string, message: string) => void
): Logs {
  const nextId = (log: MemoryLog): string => {
    // Like XADD '*': the same or an earlier clock reading reuses the last ms with the next seq.
    const ms = Math.max(now(), log.lastMs)
    log.lastSeq = ms === log.lastMs ? log.lastSeq + 1 : 0
    log.lastMs = ms
    return formatLogId({ ms, seq: log.lastSeq })
  }

  const append = (name: string, data: string, options: AppendOptions, create: boolean): AppendResult | null => {
    const maxLen = positiveInt(options.maxLen, 'maxLen')
    const idempotency = options.idempotency
    const keepMs = idempotency === undefined ? 0 : ttlMs(idempotency.ttlMs, 'idempotency.ttlMs')
    const existing = store.get('log', name)?.log
    if (existing === undefined && !create) return null
    const keyName = idempotency === undefined ? undefined : idempotencyName(name, idempotency.key)
    if (existing !== undefined && keyName !== undefined) {
      const seen = store.get('idempotency', keyName)
      if (seen !== undefined) return { id: seen.id, epoch: existing.epoch, duplicate: true }
    }
    // Room for every new slot first: an append is stored whole or not at all.
    store.reserve([...(existing === undefined ? ['log' as const] : []), ...(keyName === undefined ? [] : ['idempotency' as const])])
    const log: MemoryLog = existing ?? { epoch: newEpoch(), entries: [], lastMs: 0, lastSeq: -1, maxDeletedId: null }
    const id = nextId(log)
    log.entries.push({ id, data })
    const excess = log.entries.length - maxLen
    if (excess > 0) log.maxDeletedId = log.entries.splice(0, excess).at(-1)!.id
    if (existing === undefined) store.put(name, { kind: 'log', log, expiresAt: null })
    if (keyName !== undefined) store.put(keyName, { kind: 'idempotency', id, expiresAt: now() + keepMs })
    if (options.publish !== undefined) {
      const { channel, before, after } = options.publish
      publish(channel, before + id + after)
    }
    return { id, epoch: log.epoch, duplicate: false }
  }

  return {
    append: async (name, data, options) => append(name, data, options, true)!,
    appendExisting: async (name, data, options) => append(name, data, options, false),

    async readAfter (name, afterId, count) {
      const after = canonical(afterId)
      const entries = store.get('log', name)?.log.entries ?? []
      const start = firstAfter(entries, after, false)
      return entries.slice(start, start + limit(count)).map(copy)
    },

    async readAfterWithin (name, afterId, count, maxBytes) {
      const after = canonical(afterId)
      const max = limit(count)
      const cap = limit(maxBytes)
      const entries = store.get('log', name)?.log.entries ?? []
      const start = firstAfter(entries, after, false)
      const end = Math.min(entries.length, start + max)
      let bytes = 0
      for (let i = start; i < end; i++) {
        bytes += Buffer.byteLength(entries[i]!.data)
        if (bytes > cap) return null
      }
      return entries.slice(start, end).map(copy)
    },

    async readBefore (name, beforeId, count) {
      const before = beforeId === null ? null : canonical(beforeId)
      const max = limit(count)
      const entries = store.get('log', name)?.log.entries ?? []
      const end = before === null ? entries.length : firstAfter(entries, before, true)
      return max === 0 ? [] : entries.slice(Math.max(0, end - max), end).map(copy)
    },

    async info (name) {
      const log = store.get('log', name)?.log
      if (log === undefined) return { epoch: null, length: 0, firstId: null, lastId: null, maxDeletedId: null }
      return {
        epoch: log.epoch,
        length: log.entries.length,
        firstId: log.entries[0]?.id ?? null,
        lastId: log.entries.at(-1)?.id ?? null,
        maxDeletedId: log.maxDeletedId
      }
    }
  }
}
