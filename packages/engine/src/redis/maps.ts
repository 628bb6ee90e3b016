import type { Cluster, Redis } from 'ioredis'
import { mapChange } from '../arguments.js'
import type { Maps, MapWriteResult } from '../types.js'
import type { RedisNames } from './names.js'
import { defineScript } from './script.js'

/**
 * A guarded change to one hash in one atomic step. KEYS: the hash. ARGV: the number of expected
 * fields, then (field, present 0|1, value) each; the number of fields to set, then (field, value)
 * each; the number to delete, then the fields; the most fields the hash may have after (0: any);
 * the count field ('' for none), what to add to it and its most ('' for none).
 * Returns 'ok', 'conflict' (an expected value differs) or 'full'.
 */
const writeScript = defineScript(`
local i = 1
local expected = tonumber(ARGV[i]); i = i + 1
for _ = 1, expected do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  if ARGV[i + 1] == '0' then
    if current then return 'conflict' end
  elseif current ~= ARGV[i + 2] then
    return 'conflict'
  end
  i = i + 3
end
local sets = tonumber(ARGV[i]); i = i + 1
local firstSet = i; i = i + 2 * sets
local deletes = tonumber(ARGV[i]); i = i + 1
local firstDelete = i; i = i + deletes
local maxFields = tonumber(ARGV[i])
local countField, countBy, countMax = ARGV[i + 1], tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
local counted = nil
if countField ~= '' then
  counted = tonumber(redis.call('HGET', KEYS[1], countField) or '0') + countBy
  if counted < 0 or (countMax and counted > countMax) then return 'full' end
end
if maxFields > 0 then
  local size = redis.call('HLEN', KEYS[1])
  for j = 0, sets - 1 do size = size + 1 - redis.call('HEXISTS', KEYS[1], ARGV[firstSet + 2 * j]) end
  for j = 0, deletes - 1 do size = size - redis.call('HEXISTS', KEYS[1], ARGV[firstDelete + j]) end
  if counted then size = size + 1 - redis.call('HEXISTS', KEYS[1], countField) end
  if size > maxFields then return 'full' end
end
for j = 0, deletes - 1 do redis.call('HDEL', KEYS[1], ARGV[firstDelete + j]) end
for j = 0, sets - 1 do redis.call('HSET', KEYS[1], ARGV[firstSet + 2 * j], ARGV[firstSet + 2 * j + 1]) end
if counted then redis.call('HSET', KEYS[1], countField, counted) end
return 'ok'
`)

export function createRedisMaps (client: Redis | Cluster, names: RedisNames): Maps {
  return {
    async get (map, field) {
      return await client.hget(names.map(map), field)
    },
    async getMany (map, fields) {
      if (fields.length === 0) return []
      return await client.hmget(names.map(map), ...fields)
    },
    async all (map) {
      return await client.hgetall(names.map(map))
    },
    async count (map) {
      return await client.hlen(names.map(map))
    },
    async write (map, input) {
      const change = mapChange(input)
      const expect = Object.entries(change.expect)
      const set = Object.entries(change.set)
      const args: Array<string | number> = [
        expect.length, ...expect.flatMap(([field, value]) => value === null ? [field, 0, ''] : [field, 1, value]),
        set.length, ...set.flat(),
        change.delete.length, ...change.delete,
        change.maxFields ?? 0,
        change.count?.field ?? '', change.count?.by ?? 0, change.count?.max ?? ''
      ]
      return await writeScript.run(client, [names.map(map)], args) as MapWriteResult
    },
    async drop (map) {
      return await client.del(names.map(map)) > 0
    }
  }
}
