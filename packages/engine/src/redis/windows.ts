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
export const windowsLua = `
local function nowMs()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local function ms(number) return string.format('%.0f', number) end
local function rotate(current, previous, now, ttl)
  if redis.call('EXISTS', previous) == 1 then return end
  local started = redis.call('HGET', current, '')
  if started and now - tonumber(started) >= ttl then redis.call('RENAME', current, previous) end
end
-- GT leaves a later expiry (a longer-lived item's) as it is; a hash made here has none yet.
local function put(current, field, value, now, ttl)
  local made = redis.call('HSETNX', current, '', ms(now)) == 1
  redis.call('HSET', current, field, value)
  if made then redis.call('PEXPIRE', current, ttl) else redis.call('PEXPIRE', current, ttl, 'GT') end
end
`
