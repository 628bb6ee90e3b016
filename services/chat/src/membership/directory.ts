import { type Engine, engineDeadline, type MapChange } from '@webchat/engine'
import type { Config } from '../config.js'
import { errors } from '../errors.js'
import { names } from '../names.js'
import { type BanRecord, FIELD, type MemberRecord, parseBan, parseMember, parseRoom, type RoomRecord } from './records.js'

/** What a room's map says about one user: the room, their membership and their ban. */
export interface Standing {
  room: RoomRecord | null
  member: MemberRecord | null
  ban: BanRecord | null
}

export interface Roster {
  room: RoomRecord
  members: Map<string, MemberRecord>
  bans: Map<string, BanRecord>
}

/** The fields a plan read, by name (null: absent). */
export type Read = Record<string, string | null>

/** What a plan decides: a change to make (guarded by what it read), or nothing to do. */
export type Plan<T> = { change: MapChange, result: T } | { result: T }

/** Concurrent changes to one room are rare (a member's record, the owner): a few retries settle them. */
const ATTEMPTS = 8

/**
 * Rooms as stored: one engine map per room (records.ts), read and changed in single atomic steps.
 * `mutate` is the one way to change a room: read some fields, decide, write guarded by exactly
 * what was read, and start over if another instance changed them meanwhile; so invariants across
 * fields (a room always has its owner, a banned user is no member, the member count) hold
 * whatever runs at once on any instance.
 */
export interface Directory {
  room (room: string): Promise<RoomRecord | null>
  standing (room: string, userId: string): Promise<Standing>
  /** The member records of `userIds` (null: not a member), in one read. */
  members (room: string, userIds: string[]): Promise<Array<MemberRecord | null>>
  /** The room and every member and ban (bounded by MAX_ROOM_MEMBERS); null when there is no room. */
  roster (room: string): Promise<Roster | null>
  mutate<T> (room: string, fields: string[], plan: (read: Read) => Plan<T>): Promise<T>
  /** The user's rooms (their index: room id → kind), bounded by MAX_ROOMS_PER_USER. */
  rooms (userId: string): Promise<Map<string, string>>
  /** Adds a room to the user's index; refused with too_many_rooms past the bound. */
  index (userId: string, room: string, kind: string): Promise<void>
  unindex (userId: string, room: string): Promise<void>
}

export function createDirectory ({ engine, config }: { engine: Engine, config: Config }): Directory {
  const deadline = <T>(promise: Promise<T>): Promise<T> => engineDeadline(promise, config.engineTimeoutMs)
  const map = (room: string): string => names.roomRecord(room)
  // Members, bans and the two record fields: bans are bounded like members.
  const maxFields = 2 * config.maxRoomMembers + 2

  return {
    async room (room) {
      return parseRoom(await deadline(engine.maps.get(map(room), FIELD.meta)))
    },

    async standing (room, userId) {
      const [meta, member, ban] = await deadline(engine.maps.getMany(map(room), [FIELD.meta, FIELD.member(userId), FIELD.ban(userId)]))
      return { room: parseRoom(meta), member: parseMember(member), ban: parseBan(ban) }
    },

    async members (room, userIds) {
      if (userIds.length === 0) return []
      return (await deadline(engine.maps.getMany(map(room), userIds.map(FIELD.member)))).map(parseMember)
    },

    async roster (room) {
      const fields = await deadline(engine.maps.all(map(room)))
      const record = parseRoom(fields[FIELD.meta])
      if (record === null) return null
      const members = new Map<string, MemberRecord>()
      const bans = new Map<string, BanRecord>()
      for (const [field, value] of Object.entries(fields)) {
        const userId = field.slice(2)
        if (field.startsWith('m:')) {
          const member = parseMember(value)
          if (member !== null) members.set(userId, member)
        } else if (field.startsWith('b:')) {
          const ban = parseBan(value)
          if (ban !== null) bans.set(userId, ban)
        }
      }
      return { room: record, members, bans }
    },

    async mutate (room, fields, plan) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const values = await deadline(engine.maps.getMany(map(room), fields))
        const read: Read = Object.fromEntries(fields.map((field, i) => [field, values[i] ?? null]))
        const decided = plan(read)
        if (!('change' in decided)) return decided.result
        // The only count kept is the members': bounded by MAX_ROOM_MEMBERS whoever adds them.
        const count = decided.change.count === undefined ? undefined : { max: config.maxRoomMembers, ...decided.change.count }
        const change: MapChange = { maxFields, ...decided.change, count, expect: { ...read, ...decided.change.expect } }
        const outcome = await deadline(engine.maps.write(map(room), change))
        if (outcome === 'ok') return decided.result
        if (outcome === 'full') throw new errors.RoomFull(`a room holds at most ${config.maxRoomMembers} members`)
      }
      throw new errors.Unavailable('the room changed too often at once: retry')
    },

    async rooms (userId) {
      const fields = await deadline(engine.maps.all(names.userRooms(userId)))
      return new Map(Object.entries(fields))
    },

    async index (userId, room, kind) {
      const outcome = await deadline(engine.maps.write(names.userRooms(userId), { set: { [room]: kind }, maxFields: config.maxRoomsPerUser }))
      if (outcome === 'full') throw new errors.TooManyRooms(`a user may be in at most ${config.maxRoomsPerUser} rooms: leave one first`)
    },

    async unindex (userId, room) {
      // The user's unread mentions there go with the room: nobody reads them any more, and they
      // would fill the user's mention map (bounded by MAX_ROOMS_PER_USER rooms).
      await deadline(Promise.all([
        engine.maps.write(names.userRooms(userId), { delete: [room] }),
        engine.maps.write(names.mentions(userId), { delete: [room] })
      ]))
    }
  }
}
