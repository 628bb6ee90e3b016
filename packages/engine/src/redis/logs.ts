import { createHash } from 'node:crypto'
import type { Cluster, Redis } from 'ioredis'
import { limit, positiveInt, ttlMs } from '../arguments.js'
import { formatLogId, nextEpoch, parseLogId } from '../log-id.js'
import type { AppendGuard, AppendOptions, AppendResult, LogEntry, Logs } from '../types.js'
import { appendScript, readWithinScript, readEntries, readStreamInfo } from './log-replies.js'
import type { RedisNames } from './names.js'

/**
 * The field an idempotency key is kept under in its log's window: 66 bits of its SHA-1, short
 * whatever the key's length. Two keys of one log collide with odds of about n² / 2⁶⁷ for n keys in
 * a window (1 in 10¹³ for 15,000), and only while both are live.
 */
const keyDigest = (key: string): string => createHash('sha1').update(key).digest('base64url').slice(0, 11)

export function createRedisLogs (client: Redis | Cluster, names: RedisNames): Logs {
  const sameSlot = (log: string, name: string, what: string): void => {
    if (names.group(name) !== names.group(log)) {
      throw new TypeError(`on Redis Cluster an append's ${what} must share its log's hash tag: ${JSON.stringify(name)} and ${JSON.stringify(log)} do not`)
    }
  }

  const append = async (log: string, data: string, options: AppendOptions, create: boolean, guard?: AppendGuard): Promise<AppendResult | 'conflict' | null> => {
    const maxLen = positiveInt(options.maxLen, 'maxLen')
    const { idempotency, publish, entryStates, stamp } = options
    // SPUBLISH from the append script reaches only the shard that runs it.
    if (publish !== undefined) sameSlot(log, publish.channel, 'channel')
    if (entryStates !== undefined) sameSlot(log, entryStates, 'entry states')
    if (stamp !== undefined) sameSlot(log, stamp.key, 'stamp')
    if (guard !== undefined) sameSlot(log, guard.map, 'guard')
    const remove = (guard?.remove ?? []).map((id) => formatLogId(parseLogId(id)))
    const keepMs = idempotency === undefined ? 0 : ttlMs(idempotency.ttlMs, 'idempotency.ttlMs')
    const key = idempotency?.key ?? ''
    const stream = names.log(log)
    const keys = [
      stream, names.logEpoch(log),
      names.idempotencyWindow(log, 'current'), names.idempotencyWindow(log, 'previous'), names.idempotency(log, key),
      names.logSequence(log),
      entryStates === undefined ? stream : names.map(entryStates),
      stamp === undefined ? stream : names.kv(stamp.key),
      guard === undefined ? stream : names.map(guard.map)
    ]
    const args = [
      data, maxLen, nextEpoch(), keepMs,
      publish === undefined ? 0 : names.cluster ? 2 : 1,
      publish === undefined ? '' : names.channel(publish.channel), publish?.before ?? '', publish?.after ?? '',
      create ? 1 : 0, keyDigest(key),
      options.sequence === true ? 1 : 0, entryStates === undefined ? 0 : 1,
      stamp === undefined ? 0 : ttlMs(stamp.ttlMs, 'stamp.ttlMs'),
      ...(guard === undefined
        ? []
        : [guard.field, guard.expect === null ? 0 : 1, guard.expect ?? '', guard.value === null ? 0 : 1, guard.value ?? '', ...remove])
    ]
    const reply = await appendScript.run(client, keys, args) as [string, string, number, number] | null
    if (reply === null) return null
    const [id, epoch, code, seq] = reply
    if (code === 2) return 'conflict'
    const result: AppendResult = { id, epoch, duplicate: code === 1 }
    if (code === 0 && options.sequence === true) result.seq = Number(seq)
    return result
  }

  return {
    append: async (log, data, options) => (await append(log, data, options, true)) as AppendResult,
    appendExisting: async (log, data, options) => await append(log, data, options, false) as AppendResult | null,
    change: async (log, data, options, guard) => await append(log, data, options, false, guard),

    async readAfter (log, afterId, count) {
      const after = formatLogId(parseLogId(afterId))
      const max = limit(count)
      if (max === 0) return []
      return readEntries(await client.xrange(names.log(log), `(${after}`, '+', 'COUNT', max))
    },

    async readAfterWithin (log, afterId, count, maxBytes) {
      const after = formatLogId(parseLogId(afterId))
      const max = limit(count)
      const cap = limit(maxBytes)
      if (max === 0) return []
      const reply = await readWithinScript.run(client, [names.log(log)], [`(${after}`, max, cap])
      return reply === null ? null : readEntries(reply)
    },

    async readBefore (log, beforeId, count) {
      const before = beforeId === null ? null : parseLogId(beforeId)
      const max = limit(count)
      if (max === 0 || (before !== null && before.ms === 0 && before.seq === 0)) return []
      const end = before === null ? '+' : `(${formatLogId(before)}`
      const newestFirst: LogEntry[] = readEntries(await client.xrevrange(names.log(log), end, '-', 'COUNT', max))
      return newestFirst.reverse()
    },

    async info (log) {
      // Only appends make the epoch: a log read before its first message leaves no key behind.
      const [epoch, stream, seq] = await Promise.all([
        client.get(names.logEpoch(log)), readStreamInfo(client, names.log(log)), client.get(names.logSequence(log))
      ])
      // A counter left from a lost epoch is reset by the next append: no epoch, no number.
      return { epoch, ...stream, seq: epoch === null ? 0 : Number(seq ?? 0) }
    }
  }
}
