import { compareIds } from '@webchat/shared'
import { consumerName, entryId, limit, positiveInt, takeOptions } from '../arguments.js'
import { formatLogId, nextLogId, type LogId } from '../log-id.js'
import type { QueueEntry, Queues } from '../types.js'
import type { MemoryQueue, Store } from './store.js'

const queued = (queue: MemoryQueue): number => queue.waiting.size + queue.held.size

/** How long an entry handed out `deliveries` times waits before the next attempt: the last figure repeats. */
const delayAfter = (retryAfterMs: number[], deliveries: number): number => retryAfterMs[Math.min(deliveries, retryAfterMs.length) - 1]!

export function createMemoryQueues (store: Store, now: () => number): Queues {
  const find = (name: string): MemoryQueue | undefined => store.get('queue', name)?.queue

  /** The queue, made when absent (a new slot, refused when the store is full). */
  const open = (name: string): MemoryQueue => {
    const existing = find(name)
    if (existing !== undefined) return existing
    const start: LogId = { ms: 0, seq: -1 }
    const queue: MemoryQueue = { waiting: new Map(), held: new Map(), dead: new Map(), lastId: start, lastDeadId: start }
    store.put(name, { kind: 'queue', queue, expiresAt: null })
    return queue
  }

  /** A new id for an entry (`lastId`) or a dead letter (`lastDeadId`) of the queue. */
  const nextId = (queue: MemoryQueue, last: 'lastId' | 'lastDeadId', at = now()): string => {
    queue[last] = nextLogId(queue[last], at)
    return formatLogId(queue[last])
  }

  return {
    async push (name, data, maxLen) {
      positiveInt(maxLen, 'maxLen')
      const queue = open(name)
      if (queued(queue) >= maxLen) return null
      const id = nextId(queue, 'lastId')
      queue.waiting.set(id, data)
      return id
    },

    async take (name, consumer, options) {
      consumerName(consumer)
      const { count, retryAfterMs } = takeOptions(options)
      const queue = find(name)
      if (queue === undefined) return []
      const at = now()
      const out: QueueEntry[] = []
      for (const [id, entry] of queue.held) {
        if (out.length === count) return out
        if (at - entry.deliveredAt < delayAfter(retryAfterMs, entry.deliveries)) continue
        entry.deliveries++
        entry.deliveredAt = at
        out.push({ id, data: entry.data, attempt: entry.deliveries })
      }
      // Taken oldest first, after every held entry: `held` stays in id order.
      for (const [id, data] of queue.waiting) {
        if (out.length === count) return out
        queue.waiting.delete(id)
        queue.held.set(id, { data, deliveries: 1, deliveredAt: at })
        out.push({ id, data, attempt: 1 })
      }
      return out
    },

    async ack (name, id) {
      const key = entryId(id)
      const queue = find(name)
      return queue !== undefined && (queue.waiting.delete(key) || queue.held.delete(key))
    },

    async bury (name, id, reason, maxDead) {
      const key = entryId(id)
      positiveInt(maxDead, 'maxDead')
      const queue = find(name)
      if (queue === undefined) return false
      const held = queue.held.get(key)
      const data = held?.data ?? queue.waiting.get(key)
      if (data === undefined) return false
      queue.held.delete(key)
      queue.waiting.delete(key)
      const at = now()
      const deadId = nextId(queue, 'lastDeadId', at)
      queue.dead.set(deadId, { id: deadId, data, attempts: held?.deliveries ?? 0, reason, at })
      for (const oldest of queue.dead.keys()) {
        if (queue.dead.size <= maxDead) break
        queue.dead.delete(oldest)
      }
      return true
    },

    async dead (name, afterId, count) {
      const after = afterId === null ? null : entryId(afterId)
      const max = limit(count)
      const letters = [...find(name)?.dead.values() ?? []]
      const start = after === null ? 0 : letters.findIndex((letter) => compareIds(letter.id, after) > 0)
      return start < 0 ? [] : letters.slice(start, start + max).map((letter) => ({ ...letter }))
    },

    async replay (name, maxLen, ids) {
      positiveInt(maxLen, 'maxLen')
      const wanted = ids?.map(entryId)
      const queue = find(name)
      if (queue === undefined) return 0
      let moved = 0
      for (const id of wanted ?? [...queue.dead.keys()]) {
        if (queued(queue) >= maxLen) break
        const letter = queue.dead.get(id)
        if (letter === undefined) continue
        queue.dead.delete(id)
        queue.waiting.set(nextId(queue, 'lastId'), letter.data)
        moved++
      }
      return moved
    },

    async depth (name) {
      const queue = find(name)
      return { queued: queue === undefined ? 0 : queued(queue), pending: queue?.held.size ?? 0, dead: queue?.dead.size ?? 0 }
    }
  }
}
