import { defineScript } from './script.js'

/*
 * A presence set is a ZSET (member → expiry ms) beside a HASH (member → value). Expiry uses
 * the Redis clock (TIME), so instances with skewed clocks agree. Entries past their expiry stay
 * until `expire` or `remove` takes them: each `add` returning true gets exactly one removal.
 */
export const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

/*
 * The set's keys outlive their newest entry by KEEP_MS, long enough for any sweep to take (and
 * announce) its expired entries first, and then go: the entries of crashed instances in a room
 * nobody holds any more leave nothing behind for ever. Never shortened (instances may use
 * different TTLs).
 */
export const KEEP_MS = 10 * 60_000
export const KEEP = `local function keep (expiry, values, ttl)
  local life = tonumber(ttl) + ${KEEP_MS}
  if redis.call('PTTL', expiry) < life then
    redis.call('PEXPIRE', expiry, life)
    redis.call('PEXPIRE', values, life)
  end
end
`

/*
 * The set's version, in the HASH under the empty field (no member is empty). A change makes it
 * one more, or the Redis clock in microseconds when that is larger: so it still grows after the
 * keys expired and came back (they go KEEP_MS after the newest entry, and no set changes a million
 * times a second). Only an existing HASH stores it, so a bump never makes a key without a TTL.
 */
export const VERSION = `local function version (values)
  return tonumber(redis.call('HGET', values, '') or '0')
end
local function bump (values)
  local clock = redis.call('TIME')
  local v = math.max(version(values) + 1, tonumber(clock[1]) * 1000000 + tonumber(clock[2]))
  if redis.call('EXISTS', values) == 1 then redis.call('HSET', values, '', string.format('%d', v)) end
  return v
end
`

/** Appends [member, value, ...] of the live entries of KEYS[1], KEYS[2] to `out` (needs NOW). */
const LIVE = `local function live (out)
  local members = redis.call('ZRANGE', KEYS[1], '(' .. now, '+inf', 'BYSCORE')
  for first = 1, #members, 500 do
    local last = math.min(first + 499, #members)
    local values = redis.call('HMGET', KEYS[2], unpack(members, first, last))
    for i = first, last do
      out[#out + 1] = members[i]
      out[#out + 1] = values[i - first + 1] or ''
    end
  end
  return out
end
`

/** KEYS: expiry, values. Returns [member, value, ...] for entries whose expiry is in the future. */
export const members = defineScript(`${NOW}${LIVE}
return live({})
`)

/** KEYS: expiry, values. Returns [version, member, value, ...]. */
export const view = defineScript(`${NOW}${VERSION}${LIVE}
return live({ version(KEYS[2]) })
`)

/** KEYS: expiry, values. ARGV: member, value, ttl. Returns [added, version, member, value, ...]. */
export const enter = defineScript(`${NOW}${KEEP}${VERSION}${LIVE}
local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
keep(KEYS[1], KEYS[2], ARGV[3])
local v = added == 1 and bump(KEYS[2]) or version(KEYS[2])
return live({ added, v })
`)

/** KEYS: expiry, values. ARGV: member, prefix. Returns [removed, others (0/1), version]. */
export const exit = defineScript(`${NOW}${VERSION}
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
local v = removed == 1 and bump(KEYS[2]) or version(KEYS[2])
local others = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], '(' .. now, '+inf', 'BYSCORE')) do
  if string.sub(member, 1, #ARGV[2]) == ARGV[2] then
    others = 1
    break
  end
end
return { removed, others, v }
`)
