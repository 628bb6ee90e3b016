import type { Cluster, Redis } from 'ioredis'
import { ttlMs } from '../arguments.js'
import type { PresenceEntry, PresenceSets } from '../types.js'
import type { RedisNames } from './names.js'
import { defineScript } from './script.js'

/*
 * A presence set is a ZSET (member → expiry ms) beside a HASH (member → value). Expiry uses
 * the Redis clock (TIME), so instances with skewed clocks agree. Entries past their expiry stay
 * until `expire` or `remove` takes them: each `add` returning true gets exactly one removal.
 */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

/*
 * The set's keys outlive their newest entry by KEEP_MS, long enough for any sweep to take (and
 * announce) its expired entries first, and then go: the entries of crashed instances in a room
 * nobody holds any more leave nothing behind for ever. Never shortened (instances may use
 * different TTLs).
 */
const KEEP_MS = 10 * 60_000
const KEEP = `local function keep (expiry, values, ttl)
  local life = tonumber(ttl) + ${KEEP_MS}
  if redis.call('PTTL', expiry) < life then
    redis.call('PEXPIRE', expiry, life)
    redis.call('PEXPIRE', values, life)
  end
end
`

/** KEYS: expiry, values. ARGV: member, value, ttl. Returns 1 when the member was new. */
const add = defineScript(`${NOW}${KEEP}
local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
keep(KEYS[1], KEYS[2], ARGV[3])
return added
`)

/** KEYS: expiry, values. ARGV: member. */
const remove = defineScript(`
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return removed
`)

/** Returns [member, value, ...] for entries whose expiry is in the future. */
const members = defineScript(`${NOW}
local live = redis.call('ZRANGE', KEYS[1], '(' .. now, '+inf', 'BYSCORE')
local out = {}
for first = 1, #live, 500 do
  local last = math.min(first + 499, #live)
  local values = redis.call('HMGET', KEYS[2], unpack(live, first, last))
  for i = first, last do
    out[#out + 1] = live[i]
    out[#out + 1] = values[i - first + 1] or ''
  end
end
return out
`)

/** Removes up to ARGV[1] expired entries; returns them as [member, value, ...]. */
const expire = defineScript(`${NOW}
local gone = redis.call('ZRANGE', KEYS[1], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[1]))
local out = {}
if #gone == 0 then return out end
local values = redis.call('HMGET', KEYS[2], unpack(gone))
redis.call('ZREM', KEYS[1], unpack(gone))
redis.call('HDEL', KEYS[2], unpack(gone))
for i, member in ipairs(gone) do
  out[#out + 1] = member
  out[#out + 1] = values[i] or ''
end
return out
`)

/** Bounds one script run (Lua's unpack has a stack limit); `expire` loops over batches. */
const EXPIRE_BATCH = 500

/** `add` over many sets. KEYS: expiry, values of each item. ARGV: member, value, ttl of each. */
const addMany = defineScript(`${NOW}${KEEP}
local out = {}
for i = 1, #KEYS / 2 do
  local at = (i - 1) * 3
  out[i] = redis.call('ZADD', KEYS[2 * i - 1], now + tonumber(ARGV[at + 3]), ARGV[at + 1])
  redis.call('HSET', KEYS[2 * i], ARGV[at + 1], ARGV[at + 2])
  keep(KEYS[2 * i - 1], KEYS[2 * i], ARGV[at + 3])
end
return out
`)

/**
 * `expire` over many sets, up to ARGV[1] entries each. KEYS: expiry, values of each set.
 * Returns, per set, its count followed by [member, value, ...].
 */
const expireMany = defineScript(`${NOW}
local out = {}
for i = 1, #KEYS / 2 do
  local gone = redis.call('ZRANGE', KEYS[2 * i - 1], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[1]))
  out[#out + 1] = #gone
  if #gone > 0 then
    local values = redis.call('HMGET', KEYS[2 * i], unpack(gone))
    redis.call('ZREM', KEYS[2 * i - 1], unpack(gone))
    redis.call('HDEL', KEYS[2 * i], unpack(gone))
    for j, member in ipairs(gone) do
      out[#out + 1] = member
      out[#out + 1] = values[j] or ''
    end
  end
end
return out
`)

/** Items or sets per script run of the bulk calls. */
const BULK = 250

/** Items in runs of at most BULK that share a group, in order within each group. */
function batches<T> (items: T[], groupOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = groupOf(item)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [item])
    else group.push(item)
  }
  return [...groups.values()].flatMap((group) => Array.from({ length: Math.ceil(group.length / BULK) }, (_, i) => group.slice(i * BULK, (i + 1) * BULK)))
}

function toEntries (flat: string[]): PresenceEntry[] {
  const entries: PresenceEntry[] = []
  for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ member: flat[i]!, value: flat[i + 1]! })
  return entries
}

export function createRedisPresence (client: Redis | Cluster, names: RedisNames): PresenceSets {
  const keys = (set: string): string[] => [names.presenceExpiry(set), names.presenceValues(set)]
  const expireOne = async (set: string): Promise<PresenceEntry[]> => {
    const gone: PresenceEntry[] = []
    for (;;) {
      const batch = toEntries(await expire.run(client, keys(set), [EXPIRE_BATCH]) as string[])
      gone.push(...batch)
      if (batch.length < EXPIRE_BATCH) return gone
    }
  }
  return {
    async add (set, member, value, ttl) {
      return await add.run(client, keys(set), [member, value, ttlMs(ttl)]) === 1
    },
    async remove (set, member) {
      return await remove.run(client, keys(set), [member]) === 1
    },
    async members (set) {
      return toEntries(await members.run(client, keys(set), []) as string[])
    },
    expire: expireOne,
    async addMany (items) {
      const added: boolean[] = new Array(items.length)
      // One script per slot group (on a cluster a script's keys share one slot), run at once.
      await Promise.all(batches(items.map((item, at) => ({ item, at })), ({ item }) => names.group(item.set)).map(async (part) => {
        const args = part.flatMap(({ item }) => [item.member, item.value, ttlMs(item.ttlMs)])
        const reply = await addMany.run(client, part.flatMap(({ item }) => keys(item.set)), args) as number[]
        part.forEach(({ at }, i) => { added[at] = reply[i] === 1 })
      }))
      return added
    },
    async expireMany (sets) {
      const result: PresenceEntry[][] = new Array(sets.length)
      await Promise.all(batches(sets.map((set, at) => ({ set, at })), ({ set }) => names.group(set)).map(async (part) => {
        const reply = await expireMany.run(client, part.flatMap(({ set }) => keys(set)), [EXPIRE_BATCH]) as Array<string | number>
        let next = 0
        for (const { set, at } of part) {
          const count = Number(reply[next++])
          const flat = reply.slice(next, next + 2 * count) as string[]
          next += 2 * count
          // A set with more expired entries than one batch: the rest one set at a time.
          result[at] = count < EXPIRE_BATCH ? toEntries(flat) : [...toEntries(flat), ...await expireOne(set)]
        }
      }))
      return result
    }
  }
}
