import { randomBytes, randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { connectRedisEngine, type Engine } from '@webchat/engine'
import { pool, startRedis } from '@webchat/testkit'

// `npm run redis-state -w bench [entries]`: the Redis memory one send's idempotency key and one
// connection's used token id take, in the format before windows and claims (one string key each,
// written here with the very commands the engine used) and in the engine's current one, on a
// throwaway redis-server. A measurement, not a test: it prints Markdown tables.
//
// Two ways: a burst (every entry written within one ttl of 5 minutes: what one ttl of traffic
// costs), and a steady rate (ttl 4 s, the entries spread over 3 ttls: what is held while old
// entries expire and windows turn over, per entry still live at the end).

const entries = Number(process.argv[2] ?? 100_000)
const BURST_TTL_MS = 5 * 60_000
const STEADY_TTL_MS = 4000
const STEADY_TTLS = 3
const IN_FLIGHT = 256
const PREFIX = 'webchat:'

const id = (bytes: number): string => randomBytes(bytes).toString('base64url')

type Write = (engine: Engine, admin: Redis, owner: string, i: number, ttl: number) => Promise<unknown>

interface Case {
  family: string
  spread: string
  owners: number
  /** Writes entry `i` of `owner` (rooms, users or groups of users: `entries` / `owners` each). */
  write: Write
  /** Writes what `write` also writes but is not the state measured (the message itself). */
  base?: Write
}

const logName = (room: string): string => `room-log:${room}`

/** What the append script stored before windows: a string key per (log, key) holding the entry id. */
const legacyIdempotency: Write = async (_engine, admin, room, i, ttl) => {
  const log = logName(room)
  return await admin.set(`${PREFIX}log-idempotency:${log.length}:${log}:msg:${id(12)}:${randomUUID()}`, `${Date.now()}-${i % 3}`, 'PX', ttl)
}
const appendPlain: Write = async (engine, _admin, room) => await engine.logs.append(logName(room), 'x', { maxLen: 1_000_000 })
const appendIdempotent: Write = async (engine, _admin, room, _i, ttl) =>
  await engine.logs.append(logName(room), 'x', { maxLen: 1_000_000, idempotency: { key: `msg:${id(12)}:${randomUUID()}`, ttlMs: ttl } })
/** What chat stored before claims: `kv.setIfAbsent('jti:<jti>', '1', ttl)`. */
const legacyToken: Write = async (engine, _admin, _owner, _i, ttl) => await engine.kv.setIfAbsent(`jti:${id(16)}`, '1', ttl)
const claimToken: Write = async (engine, _admin, group, _i, ttl) => await engine.kv.claim(`used-tokens:${group}`, id(16), ttl)

const each = (owners: number): string => (entries / owners).toLocaleString('en', { maximumFractionDigits: 1 })
const cases: Case[] = []
for (const rooms of [entries, 1000, 100]) {
  const spread = `${rooms.toLocaleString('en')} rooms, ${each(rooms)} each`
  cases.push({ family: 'idempotency: a key each (before)', spread, owners: rooms, write: legacyIdempotency })
  cases.push({ family: 'idempotency: windows', spread, owners: rooms, write: appendIdempotent, base: appendPlain })
}
cases.push({ family: 'used token: a key each (before)', spread: 'any', owners: entries, write: legacyToken })
for (const [owners, what] of [[entries, 'users'], [entries / 10, 'users'], [4096, 'buckets of users'], [entries / 1000, 'buckets of users']] as const) {
  cases.push({ family: 'used token: claims', spread: `${owners.toLocaleString('en')} ${what}, ${each(owners)} each`, owners, write: claimToken })
}
/** The steady rate: the formats as chat uses them (sends in 1,000 rooms, tokens in 4,096 buckets). */
const steadyCases = cases.filter((c) => c.owners === 1000 || c.owners === 4096 || c.spread === 'any')

const redis = await startRedis()
if (!redis.owned) throw new Error('REDIS_URL is set: this measurement flushes its Redis, so it runs only on a redis-server of its own')
const admin = new Redis(redis.url)
const engine = await connectRedisEngine({ url: redis.url, prefix: PREFIX })

const usedMemory = async (): Promise<number> => Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1])

/**
 * Bytes and keys the writes add to an empty Redis: all at once (`spreadMs` 0), or entry `i` at
 * `i / entries` of `spreadMs`.
 */
async function fill (owners: string[], write: (owner: string, i: number) => Promise<unknown>, spreadMs = 0): Promise<{ bytes: number, keys: number }> {
  await admin.flushall()
  const before = await usedMemory()
  const start = Date.now()
  await pool(entries, IN_FLIGHT, async (i) => {
    const wait = start + i * spreadMs / entries - Date.now()
    if (wait > 0) await sleep(wait)
    await write(owners[i % owners.length]!, i)
  })
  return { bytes: await usedMemory() - before, keys: await admin.dbsize() }
}

/** The state `c` adds: its writes' bytes and keys less its base's. */
async function measure (c: Case, ttl: number, spreadMs: number): Promise<{ bytes: number, keys: number }> {
  const owners = Array.from({ length: c.owners }, () => id(9))
  const measured = await fill(owners, async (owner, i) => await c.write(engine, admin, owner, i, ttl), spreadMs)
  const base = c.base === undefined ? { bytes: 0, keys: 0 } : await fill(owners, async (owner, i) => await c.base!(engine, admin, owner, i, ttl), spreadMs)
  return { bytes: measured.bytes - base.bytes, keys: measured.keys - base.keys }
}

const burst: string[] = []
for (const c of cases) {
  const { bytes, keys } = await measure(c, BURST_TTL_MS, 0)
  burst.push(`| ${c.family} | ${c.spread} | ${keys.toLocaleString('en')} | ${(bytes / 2 ** 20).toFixed(1)} MiB | ${Math.round(bytes / entries)} |`)
  console.error(burst.at(-1))
}
const steady: string[] = []
const live = entries / STEADY_TTLS
for (const c of steadyCases) {
  const { bytes, keys } = await measure(c, STEADY_TTL_MS, STEADY_TTL_MS * STEADY_TTLS)
  steady.push(`| ${c.family} | ${c.spread} | ${keys.toLocaleString('en')} | ${(bytes / 2 ** 20).toFixed(1)} MiB | ${Math.round(bytes / live)} |`)
  console.error(steady.at(-1))
}

const version = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? 'unknown'
const header = '| state | spread over | keys it adds | memory | bytes per entry |\n|:--|:--|--:|--:|--:|'
console.log(`Redis ${version}; used_memory after the writes minus before (windows: appends with idempotency minus the same appends without).\n`)
console.log(`Burst: ${entries.toLocaleString('en')} entries within one ttl (${BURST_TTL_MS / 1000} s), bytes per entry written.\n\n${header}\n${burst.join('\n')}\n`)
console.log(`Steady: ${entries.toLocaleString('en')} entries at an even rate over ${STEADY_TTLS} ttls of ${STEADY_TTL_MS / 1000} s, bytes per entry still live at the end (${live.toLocaleString('en', { maximumFractionDigits: 0 })}).\n\n${header}\n${steady.join('\n')}`)
await engine.close()
admin.disconnect()
await redis.close()
