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
 * times a second). Each change is also pushed on the set's LIST of recent changes (as many as
 * the set has entries and LOG_SLACK more, at most LOG_LENGTH; newest first, each `<version>\n+<member>\n<value>` or `<version>\n-<member>`), from which a
 * reader that knows an earlier version reads what changed since (DELTA); a set of one entry keeps
 * no LIST (reading it whole costs as little), and an empty set leaves no key. Only a HASH with
 * entries stores them, so a change never makes a key without a TTL; the LIST lives as long as the HASH.
 * `changes` lists member, value (false: removed), ...
 */
export const LOG_LENGTH = 256
export const LOG_SLACK = 8
export const VERSION = `local function version (values)
  return tonumber(redis.call('HGET', values, '') or '0')
end
local function bump (values, log, changes)
  local clock = redis.call('TIME')
  local v = math.max(version(values) + 1, tonumber(clock[1]) * 1000000 + tonumber(clock[2]))
  local entries = redis.call('HLEN', values) - redis.call('HEXISTS', values, '')
  if entries == 0 then
    -- An empty set goes whole: its next version comes from the clock, still larger.
    redis.call('DEL', values, log)
    return v
  end
  local text = string.format('%d', v)
  redis.call('HSET', values, '', text)
  if entries == 1 then
    -- One entry: a reader reads the whole set, as cheaply as the changes; no list is kept for it.
    redis.call('DEL', log)
    return v
  end
  for i = 1, #changes, 2 do
    local value = changes[i + 1]
    redis.call('LPUSH', log, value and (text .. '\\n+' .. changes[i] .. '\\n' .. value) or (text .. '\\n-' .. changes[i]))
  end
  -- Changes past the set's size are never read: the whole set is shorter then.
  redis.call('LTRIM', log, 0, math.min(${LOG_LENGTH}, entries + ${LOG_SLACK}) - 1)
  local life = redis.call('PTTL', values)
  if life > 0 and redis.call('PTTL', log) < life then redis.call('PEXPIRE', log, life) end
  return v
end
`

/*
 * Adds or refreshes `member` (needs NOW, KEEP and VERSION). A refresh is a change too when it
 * brings back an entry past its expiry that no `expire` took (a reader of the whole set meanwhile
 * did not see it) or changes its value (readers hold the old one); a refresh with the same value
 * (the periodic keep-alive) changes nothing. Returns 1 when the member was new, the version of the
 * change (nil for none), and 1 when it brought the entry back from past its expiry (else 0).
 */
export const PUT = `local function put (expiry, values, log, member, value, ttl)
  local was = redis.call('ZSCORE', expiry, member)
  local revived = (was and tonumber(was) <= now) and 1 or 0
  local changed = not was or revived == 1 or redis.call('HGET', values, member) ~= value
  local added = redis.call('ZADD', expiry, now + tonumber(ttl), member)
  redis.call('HSET', values, member, value)
  keep(expiry, values, ttl)
  if changed then return added, bump(values, log, { member, value }), revived end
  return added, nil, revived
end
`

/*
 * The changes after version `from`, oldest first, when the LIST still holds them all; nil when it
 * does not (or `from` is of keys that expired since): then the whole set is read.
 */
const DELTA = `local function delta (values, log, from)
  local current = version(values)
  if from <= 0 or from > current then return nil end
  local out = {}
  if from == current then return out end
  local lines = redis.call('LRANGE', log, 0, -1)
  for i = 1, #lines do
    if tonumber(string.match(lines[i], '^%d+')) <= from then
      for j = i - 1, 1, -1 do out[#out + 1] = lines[j] end
      return out
    end
  end
  return nil
end
`

/** Appends [member, value, ...] of the live entries of KEYS[1], KEYS[2] to `out` (needs NOW). KEYS[3] is the set's LIST of changes. */
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

/** KEYS: expiry, values, log. Returns [member, value, ...] for entries whose expiry is in the future. */
export const members = defineScript(`${NOW}${LIVE}
return live({})
`)

/** KEYS: expiry, values, log. Returns [version, member, value, ...]. */
export const view = defineScript(`${NOW}${VERSION}${LIVE}
return live({ version(KEYS[2]) })
`)

/**
 * KEYS: expiry, values, log. ARGV: member, value, ttl, a version the caller knows (0: none).
 * Returns [added, version, 1, change, ...] with the changes since the known version (oldest
 * first), or [added, version, 0, member, value, ...] with the live entries.
 */
export const enter = defineScript(`${NOW}${KEEP}${VERSION}${PUT}${DELTA}${LIVE}
local added, changed = put(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3])
local v = changed or version(KEYS[2])
local changes = delta(KEYS[2], KEYS[3], tonumber(ARGV[4]))
if changes == nil then return live({ added, v, 0 }) end
local out = { added, v, 1 }
for _, line in ipairs(changes) do out[#out + 1] = line end
return out
`)

/** KEYS: expiry, values, log. ARGV: member, prefix. Returns [removed, others (0/1), version]. */
export const exit = defineScript(`${NOW}${VERSION}
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
local v = removed == 1 and bump(KEYS[2], KEYS[3], { ARGV[1], false }) or version(KEYS[2])
local others = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], '(' .. now, '+inf', 'BYSCORE')) do
  if string.sub(member, 1, #ARGV[2]) == ARGV[2] then
    others = 1
    break
  end
end
return { removed, others, v }
`)
