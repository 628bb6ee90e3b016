import type { MapChange } from '@webchat/engine'
import type { Member, Role, Room, RoomKind, RosterEntry } from '@webchat/shared'

/**
 * What a room's map holds (one map per room, so that every change to a room is one atomic step on
 * one shard): `meta` (the room), `n` (how many members), `m:<user>` (a member), `b:<user>` (a ban).
 */
export const FIELD = {
  meta: 'meta',
  count: 'n',
  member: (userId: string): string => `m:${userId}`,
  ban: (userId: string): string => `b:${userId}`
} as const

/** A record as a map field holds it. */
export const json = (value: unknown): string => JSON.stringify(value)

export interface RoomRecord {
  kind: RoomKind
  title: string
  topic: string
  createdAt: string
  createdBy: string
  archived: boolean
  /** The other person's id, for each member of a direct room (both ids, sorted). */
  pair?: [string, string]
  /** Counts the changes to the room that its sockets act on (archived), like MemberRecord.rev. */
  rev?: number
  /**
   * A public room whose last member left: its next joiner owns it. Kept in the record rather than
   * read from the count so that a join is guarded by the record alone (public-rooms.ts).
   */
  vacant?: boolean
}

export interface MemberRecord {
  role: Role
  name: string
  addedAt: string
  addedBy: string
  mutedUntil?: string
  /** Counts the changes to this record (role, mute), so that a socket never takes an older one for news. */
  rev?: number
}

export interface BanRecord {
  by: string
  at: string
  name: string
}

/** Parses a stored record; a field that is not one (hand-edited, from a future version) reads as absent. */
function parse<T> (value: string | null | undefined, check: (v: Record<string, unknown>) => boolean): T | null {
  if (value === null || value === undefined) return null
  try {
    const parsed: unknown = JSON.parse(value)
    return typeof parsed === 'object' && parsed !== null && check(parsed as Record<string, unknown>) ? parsed as T : null
  } catch {
    return null
  }
}

export const parseRoom = (value: string | null | undefined): RoomRecord | null =>
  parse<RoomRecord>(value, (v) => typeof v.kind === 'string' && typeof v.title === 'string')
export const parseMember = (value: string | null | undefined): MemberRecord | null =>
  parse<MemberRecord>(value, (v) => typeof v.role === 'string' && typeof v.name === 'string')
export const parseBan = (value: string | null | undefined): BanRecord | null =>
  parse<BanRecord>(value, (v) => typeof v.by === 'string')

export function toRoom (id: string, record: RoomRecord): Room {
  return {
    id,
    kind: record.kind,
    title: record.title,
    topic: record.topic,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    archived: record.archived
  }
}

/** A mute still in force at `now` (ISO times compare as strings). */
export function mutedAt (record: Pick<MemberRecord, 'mutedUntil'>, now: number): boolean {
  const until = record.mutedUntil
  return until !== undefined && (until === 'forever' || until > new Date(now).toISOString())
}

export function toRosterEntry (userId: string, record: MemberRecord, now = Date.now()): RosterEntry {
  const entry: RosterEntry = { user: { id: userId, name: record.name }, role: record.role, addedAt: record.addedAt, addedBy: record.addedBy }
  if (mutedAt(record, now)) entry.mutedUntil = record.mutedUntil
  return entry
}

/**
 * What a socket's copy of its access was made from: the room's and the member's change counts
 * together. Both only grow, so their sum grows whenever either changes, and a copy made from an
 * older read never replaces a newer one (access.ts, keepNewest).
 */
export const revOf = (room: RoomRecord, member: MemberRecord): number => (room.rev ?? 0) + (member.rev ?? 0)

export const memberOf = (userId: string, record: MemberRecord): Member => ({ id: userId, name: record.name })

/**
 * The change that ends `target`'s membership (or, with `ban`, bans them, member or not): their
 * member field and one from the count go, and a ban record naming `by` is set.
 */
export function removal (userId: string, target: MemberRecord | null, ban: boolean, by: string, at: string): { change: MapChange, result: { name: string, wasMember: boolean } } {
  const name = target?.name ?? ''
  const set: Record<string, string> = ban ? { [FIELD.ban(userId)]: json({ by, at, name }) } : {}
  return {
    change: { set, ...(target === null ? {} : { delete: [FIELD.member(userId)], count: { field: FIELD.count, by: -1 } }) },
    result: { name, wasMember: target !== null }
  }
}
