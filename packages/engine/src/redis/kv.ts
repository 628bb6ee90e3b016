import type { Cluster, Redis } from 'ioredis'
import { ttlMs } from '../arguments.js'
import type { KeyValueStore } from '../types.js'
import type { RedisNames } from './names.js'

export function createRedisKv (client: Redis | Cluster, names: RedisNames): KeyValueStore {
  return {
    async get (key) {
      return await client.get(names.kv(key))
    },
    async set (key, value, ttl) {
      if (ttl === undefined) await client.set(names.kv(key), value)
      else await client.set(names.kv(key), value, 'PX', ttlMs(ttl))
    },
    async setIfAbsent (key, value, ttl) {
      const reply = ttl === undefined
        ? await client.set(names.kv(key), value, 'NX')
        : await client.set(names.kv(key), value, 'PX', ttlMs(ttl), 'NX')
      return reply === 'OK'
    },
    async consume (key) {
      return await client.getdel(names.kv(key))
    },
    async delete (key) {
      return await client.del(names.kv(key)) > 0
    },
    async ttl (key) {
      const left = await client.pttl(names.kv(key))
      return left < 0 ? null : left
    }
  }
}
