import type { Cluster, Redis } from 'ioredis'
import { claimMember, ttlMs } from '../arguments.js'
import type { KeyValueStore } from '../types.js'
import type { RedisNames } from './names.js'
import { defineScript } from './script.js'
import { windowsLua } from './windows.js'

/**
 * KEYS: the group's current and previous claims windows (windows.ts). ARGV: member, ttl. A field's
 * value is its deadline, an integer, which a hash stores in a few bytes. Returns 1 when claimed.
 */
const claim = defineScript(windowsLua + `
local now = nowMs()
local ttl = tonumber(ARGV[2])
local open = rotate(KEYS[1], KEYS[2], now, ttl)
for _, window in ipairs(KEYS) do
  local deadline = redis.call('HGET', window, ARGV[1])
  if deadline and tonumber(deadline) > now then return 0 end
end
put(KEYS[1], open, ARGV[1], ms(now + ttl), now, ttl)
return 1
`)

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
    async claim (group, member, ttl) {
      const keys = [names.claims(group, 'current'), names.claims(group, 'previous')]
      return await claim.run(client, keys, [claimMember(member), ttlMs(ttl)]) === 1
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
    },
    async touch (key, ttl) {
      return await client.pexpire(names.kv(key), ttlMs(ttl)) === 1
    }
  }
}
