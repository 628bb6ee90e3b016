/**
 * Lua shared by the scripts that keep short-lived per-item state (idempotency keys, claims) in two
 * hashes per owner instead of one key per item: a hash field costs tens of bytes where a key with
 * a TTL costs hundreds, and an owner's items stay in its slot.
 *
 * Each field's value carries its own deadline, checked against Redis's clock (TIME), so an item
 * lives exactly its TTL as a key would. Writes go to `current`, whose TTL is raised to cover its
 * newest item; a hash therefore expires when its last item does. When `previous` has expired
 * (every item in it is dead), the next write renames `current` to `previous` and starts a new
 * `current`: each hash takes writes for about one TTL and lives about one more, so an owner holds
 * at most about two TTLs of items, however long it stays busy. No clock of the callers and no
 * window number is involved, so instances with skewed clocks agree, and a change of TTL between
 * calls keeps each item's own deadline.
 */
export const windowsLua = `
local function nowMs()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local function rotate(current, previous)
  if redis.call('EXISTS', previous) == 0 and redis.call('EXISTS', current) == 1 then
    redis.call('RENAME', current, previous)
  end
end
-- After a write to current: it lives at least as long as the item just written.
local function cover(current, ttl)
  if redis.call('PTTL', current) < ttl then redis.call('PEXPIRE', current, ttl) end
end
local function ms(number) return string.format('%.0f', number) end
`
