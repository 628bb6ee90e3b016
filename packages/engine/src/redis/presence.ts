import type { Cluster, Redis } from 'ioredis'
import { ttlMs } from '../arguments.js'
import type { PresenceAdded, PresenceChange, PresenceEntry, PresenceSets } from '../types.js'
import type { RedisNames } from './names.js'
import { enter, exit, KEEP, members, NOW, PUT, VERSION, view } from './presence-lua.js'
import { defineScript } from './script.js'

/** KEYS: expiry, values, log. ARGV: member, value, ttl. Returns 1 when the member was new. */
const add = defineScript(`${NOW}${KEEP}${VERSION}${PUT}
return (put(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3]))
`)

/** KEYS: expiry, values, log. ARGV: member. */
const remove = defineScript(`${VERSION}
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if removed == 1 then bump(KEYS[2], KEYS[3], { ARGV[1], false }) end
return removed
`)

/** Removes up to ARGV[1] expired entries; returns them as [member, value, ...]. */
const expire = defineScript(`${NOW}${VERSION}
local gone = redis.call('ZRANGE', KEYS[1], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[1]))
local out = {}
if #gone == 0 then return out end
local values = redis.call('HMGET', KEYS[2], unpack(gone))
redis.call('ZREM', KEYS[1], unpack(gone))
redis.call('HDEL', KEYS[2], unpack(gone))
local changes = {}
for i, member in ipairs(gone) do
  out[#out + 1] = member
  out[#out + 1] = values[i] or ''
  changes[#changes + 1] = member
  changes[#changes + 1] = false
end
bump(KEYS[2], KEYS[3], changes)
return out
`)

/** Bounds one script run (Lua's unpack has a stack limit); `expire` loops over batches. */
const EXPIRE_BATCH = 500

/**
 * `add` over many sets. KEYS: expiry, values, log of each item. ARGV: member, value, ttl of each.
 * Returns, per item, added (0/1) and revived (0/1).
 */
const addMany = defineScript(`${NOW}${KEEP}${VERSION}${PUT}
local out = {}
for i = 1, #KEYS / 3 do
  local at = (i - 1) * 3
  local added, _, revived = put(KEYS[at + 1], KEYS[at + 2], KEYS[at + 3], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3])
  out[#out + 1] = added
  out[#out + 1] = revived
end
return out
`)

/**
 * `expire` over many sets, up to ARGV[1] entries each. KEYS: expiry, values, log of each set.
 * Returns, per set, its count followed by [member, value, ...].
 */
const expireMany = defineScript(`${NOW}${VERSION}
local out = {}
for i = 1, #KEYS / 3 do
  local at = (i - 1) * 3
  local gone = redis.call('ZRANGE', KEYS[at + 1], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[1]))
  out[#out + 1] = #gone
  if #gone > 0 then
    local values = redis.call('HMGET', KEYS[at + 2], unpack(gone))
    redis.call('ZREM', KEYS[at + 1], unpack(gone))
    redis.call('HDEL', KEYS[at + 2], unpack(gone))
    local changes = {}
    for j, member in ipairs(gone) do
      out[#out + 1] = member
      out[#out + 1] = values[j] or ''
      changes[#changes + 1] = member
      changes[#changes + 1] = false
    end
    bump(KEYS[at + 2], KEYS[at + 3], changes)
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

/** A line of a set's LIST of changes (presence-lua.ts). */
function toChange (line: string): PresenceChange {
  const end = line.indexOf('\n')
  const version = Number(line.slice(0, end))
  if (line[end + 1] === '-') return { version, member: line.slice(end + 2), value: null }
  const at = line.indexOf('\n', end + 1)
  return { version, member: line.slice(end + 2, at), value: line.slice(at + 1) }
}

function toEntries (flat: string[]): PresenceEntry[] {
  const entries: PresenceEntry[] = []
  for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ member: flat[i]!, value: flat[i + 1]! })
  return entries
}

export function createRedisPresence (client: Redis | Cluster, names: RedisNames): PresenceSets {
  const keys = (set: string): string[] => [names.presenceExpiry(set), names.presenceValues(set), names.presenceLog(set)]
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
    async view (set) {
      const [version, ...flat] = await view.run(client, keys(set), []) as [number, ...string[]]
      return { entries: toEntries(flat), version: Number(version) }
    },
    async enter (set, member, value, ttl, known = 0) {
      const [added, version, delta, ...flat] = await enter.run(client, keys(set), [member, value, ttlMs(ttl), known]) as [number, number, number, ...string[]]
      const head = { added: added === 1, version: Number(version) }
      return delta === 1 ? { ...head, changes: flat.map(toChange) } : { ...head, entries: toEntries(flat) }
    },
    async exit (set, member, prefix) {
      const [removed, others, version] = await exit.run(client, keys(set), [member, prefix]) as [number, number, number]
      return { removed: removed === 1, others: others === 1, version: Number(version) }
    },
    expire: expireOne,
    async addMany (items) {
      const result: PresenceAdded[] = new Array(items.length)
      // One script per slot group (on a cluster a script's keys share one slot), run at once.
      await Promise.all(batches(items.map((item, at) => ({ item, at })), ({ item }) => names.group(item.set)).map(async (part) => {
        const args = part.flatMap(({ item }) => [item.member, item.value, ttlMs(item.ttlMs)])
        const reply = await addMany.run(client, part.flatMap(({ item }) => keys(item.set)), args) as number[]
        part.forEach(({ at }, i) => { result[at] = { added: reply[2 * i] === 1, revived: reply[2 * i + 1] === 1 } })
      }))
      return result
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
