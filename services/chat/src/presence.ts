import type { FastifyBaseLogger } from 'fastify'
import { type Engine, type PresenceEntry, engineDeadline } from '@webchat/engine'
import type { Member } from '@webchat/shared'
import type { Config } from './config.js'
import type { Rooms } from './delivery/rooms.js'
import { names } from './names.js'
import { createReplicas, listEntries, parsedEntries } from './presence-replica.js'

/**
 * Who is in which room, across instances. Each instance keeps one entry per user and room
 * (however many tabs), refreshed periodically with a TTL; every instance expires stale entries of
 * crashed peers. A join is announced by the user's earliest entry, a leave when no entry is left.
 * Each announcement carries the version of the change (engine PresenceView), so that a socket is
 * not told what the members in its `joined` already showed (delivery/presence-relay.ts).
 */
export interface Presence {
  /**
   * Counts one more local socket of `user` in `room`: the members and the version they are of;
   * `announce` when this socket's entry is the one to publish the join (`announceJoin`, at
   * `announceAt`).
   */
  enter (room: string, user: Member): Promise<PresenceList & { announce: boolean, announceAt: number }>
  /** Publishes the join of `user`, at the version `enter` gave. */
  announceJoin (room: string, user: Member, version: number): Promise<void>
  /** Counts one socket less; publishes a leave when the user has no entry left anywhere. */
  exit (room: string, user: Member): Promise<void>
  members (room: string): Promise<Member[]>
  /** The members and the version they are of. */
  view (room: string): Promise<PresenceList>
  /** Refreshes own entries and expires stale ones (runs every PRESENCE_INTERVAL_MS). */
  tick (): Promise<void>
  close (): void
}

export interface PresenceList { members: Member[], version: number }
interface LocalEntry { room: string, user: Member, count: number, at: number }

const uniqueMembers = (entries: PresenceEntry[]): Member[] => listEntries(parsedEntries(entries)).members

interface Deps { engine: Engine, config: Config, rooms: Rooms, log: FastifyBaseLogger }

export function createPresence ({ engine, config, rooms, log }: Deps): Presence {
  const local = new Map<string, LocalEntry>()
  const replicas = createReplicas()
  const keyOf = (room: string, userId: string): string => `${room}\n${userId}`
  const member = (userId: string): string => names.presenceMember(userId, config.instanceId)
  const deadline = <T>(promise: Promise<T>): Promise<T> => engineDeadline(promise, config.engineTimeoutMs)
  const valueOf = (entry: LocalEntry): string => JSON.stringify({ id: entry.user.id, name: entry.user.name, at: entry.at })

  /** Whether the user's earliest entry is this instance's. */
  const holdsFirst = (earliest: Map<string, { member: string }>, userId: string): boolean => earliest.get(userId)?.member === member(userId)
  /** Whether this instance announces the user's join: it holds their earliest entry, or none is listed. */
  const ownsJoin = (earliest: Map<string, { member: string }>, userId: string): boolean => !earliest.has(userId) || holdsFirst(earliest, userId)

  const announce = async (room: string, user: Member, event: 'join' | 'leave', version: number): Promise<void> => {
    await rooms.publishPresence(room, event, user, version)
  }

  /** The members (with `user`, who is in by now, whatever a slow write of theirs left in the list). */
  const withUser = (members: Member[], user: Member): Member[] => members.some((m) => m.id === user.id) ? members : [...members, { id: user.id, name: user.name }]

  let closed = false
  const timer = setInterval(() => { void presence.tick() }, config.presenceIntervalMs)
  timer.unref()

  const presence: Presence = {
    async enter (room, user) {
      const key = keyOf(room, user.id)
      const existing = local.get(key)
      if (existing !== undefined) {
        existing.count++
        const { members, version } = await presence.view(room)
        return { announce: false, members: withUser(members, user), version, announceAt: version }
      }
      const entry: LocalEntry = { room, user: { id: user.id, name: user.name }, count: 1, at: Date.now() }
      local.set(key, entry)
      replicas.hold(room, 1)
      try {
        const set = names.presenceSet(room)
        const result = await deadline(engine.presence.enter(set, member(user.id), valueOf(entry), config.presenceTtlMs, replicas.known(room)))
        const list = replicas.apply(room, result) ?? replicas.apply(room, { added: false, ...await deadline(engine.presence.view(set)) })!
        // The join's own version when its entry was new: sockets whose members were read before it are told.
        return { announce: ownsJoin(list.earliest, user.id), members: withUser(list.members, entry.user), version: list.version, announceAt: result.version }
      } catch (err) {
        if (--entry.count === 0 && local.get(key) === entry) {
          local.delete(key)
          replicas.hold(room, -1)
        }
        throw err
      }
    },

    async announceJoin (room, user, version) {
      await announce(room, user, 'join', version)
    },

    async exit (room, user) {
      const key = keyOf(room, user.id)
      const entry = local.get(key)
      if (entry === undefined || --entry.count > 0) return
      local.delete(key)
      replicas.hold(room, -1)
      if (closed) return
      const { others, version } = await deadline(engine.presence.exit(names.presenceSet(room), member(user.id), names.presenceOwner(user.id)))
      if (!others) await announce(room, entry.user, 'leave', version)
    },

    async members (room) {
      return (await presence.view(room)).members
    },

    async view (room) {
      const { entries, version } = await deadline(engine.presence.view(names.presenceSet(room)))
      return { members: uniqueMembers(entries), version }
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
        const refreshed = await engine.presence.addMany(entries.map((entry) => ({
          set: names.presenceSet(entry.room), member: member(entry.user.id), value: valueOf(entry), ttlMs: config.presenceTtlMs
        })))
        // An entry that was gone (an outage longer than the TTL: peers swept it and announced a
        // leave) or hidden (past its TTL, not swept yet: sockets that joined meanwhile were given
        // members without the user). Either is news to a socket whose members are older than the
        // refresh; a socket that had the user is told a join it already knew, which changes nothing.
        // One read per room, however many of its entries came back (after an outage, all of them).
        const back = new Map<string, LocalEntry[]>()
        entries.forEach((entry, i) => {
          if (refreshed[i]?.added !== true && refreshed[i]?.revived !== true) return
          const list = back.get(entry.room)
          if (list === undefined) back.set(entry.room, [entry])
          else list.push(entry)
        })
        await Promise.all([...back].map(async ([room, returned]) => {
          const { entries: now, version } = await engine.presence.view(names.presenceSet(room))
          const { earliest } = listEntries(parsedEntries(now))
          // Ours and still there: if the user's last socket left meanwhile, its leave is the news.
          await Promise.all(returned.filter((entry) => holdsFirst(earliest, entry.user.id)).map(async (entry) => { await announce(room, entry.user, 'join', version) }))
        }))
      }
      const sweep = async (): Promise<void> => {
        const sets = [...ownRooms]
        const expired = await engine.presence.expireMany(sets.map(names.presenceSet))
        await Promise.all(sets.map(async (room, i) => {
          const gone = expired[i] ?? []
          if (gone.length === 0) return
          // The view's version is at least the expiry's: a socket whose members did not show it yet is told.
          const { entries: now, version } = await engine.presence.view(names.presenceSet(room))
          const present = new Set(uniqueMembers(now).map((m) => m.id))
          for (const user of uniqueMembers(gone)) {
            if (!present.has(user.id)) await announce(room, user, 'leave', version)
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
