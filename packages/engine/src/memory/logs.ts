import { entryId as canonical, limit, positiveInt, ttlMs } from '../arguments.js'
import { compareIds } from '@webchat/shared'
import { formatLogId, newEpoch, nextLogId } from '../log-id.js'
import type { AppendGuard, AppendOptions, AppendResult, LogEntry, Logs } from '../types.js'
import type { MemoryLog, Store } from './store.js'

/** The name an idempotency key is stored under: unambiguous for any log and key. */
const idempotencyName = (log: string, key: string): string => `${log.length}:${log}:${key}`

const copy = ({ id, data }: LogEntry): LogEntry => ({ id, data })

/** The NUL that `AppendOptions.sequence` replaces by the append's number. */
const splice = (text: string, seq: number): string => {
  const at = text.indexOf('\u0000')
  return at < 0 ? text : text.slice(0, at) + String(seq) + text.slice(at + 1)
}

const TARGET = /"target":"([0-9]+-[0-9]+)"/

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
    const id = nextLogId({ ms: log.lastMs, seq: log.lastSeq }, now())
    log.lastMs = id.ms
    log.lastSeq = id.seq
    return formatLogId(id)
  }

  const fieldsOf = (map: string): Map<string, string> | undefined => store.get('map', map)?.fields

  /** What `AppendOptions.entryStates` drops with the entries trimmed from a log. */
  const dropStates = (map: string | undefined, trimmed: LogEntry[]): void => {
    const fields = map === undefined ? undefined : fieldsOf(map)
    if (fields === undefined) return
    for (const { id, data } of trimmed) {
      fields.delete(id)
      const target = TARGET.exec(data)?.[1]
      if (target !== undefined) fields.delete(target)
    }
    if (fields.size === 0) store.delete('map', map!)
  }

  const guardHolds = (guard: AppendGuard): boolean => (fieldsOf(guard.map)?.get(guard.field) ?? null) === guard.expect

  const applyGuard = (guard: AppendGuard, log: MemoryLog): void => {
    const fields = fieldsOf(guard.map)
    if (guard.value === null) {
      fields?.delete(guard.field)
      if (fields?.size === 0) store.delete('map', guard.map)
    } else if (fields === undefined) {
      store.put(guard.map, { kind: 'map', fields: new Map([[guard.field, guard.value]]), expiresAt: null })
    } else {
      fields.set(guard.field, guard.value)
    }
    const remove = new Set((guard.remove ?? []).map(canonical))
    if (remove.size > 0) log.entries = log.entries.filter((entry) => !remove.has(entry.id))
  }

  const append = (name: string, input: string, options: AppendOptions, create: boolean, guard?: AppendGuard): AppendResult | 'conflict' | null => {
    const maxLen = positiveInt(options.maxLen, 'maxLen')
    const idempotency = options.idempotency
    const keepMs = idempotency === undefined ? 0 : ttlMs(idempotency.ttlMs, 'idempotency.ttlMs')
    for (const id of guard?.remove ?? []) canonical(id)
    const stampMs = options.stamp === undefined ? 0 : ttlMs(options.stamp.ttlMs, 'stamp.ttlMs')
    const existing = store.get('log', name)?.log
    if (existing === undefined && !create) return null
    const keyName = idempotency === undefined ? undefined : idempotencyName(name, idempotency.key)
    if (existing !== undefined && keyName !== undefined) {
      const seen = store.get('idempotency', keyName)
      if (seen !== undefined) return { id: seen.id, epoch: existing.epoch, duplicate: true }
    }
    if (guard !== undefined && !guardHolds(guard)) return 'conflict'
    // Room for every new slot first: an append is stored whole or not at all.
    const guardMap = guard !== undefined && guard.value !== null && fieldsOf(guard.map) === undefined
    store.reserve([
      ...(existing === undefined ? ['log' as const] : []),
      ...(keyName === undefined ? [] : ['idempotency' as const]),
      ...(guardMap ? ['map' as const] : [])
    ])
    const log: MemoryLog = existing ?? { epoch: newEpoch(), entries: [], lastMs: 0, lastSeq: -1, maxDeletedId: null, sequence: 0 }
    const seq = options.sequence === true ? ++log.sequence : undefined
    const data = seq === undefined ? input : splice(input, seq)
    const id = nextId(log)
    log.entries.push({ id, data })
    const excess = log.entries.length - maxLen
    if (excess > 0) {
      const trimmed = log.entries.splice(0, excess)
      log.maxDeletedId = trimmed.at(-1)!.id
      dropStates(options.entryStates, trimmed)
    }
    if (existing === undefined) store.put(name, { kind: 'log', log, expiresAt: null })
    if (guard !== undefined) applyGuard(guard, log)
    if (keyName !== undefined) store.put(keyName, { kind: 'idempotency', id, expiresAt: now() + keepMs })
    if (options.stamp !== undefined) {
      store.put(options.stamp.key, { kind: 'kv', value: `${id} ${seq ?? 0} ${log.epoch}`, expiresAt: now() + stampMs, share: 'traffic' })
    }
    if (options.publish !== undefined) {
      const { channel, before, after } = options.publish
      publish(channel, before + id + (seq === undefined ? after : splice(after, seq)))
    }
    return seq === undefined ? { id, epoch: log.epoch, duplicate: false } : { id, epoch: log.epoch, duplicate: false, seq }
  }

  return {
    append: async (name, data, options) => append(name, data, options, true) as AppendResult,
    appendExisting: async (name, data, options) => append(name, data, options, false) as AppendResult | null,
    change: async (name, data, options, guard) => append(name, data, options, false, guard),

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
      if (log === undefined) return { epoch: null, length: 0, firstId: null, lastId: null, maxDeletedId: null, seq: 0 }
      return {
        epoch: log.epoch,
        length: log.entries.length,
        firstId: log.entries[0]?.id ?? null,
        lastId: log.entries.at(-1)?.id ?? null,
        maxDeletedId: log.maxDeletedId,
        seq: log.sequence
      }
    }
  }
}
