import type { Cluster, Redis } from 'ioredis'
import type { LogEntry, LogInfo } from '../types.js'
import { defineScript } from './script.js'
import { windowsLua } from './windows.js'

/**
 * Append in one atomic step. KEYS: stream, epoch, the log's current and previous idempotency
 * windows (windows.ts), the key's string key as appends stored it before windows, the sequence
 * counter, the entry-states map, the stamp key, the guard's map (the stream where one is unused).
 * ARGV: data, maxLen, epoch candidate, idempotency ttl (0: none), publish (0: no, 1: PUBLISH, 2:
 * SPUBLISH), channel, before, after, create flag, the idempotency key's digest, sequence flag,
 * entry-states flag, stamp ttl (0: none); then, for a guarded change only (a plain append passes
 * no more, so that the hot path parses no more): guard field, expect flag (1: a value, 0: absent),
 * expected value, value flag (1: set, 0: delete), value, then the ids to remove. Returns {id,
 * epoch, code, seq} (code 0: stored, 1: duplicate, 2: the guard failed), or nil without the create
 * flag when the log has no epoch. A window's field is the key's digest, its value `<id>/<ttl>`: the
 * entry id carries the time of the first append, so the deadline is the id's milliseconds plus the
 * ttl. On Redis Cluster every key and the channel share one hash tag (names.ts), so this stays one
 * step on the shard that owns the room, and SPUBLISH reaches only the instances subscribed there
 * instead of crossing the cluster bus to every node.
 */
export const appendScript = defineScript(windowsLua + `
local function splice(text, n)
  local at = string.find(text, '\\0', 1, true)
  if not at then return text end
  return string.sub(text, 1, at - 1) .. n .. string.sub(text, at + 1)
end
local epoch
local fresh = false
if ARGV[9] == '1' then
  epoch = redis.call('SET', KEYS[2], ARGV[3], 'NX', 'GET')
  if not epoch then
    epoch = ARGV[3]
    fresh = true
  end
else
  epoch = redis.call('GET', KEYS[2])
  if not epoch then return false end
end
local keepMs = tonumber(ARGV[4])
local now = 0
local open = false
if keepMs > 0 then
  local legacy = redis.call('GET', KEYS[5])
  if legacy then return {legacy, epoch, 1, 0} end
  now = nowMs()
  open = rotate(KEYS[3], KEYS[4], now, keepMs)
  for window = 3, 4 do
    local seen = redis.call('HGET', KEYS[window], ARGV[10])
    if seen then
      local id, at, ttl = string.match(seen, '^((%d+)%-%d+)/(%d+)$')
      if tonumber(at) + tonumber(ttl) > now then return {id, epoch, 1, 0} end
    end
  end
end
local guarded = #ARGV > 13
if guarded then
  local current = redis.call('HGET', KEYS[9], ARGV[14])
  if ARGV[15] == '1' then
    if current ~= ARGV[16] then return {'', epoch, 2, 0} end
  elseif current then
    return {'', epoch, 2, 0}
  end
end
local data = ARGV[1]
local after = ARGV[8]
local seq = 0
if ARGV[11] == '1' then
  if fresh then redis.call('DEL', KEYS[6]) end
  seq = redis.call('INCR', KEYS[6])
  data = splice(data, seq)
  after = splice(after, seq)
end
-- Trimming does not update the stream's max-deleted-entry-id (only XDEL does): record the
-- newest entry this XADD trims with XSETID, so XINFO STREAM reports it.
local maxLen = tonumber(ARGV[2])
local excess = redis.call('XLEN', KEYS[1]) + 1 - maxLen
local dropped = false
if excess > 0 then
  local old = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', excess)
  dropped = old[#old][1]
  if ARGV[12] == '1' then
    for _, entry in ipairs(old) do
      redis.call('HDEL', KEYS[7], entry[1])
      local target = string.match(entry[2][2], '"target":"(%d+%-%d+)"')
      if target then redis.call('HDEL', KEYS[7], target) end
    end
  end
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', maxLen, '*', 'd', data)
if dropped then redis.call('XSETID', KEYS[1], id, 'MAXDELETEDID', dropped) end
if guarded then
  if ARGV[17] == '1' then redis.call('HSET', KEYS[9], ARGV[14], ARGV[18])
  else redis.call('HDEL', KEYS[9], ARGV[14]) end
end
if tonumber(ARGV[13]) > 0 then redis.call('SET', KEYS[8], id .. ' ' .. seq .. ' ' .. epoch, 'PX', ARGV[13]) end
if #ARGV > 18 then
  -- XDEL would report the erased entries as lost from the log (max-deleted-entry-id): they were
  -- replaced by this change, not trimmed, so the mark stays where trimming put it. XSETID ignores
  -- a mark of 0-0 (none): 0-1 stands for none then (readStreamInfo), as '*' never makes that id.
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  local mark = '0-1'
  for i = 1, #info, 2 do
    if info[i] == 'max-deleted-entry-id' and info[i + 1] ~= '0-0' then mark = info[i + 1] end
  end
  for i = 19, #ARGV do redis.call('XDEL', KEYS[1], ARGV[i]) end
  redis.call('XSETID', KEYS[1], id, 'MAXDELETEDID', mark)
end
if keepMs > 0 then put(KEYS[3], open, ARGV[10], id .. '/' .. ARGV[4], now, keepMs) end
if ARGV[5] == '1' then redis.call('PUBLISH', ARGV[6], ARGV[7] .. id .. after)
elseif ARGV[5] == '2' then redis.call('SPUBLISH', ARGV[6], ARGV[7] .. id .. after) end
return {id, epoch, 0, seq}
`)

