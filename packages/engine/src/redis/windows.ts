import { clockLua } from './clock.js'

/**
 * Lua shared by the scripts that keep short-lived per-item state (idempotency keys, claims) in two
 * hashes per owner instead of one key per item: a hash field costs tens of bytes where a key with
 * a TTL costs 130 to 250, and an owner's items stay in its slot.
 *
 * Each item's value carries its own deadline, checked against Redis's clock (TIME), so an item
 * lives exactly its TTL, as a key of its own would. Writes go to `current`, which records when it
 * started (field '', which no item uses) and whose TTL is raised to cover its newest item, so a
 * hash expires when its last item does. Once `current` has taken writes for a TTL and `previous`
 * has expired (every item in it is dead), the next write renames `current` to `previous` and
 * starts a new `current`: each hash takes writes for about one TTL and lives about one more, so a
 * busy owner holds 1.5 TTLs of items on average (2 at most), and a quiet one a single hash. A call's
 * TTL sets its own item's deadline and when the windows turn over, never what is dropped: dropping
 * `previous` only once it has expired keeps every live item whatever TTLs callers give. No
 * caller's clock is involved, so instances with skewed clocks agree.
 */
export const windowsLua = clockLua + `
-- Returns whether \`current\` is open (holds its start) afterwards: false when it is absent or was
-- just renamed, so that put() knows without asking again.
local function rotate(current, previous, now, ttl)
  local started = redis.call('HGET', current, '')
  if not started then return false end
  if now - tonumber(started) < ttl or redis.call('EXISTS', previous) == 1 then return true end
  redis.call('RENAME', current, previous)
  return false
end
-- GT leaves a later expiry (a longer-lived item's) as it is; a hash made here has none yet.
local function put(current, open, field, value, now, ttl)
  if open then
    redis.call('HSET', current, field, value)
    redis.call('PEXPIRE', current, ttl, 'GT')
  else
    redis.call('HSET', current, '', ms(now), field, value)
    redis.call('PEXPIRE', current, ttl)
  end
end
`
