import { clockLua } from './clock.js'
import { defineScript } from './script.js'

/**
 * The Lua of `Queues` on Redis. A queue is a stream (names.ts `queue`) whose entries each hold one
 * field, `d` (the data), read through one consumer group, `workers`; its dead letters are a second
 * stream (`queueDead`) in the same slot, with fields `d`, `n` (attempts), `r` (reason) and `t`
 * (when, by Redis's clock). An acknowledged or buried entry is deleted from the stream, so the
 * stream's length is what the queue holds. The group is made by the first take, from id 0, so
 * entries pushed before it are handed out. A consumer stays in the group only while it holds
 * entries: processes that stopped leave no name behind. Needs Redis 6.2 or later (XPENDING IDLE).
 */
const queueLua = clockLua + `
local group = 'workers'
-- The group's record of \`id\` ({id, consumer, idle ms, deliveries}), or nil when it is not handed
-- out (or there is no group yet).
local function heldRecord(stream, id)
  local reply = redis.pcall('XPENDING', stream, group, id, id, 1)
  if reply.err then return nil end
  return reply[1]
end
local function forgetIfIdle(stream, consumer)
  if #redis.call('XPENDING', stream, group, '-', '+', 1, consumer) == 0 then
    redis.call('XGROUP', 'DELCONSUMER', stream, group, consumer)
  end
end
-- Takes \`id\` out of the group's records, and its holder out of the group if it holds no more.
local function release(stream, id, record)
  redis.call('XACK', stream, group, id)
  forgetIfIdle(stream, record[2])
end
`

/** KEYS: the queue. ARGV: data, maxLen. Returns the new id, or nil when the queue is full. */
export const pushScript = defineScript(`
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[2]) then return false end
return redis.call('XADD', KEYS[1], '*', 'd', ARGV[1])
`)

/**
 * KEYS: the queue. ARGV: consumer, count, how many of the oldest pending entries to look at, the
 * smallest delay, then the delays by failed attempt (the last repeats). Returns {id, data,
 * attempt} each: first the entries held past their delay (claimed, oldest first), then new ones.
 * Idle times are Redis's own, so no instance's clock matters. A pending entry whose data was
 * deleted meanwhile is acknowledged and skipped (Redis 7 drops it at XCLAIM; older ones claim it
 * without data).
 */
export const takeScript = defineScript(queueLua + `
local stream, consumer, count = KEYS[1], ARGV[1], tonumber(ARGV[2])
local delays = #ARGV - 4
-- Entries held past the smallest delay, oldest first; each is due once held past its own.
local pending = redis.pcall('XPENDING', stream, group, 'IDLE', ARGV[4], '-', '+', ARGV[3])
if pending.err then
  if not string.find(pending.err, 'NOGROUP', 1, true) then return redis.error_reply(pending.err) end
  -- No stream, nothing to take: a take of a queue never pushed to writes nothing.
  if redis.call('EXISTS', stream) == 0 then return {} end
  redis.call('XGROUP', 'CREATE', stream, group, '0')
  pending = {}
end
local out = {}
local owners = { [consumer] = true }
for _, record in ipairs(pending) do
  if #out == count then break end
  local id, idle, deliveries = record[1], record[3], record[4]
  local wait = tonumber(ARGV[4 + math.min(deliveries, delays)])
  if idle >= wait then
    owners[record[2]] = true
    -- Due, as XPENDING told in this same step: claimed whatever its idle time, so that nothing
    -- comes back but for an entry that is gone.
    local entry = redis.call('XCLAIM', stream, group, consumer, 0, id)[1]
    if entry then
      out[#out + 1] = {id, entry[2][2], deliveries + 1}
    else
      redis.call('XACK', stream, group, id)
    end
  end
end
if #out < count then
  local read = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', count - #out, 'STREAMS', stream, '>')
  if read then
    for _, entry in ipairs(read[1][2]) do out[#out + 1] = {entry[1], entry[2][2], 1} end
  end
end
for owner in pairs(owners) do forgetIfIdle(stream, owner) end
return out
`)

/** KEYS: the queue. ARGV: id. Returns 1 when the queue held the entry, else 0. */
export const ackScript = defineScript(queueLua + `
local record = heldRecord(KEYS[1], ARGV[1])
if record then release(KEYS[1], ARGV[1], record) end
return redis.call('XDEL', KEYS[1], ARGV[1])
`)

/** KEYS: the queue, its dead letters. ARGV: id, reason, maxDead. Returns 1 when the queue held the entry, else 0. */
export const buryScript = defineScript(queueLua + `
local record = heldRecord(KEYS[1], ARGV[1])
if record then release(KEYS[1], ARGV[1], record) end
local entry = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])[1]
if not entry then return 0 end
local attempts = record and record[4] or 0
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[3], '*', 'd', entry[2][2], 'n', attempts, 'r', ARGV[2], 't', ms(nowMs()))
return redis.call('XDEL', KEYS[1], ARGV[1])
`)

/**
 * KEYS: the queue, its dead letters. ARGV: maxLen, then the ids to move (none: every dead letter,
 * oldest first, read 100 at a time). Returns how many moved: it stops once the queue holds maxLen.
 */
export const replayScript = defineScript(`
local maxLen = tonumber(ARGV[1])
local moved = 0
-- False, moving nothing, once the queue is full.
local function move(letter)
  if redis.call('XLEN', KEYS[1]) >= maxLen then return false end
  redis.call('XADD', KEYS[1], '*', 'd', letter[2][2])
  redis.call('XDEL', KEYS[2], letter[1])
  moved = moved + 1
  return true
end
if #ARGV > 1 then
  for i = 2, #ARGV do
    local letter = redis.call('XRANGE', KEYS[2], ARGV[i], ARGV[i])[1]
    if letter and not move(letter) then break end
  end
  return moved
end
while true do
  local batch = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 100)
  if #batch == 0 then return moved end
  for _, letter in ipairs(batch) do
    if not move(letter) then return moved end
  end
end
`)

/** KEYS: the queue, its dead letters. Returns {queued, pending, dead} in one step. */
export const depthScript = defineScript(queueLua + `
local summary = redis.pcall('XPENDING', KEYS[1], group)
local pending = 0
if not summary.err then pending = summary[1] end
return {redis.call('XLEN', KEYS[1]), pending, redis.call('XLEN', KEYS[2])}
`)