/**
 * XRANGE after an id, returned only when the entries' data fits in a byte cap, else nil: Redis
 * stops at the entry that passes it, and nothing that could not be sent crosses the network.
 * KEYS: stream. ARGV: exclusive start (`(id`), most entries, byte cap.
 */
export const readWithinScript = defineScript(`
local out = {}
local left = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local bytes = 0
local from = ARGV[1]
while left > 0 do
  local want = math.min(left, 100)
  local batch = redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', want)
  for _, entry in ipairs(batch) do
    bytes = bytes + #entry[2][2]
    if bytes > cap then return false end
    out[#out + 1] = entry
  end
  if #batch < want then return out end
  left = left - want
  from = '(' .. batch[#batch][1]
end
return out
`)

/** The max-deleted-entry-id the append script leaves for "none" after an XDEL (XSETID ignores 0-0). */
const NOTHING_DELETED = '0-1'

type StreamEntry = [id: string, fields: string[]]

function toEntry ([id, fields]: StreamEntry): LogEntry {
  // Entries hold one field: [name, data].
  return { id, data: fields[1] ?? '' }
}

export function readEntries (reply: unknown): LogEntry[] {
  return (reply as StreamEntry[]).map(toEntry)
}

/** Reads a map reply: a flat [field, value, ...] list ("legacy" reply mapping) or an object ("resp3"). */
function fieldReader (reply: unknown): (name: string) => unknown {
  if (!Array.isArray(reply)) return (name) => (reply as Record<string, unknown>)[name]
  return (name) => {
    const at = reply.indexOf(name)
    return at === -1 ? undefined : reply[at + 1]
  }
}

/** XINFO STREAM's extent of the log; an absent stream is an empty log. */
export async function readStreamInfo (client: Redis | Cluster, key: string): Promise<Omit<LogInfo, 'epoch' | 'seq'>> {
  let reply: unknown
  try {
    reply = await client.xinfo('STREAM', key)
  } catch (err) {
    if (err instanceof Error && /no such key/i.test(err.message)) {
      return { length: 0, firstId: null, lastId: null, maxDeletedId: null }
    }
    throw err
  }
  const field = fieldReader(reply)
  const first = field('first-entry') as StreamEntry | null
  const last = field('last-entry') as StreamEntry | null
  const maxDeleted = field('max-deleted-entry-id') as string | undefined
  return {
    length: Number(field('length')),
    firstId: first?.[0] ?? null,
    lastId: last?.[0] ?? null,
    maxDeletedId: maxDeleted === undefined || maxDeleted === '0-0' || maxDeleted === NOTHING_DELETED ? null : maxDeleted
  }
}
