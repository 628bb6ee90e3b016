import type { Cluster, Redis } from 'ioredis'
import { consumerName, entryId, limit, positiveInt, takeOptions } from '../arguments.js'
import type { DeadLetter, Queues } from '../types.js'
import type { RedisNames } from './names.js'
import { ackScript, buryScript, depthScript, pushScript, replayScript, takeScript } from './queue-scripts.js'

/**
 * How many of the oldest entries held past the smallest delay a take looks at (at least its
 * count): entries further on wait for a later take while as many older ones are held but not due
 * yet (their delay, for a later attempt, is longer). Redis finds them by walking the entries held
 * (XPENDING IDLE), at most the queue's `maxLen`.
 */
const PENDING_SCAN = 100

type StreamEntry = [id: string, fields: string[]]

function toDeadLetter ([id, fields]: StreamEntry): DeadLetter {
  const field = (name: string): string => fields[fields.indexOf(name) + 1] ?? ''
  return { id, data: field('d'), attempts: Number(field('n')), reason: field('r'), at: Number(field('t')) }
}

/** `Queues` on streams with a consumer group (queue-scripts.ts): every call is one script or command in the queue's slot. */
export function createRedisQueues (client: Redis | Cluster, names: RedisNames): Queues {
  const both = (queue: string): string[] => [names.queue(queue), names.queueDead(queue)]

  return {
    async push (queue, data, maxLen) {
      return await pushScript.run(client, [names.queue(queue)], [data, positiveInt(maxLen, 'maxLen')]) as string | null
    },

    async take (queue, consumer, options) {
      const { count, retryAfterMs } = takeOptions(options)
      const args = [consumerName(consumer), count, Math.max(PENDING_SCAN, count), Math.min(...retryAfterMs), ...retryAfterMs]
      const reply = await takeScript.run(client, [names.queue(queue)], args) as Array<[string, string, number]>
      return reply.map(([id, data, attempt]) => ({ id, data, attempt }))
    },

    async ack (queue, id) {
      return await ackScript.run(client, [names.queue(queue)], [entryId(id)]) === 1
    },

    async bury (queue, id, reason, maxDead) {
      return await buryScript.run(client, both(queue), [entryId(id), reason, positiveInt(maxDead, 'maxDead')]) === 1
    },

    async dead (queue, afterId, count) {
      const start = afterId === null ? '-' : `(${entryId(afterId)}`
      const max = limit(count)
      if (max === 0) return []
      return (await client.xrange(names.queueDead(queue), start, '+', 'COUNT', max) as StreamEntry[]).map(toDeadLetter)
    },

    async replay (queue, maxLen, ids) {
      const args = [positiveInt(maxLen, 'maxLen'), ...ids?.map(entryId) ?? []]
      // An empty list moves nothing (no ids would mean all to the script).
      if (ids?.length === 0) return 0
      return Number(await replayScript.run(client, both(queue), args))
    },

    async depth (queue) {
      const [queued, pending, dead] = await depthScript.run(client, both(queue), []) as number[]
      return { queued: Number(queued), pending: Number(pending), dead: Number(dead) }
    }
  }
}
