import type { FastifyBaseLogger } from 'fastify'
import { type Engine, type PresenceEntry, engineDeadline } from '@webchat/engine'
import type { Member } from '@webchat/shared'
import type { Config } from './config.js'
import type { Rooms } from './delivery/rooms.js'
import { names } from './names.js'

/**
 * Who is in which room, across instances. Each instance keeps one entry per user and room
 * (however many tabs), refreshed periodically with a TTL; every instance expires stale entries of
 * crashed peers. A join is announced by the user's earliest entry, a leave when no entry is left.
 */
export interface Presence {
  /** Counts one more local socket of `user` in `room`; `announce` says whether to publish a join. */
  enter (room: string, user: Member): Promise<{ announce: boolean, members: Member[] }>
  /** Counts one socket less; publishes a leave when the user has no entry left anywhere. */
  exit (room: string, user: Member): Promise<void>
  members (room: string): Promise<Member[]>
  /** Refreshes own entries and expires stale ones (runs every PRESENCE_INTERVAL_MS). */
  tick (): Promise<void>
  close (): void
}

interface LocalEntry { room: string, user: Member, count: number, at: number }
interface EntryValue { id: string, name: string, at: number }

function parse (entry: PresenceEntry): EntryValue | null {
  try {
    const value = JSON.parse(entry.value) as Partial<EntryValue>
    return typeof value.id === 'string' && typeof value.name === 'string' && typeof value.at === 'number' ? value as EntryValue : null
  } catch {
    return null
  }
}

function uniqueMembers (entries: PresenceEntry[]): Member[] {
  const byId = new Map<string, Member>()
  for (const entry of entries) {
    const value = parse(entry)
    if (value !== null && !byId.has(value.id)) byId.set(value.id, { id: value.id, name: value.name })
  }
  return [...byId.values()]
}

interface Deps { engine: Engine, config: Config, rooms: Rooms, log: FastifyBaseLogger }

export function createPresence ({ engine, config, rooms, log }: Deps): Presence {
  const local = new Map<string, LocalEntry>()
  const keyOf = (room: string, userId: string): string => `${room}\n${userId}`
  const member = (userId: string): string => names.presenceMember(userId, config.instanceId)
  const deadline = <T>(promise: Promise<T>): Promise<T> => engineDeadline(promise, config.engineTimeoutMs)
  const valueOf = (entry: LocalEntry): string => JSON.stringify({ id: entry.user.id, name: entry.user.name, at: entry.at })

  /** Whether this instance holds the user's earliest entry: exactly one instance announces. */
  const ownsJoin = (entries: PresenceEntry[], userId: string): boolean => {
    let first: { member: string, at: number } | null = null
    for (const entry of entries) {
      const value = parse(entry)
      if (value === null || value.id !== userId) continue
      if (first === null || value.at < first.at || (value.at === first.at && entry.member < first.member)) first = { member: entry.member, at: value.at }
    }
    return first === null || first.member === member(userId)
  }

  const announce = async (room: string, user: Member, event: 'join' | 'leave'): Promise<void> => {
    await rooms.publish({ type: 'presence', room, event, user: { id: user.id, name: user.name } })
  }

  const list = async (room: string): Promise<PresenceEntry[]> => await deadline(engine.presence.members(names.presenceSet(room)))

  let closed = false
  const timer = setInterval(() => { void presence.tick() }, config.presenceIntervalMs)
  timer.unref()

  const presence: Presence = {
    async enter (room, user) {
      const key = keyOf(room, user.id)
      const existing = local.get(key)
      if (existing !== undefined) {
        existing.count++
        const members = uniqueMembers(await list(room))
        return { announce: false, members: members.some((m) => m.id === user.id) ? members : [...members, user] }
      }
      const entry: LocalEntry = { room, user: { id: user.id, name: user.name }, count: 1, at: Date.now() }
      local.set(key, entry)
      try {
        await deadline(engine.presence.add(names.presenceSet(room), member(user.id), valueOf(entry), config.presenceTtlMs))
        const entries = await list(room)
        const members = uniqueMembers(entries)
        return { announce: ownsJoin(entries, user.id), members: members.some((m) => m.id === user.id) ? members : [...members, entry.user] }
      } catch (err) {
        if (--entry.count === 0 && local.get(key) === entry) local.delete(key)
        throw err
      }
    },

    async exit (room, user) {
      const key = keyOf(room, user.id)
      const entry = local.get(key)
      if (entry === undefined || --entry.count > 0) return
      local.delete(key)
      if (closed) return
      await deadline(engine.presence.remove(names.presenceSet(room), member(user.id)))
      if (!uniqueMembers(await list(room)).some((m) => m.id === user.id)) await announce(room, entry.user, 'leave')
    },

    async members (room) {
      return uniqueMembers(await list(room))
    },

    async tick () {
      if (closed) return
      // Two bulk calls for the whole instance, however many rooms and users: a refresh of every own
      // entry, then a sweep of every room held here (one script per 250 rooms on one Redis; on a
      // cluster one per room, each room's set in its own slot, sent together).
      const entries = [...local.values()]
      const ownRooms = new Set<string>(entries.map((entry) => entry.room))
      for (const room of rooms.all()) ownRooms.add(room.name)
      const refresh = async (): Promise<void> => {
        const added = await engine.presence.addMany(entries.map((entry) => ({
          set: names.presenceSet(entry.room), member: member(entry.user.id), value: valueOf(entry), ttlMs: config.presenceTtlMs
        })))
        // An entry that had expired (an outage longer than the TTL): peers announced a leave.
        await Promise.all(entries.filter((_, i) => added[i] === true).map(async (entry) => {
          if (ownsJoin(await engine.presence.members(names.presenceSet(entry.room)), entry.user.id)) await announce(entry.room, entry.user, 'join')
        }))
      }
      const sweep = async (): Promise<void> => {
        const sets = [...ownRooms]
        const expired = await engine.presence.expireMany(sets.map(names.presenceSet))
        await Promise.all(sets.map(async (room, i) => {
          const gone = expired[i] ?? []
          if (gone.length === 0) return
          const present = new Set(uniqueMembers(await engine.presence.members(names.presenceSet(room))).map((m) => m.id))
          for (const user of uniqueMembers(gone)) {
            if (!present.has(user.id)) await announce(room, user, 'leave')
          }
        }))
      }
      // In turn: own entries are refreshed before the sweep could take them.
      const results = [await refresh().then(() => null, (err: unknown) => err), await sweep().then(() => null, (err: unknown) => err)]
      const failed = results.find((err) => err !== null)
      if (failed !== undefined) log.warn({ err: failed }, 'presence sweep failed')
    },

    close () {
      closed = true
      clearInterval(timer)
    }
  }
  return presence
}
