import { createHash } from 'node:crypto'
import type { Cluster, Redis } from 'ioredis'
import { limit, positiveInt, ttlMs } from '../arguments.js'
import { formatLogId, nextEpoch, parseLogId } from '../log-id.js'
import type { AppendOptions, AppendResult, LogEntry, Logs } from '../types.js'
import { appendScript, readWithinScript, readEntries, readStreamInfo } from './log-replies.js'
import type { RedisNames } from './names.js'

/**
 * The field an idempotency key is kept under in its log's window: 66 bits of its SHA-1, short
 * whatever the key's length. Two keys of one log collide with odds of about n² / 2⁶⁷ for n keys in
 * a window (1 in 10¹³ for 15,000), and only while both are live.
 */
const keyDigest = (key: string): string => createHash('sha1').update(key).digest('base64url').slice(0, 11)

export function createRedisLogs (client: Redis | Cluster, names: RedisNames): Logs {
  const append = async (log: string, data: string, options: AppendOptions, create: boolean): Promise<AppendResult | null> => {
    const maxLen = positiveInt(options.maxLen, 'maxLen')
    const { idempotency, publish } = options
    // SPUBLISH from the append script reaches only the shard that runs it.
    if (publish !== undefined && names.group(publish.channel) !== names.group(log)) {
      throw new TypeError(`on Redis Cluster an append's channel must share its log's hash tag: ${JSON.stringify(publish.channel)} and ${JSON.stringify(log)} do not`)
    }
    const keepMs = idempotency === undefined ? 0 : ttlMs(idempotency.ttlMs, 'idempotency.ttlMs')
    const key = idempotency?.key ?? ''
    const keys = [
      names.log(log), names.logEpoch(log),
      names.idempotencyWindow(log, 'current'), names.idempotencyWindow(log, 'previous'), names.idempotency(log, key)
    ]
    const args = [
      data, maxLen, nextEpoch(), keepMs,
      publish === undefined ? 0 : names.cluster ? 2 : 1,
      publish === undefined ? '' : names.channel(publish.channel), publish?.before ?? '', publish?.after ?? '',
      create ? 1 : 0, keyDigest(key)
    ]
    const reply = await appendScript.run(client, keys, args) as [string, string, number] | null
    if (reply === null) return null
    const [id, epoch, duplicate] = reply
    return { id, epoch, duplicate: duplicate === 1 }
  }

  return {
    append: async (log, data, options) => (await append(log, data, options, true))!,
    appendExisting: async (log, data, options) => await append(log, data, options, false),

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
      const [epoch, stream] = await Promise.all([client.get(names.logEpoch(log)), readStreamInfo(client, names.log(log))])
      return { epoch, ...stream }
    }
  }
}
