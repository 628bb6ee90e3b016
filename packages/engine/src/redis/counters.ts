import type { Cluster, Redis } from 'ioredis'
import { integer, ttlMs } from '../arguments.js'
import type { Counters } from '../types.js'
import type { RedisNames } from './names.js'
import { defineScript } from './script.js'

/** INCRBY, then start the window if this increment created the counter. */
const increment = defineScript(`
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2], 'NX')
return {count, redis.call('PTTL', KEYS[1])}
`)

export function createRedisCounters (client: Redis | Cluster, names: RedisNames): Counters {
  return {
    async increment (key, windowMs, by = 1) {
      const reply = await increment.run(client, [names.counter(key)], [integer(by, 'by'), ttlMs(windowMs, 'windowMs')])
      const [count, resetMs] = reply as [number, number]
      return { count, resetMs }
    },
    async get (key) {
      return Number(await client.get(names.counter(key)) ?? 0)
    },
    async reset (key) {
      await client.del(names.counter(key))
    }
  }
}
