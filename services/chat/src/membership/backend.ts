import type { BannedEntry, CreateRoomRequest, Role, Room, RoomDetails, RosterEntry, UpdateRoomRequest } from '@webchat/shared'
import { errors } from '../errors.js'
import { type Announcer, announceChange, announceRemoval, indexedWhile, memberFrame } from './announce.js'
import type { Directory, Read } from './directory.js'
import { FIELD, json, type MemberRecord, parseMember, parseRoom, removal, revOf, type RoomRecord, toRoom, toRosterEntry } from './records.js'
import { directRoomId, isReservedRoomId, privateRoomId } from './room-ids.js'
import { createViews, notFound } from './views.js'

/** Who a backend's changes are recorded as (createdBy, addedBy, by). */
export const BACKEND = 'backend'

/**
 * What the host product does to rooms over HTTP with a service key. It is trusted: no roles are
 * checked, but the room's invariants hold as for users (one owner, banned users stay out, the
 * bounds), and every change is announced as the same change by a user is.
 */
export interface RoomAdmin {
  create (request: CreateRoomRequest): Promise<{ room: Room, members: RosterEntry[] }>
  details (room: string): Promise<RoomDetails>
  update (room: string, change: UpdateRoomRequest): Promise<Room>
  /** Adds the user with `role`, or gives a member that role; true when they were added. */
  putMember (room: string, user: { id: string, name?: string }, role: Role): Promise<{ entry: RosterEntry, added: boolean }>
  removeMember (room: string, userId: string, ban: boolean): Promise<void>
}

interface Planned { id: string, room: RoomRecord, members: Array<{ id: string, record: MemberRecord }> }

const conflict = (id: string): Error => new errors.Conflict(`a room ${id} exists already`)
/** Thrown inside a plan when the owner it was planned with is the owner no longer: plan again. */
class OwnerMoved extends Error {}
const OWNER_ATTEMPTS = 4

/** The room a create request describes, or bad_request. */
function planRoom (request: CreateRoomRequest, createdAt: string): Planned {
  const ids = request.members.map((m) => m.user)
  if (new Set(ids).size !== ids.length) throw new errors.BadRequest('a user is named twice in members')
  const members = request.members.map((m) => ({ id: m.user, record: { role: m.role ?? 'member', name: m.name ?? '', addedAt: createdAt, addedBy: BACKEND } satisfies MemberRecord }))
  const base = { title: request.title ?? '', topic: request.topic ?? '', createdAt, createdBy: BACKEND, archived: false }
  if (request.kind === 'direct') {
    if (request.id !== undefined) throw new errors.BadRequest('a direct room\'s id is made from its two members: send no id')
    if (base.title !== '') throw new errors.BadRequest('a direct room has no title')
    if (members.length !== 2) throw new errors.BadRequest('a direct room has exactly two members')
    if (members.some((m) => m.record.role !== 'member')) throw new errors.BadRequest('both people of a direct room are members (no roles)')
    return { id: directRoomId(ids[0]!, ids[1]!), room: { kind: 'direct', ...base, pair: [...ids].sort() as [string, string] }, members }
  }
  const owners = members.filter((m) => m.record.role === 'owner').length
  // A room never has members and no owner: a public room too is made with its owner.
  if (owners !== 1) throw new errors.BadRequest(`a ${request.kind} room has exactly one owner (${owners} given)`)
  if (request.kind === 'public') {
    if (request.id === undefined) throw new errors.BadRequest('a public room is named by its id: send one')
    if (isReservedRoomId(request.id)) throw new errors.BadRequest('a public room\'s id may not start with p- or d-')
    return { id: request.id, room: { kind: 'public', ...base, title: request.title ?? request.id }, members }
  }
  if (request.id !== undefined && !request.id.startsWith('p-')) throw new errors.BadRequest('a private room\'s id starts with p-')
  return { id: request.id ?? privateRoomId(), room: { kind: 'private', ...base }, members }
}

function managed (read: Read): RoomRecord {
  const room = parseRoom(read[FIELD.meta])
  if (room === null) throw notFound()
  if (room.kind === 'direct') throw new errors.Forbidden('a direct room is its two people: nobody is added, removed or given a role')
  return room
}

export function createRoomAdmin ({ directory, announce, now = Date.now }: { directory: Directory, announce: Announcer, now?: () => number }): RoomAdmin {
  const iso = (): string => new Date(now()).toISOString()
  const { entryOf } = createViews(directory, now)
  const told = (id: string, room: RoomRecord, userId: string, record: MemberRecord, peerName?: string): Promise<void> =>
    announce.user(userId, { kind: 'entry', entry: entryOf(id, room, record, userId, peerName), rev: revOf(room, record) })

  /** Writes the member's record, handing ownership over in the same step when `role` is owner. */
  const writeMember = async (id: string, user: { id: string, name?: string }, role: Role) => {
    for (let attempt = 0; attempt < OWNER_ATTEMPTS; attempt++) {
      const roster = role === 'owner' ? await directory.roster(id) : null
      const ownerId = roster === null ? undefined : [...roster.members].find(([, m]) => m.role === 'owner')?.[0]
      const previousOwner = ownerId === undefined || ownerId === user.id ? undefined : ownerId
      const fields = [FIELD.meta, FIELD.member(user.id), FIELD.ban(user.id), ...(previousOwner === undefined ? [] : [FIELD.member(previousOwner)])]
      try {
        return await directory.mutate(id, fields, (read) => {
          const managedRoom = managed(read)
          const existing = parseMember(read[FIELD.member(user.id)])
          if (existing === null && read[FIELD.ban(user.id)] !== null) throw new errors.Banned('that user is banned from this room: unban them first')
          if (existing?.role === 'owner' && role !== 'owner') throw new errors.Forbidden('the owner keeps the role until another member is made owner')
          // A public room all left (public-rooms.ts): its first member is its owner.
          if (managedRoom.vacant === true && role !== 'owner') throw new errors.Forbidden('nobody is in this room: its first member is its owner (role owner)')
          // Planned for a vacant room that someone has joined (and owns) since: plan again.
          if (role === 'owner' && previousOwner === undefined && existing?.role !== 'owner' && managedRoom.vacant !== true) throw new OwnerMoved()
          const { vacant, ...room } = managedRoom
          const next: MemberRecord = existing === null
            ? { role, name: user.name ?? '', addedAt: iso(), addedBy: BACKEND }
            : { ...existing, role, name: user.name ?? existing.name, rev: (existing.rev ?? 0) + 1 }
          const unchanged = existing !== null && existing.role === role && existing.name === next.name
          if (unchanged) return { result: { room, next: existing, added: false, roleChanged: false, was: existing.role, previous: null } }
          const set: Record<string, string> = { [FIELD.member(user.id)]: json(next) }
          if (vacant === true) set[FIELD.meta] = json(room)
          let previous: MemberRecord | null = null
          if (previousOwner !== undefined) {
            const old = parseMember(read[FIELD.member(previousOwner)])
            if (old?.role !== 'owner') throw new OwnerMoved()
            // A room never has no owner, and never two: the old owner becomes a moderator in the same write.
            previous = { ...old, role: 'moderator', rev: (old.rev ?? 0) + 1 }
            set[FIELD.member(previousOwner)] = json(previous)
          }
          const count = existing === null ? { count: { field: FIELD.count, by: 1 } } : {}
          return { change: { set, ...count }, result: { room, next, added: existing === null, roleChanged: existing?.role !== role, was: existing?.role ?? null, previous: previous === null ? null : { id: previousOwner!, record: previous } } }
        })
      } catch (err) {
        if (!(err instanceof OwnerMoved)) throw err
      }
    }
    throw new errors.Unavailable('the room\'s owner changed too often at once: retry')
  }

  return {
    async create (request) {
      const { id, room, members } = planRoom(request, iso())
      if (await directory.room(id) !== null) throw conflict(id)
      await indexedWhile(directory, id, room.kind, members.map((m) => m.id), async () => {
        await directory.mutate(id, [FIELD.meta], (read) => {
          if (read[FIELD.meta] !== null) throw conflict(id)
          const set = Object.fromEntries([[FIELD.meta, json(room)], ...members.map((m) => [FIELD.member(m.id), json(m.record)])])
          return { change: { set, count: { field: FIELD.count, by: members.length } }, result: null }
        })
      })
      const peerName = (userId: string): string | undefined => room.kind === 'direct' ? members.find((m) => m.id !== userId)?.record.name : undefined
      await Promise.all(members.map(async (m) => { await told(id, room, m.id, m.record, peerName(m.id)) }))
      await announce.created(toRoom(id, room), members.map((m) => toRosterEntry(m.id, m.record, now())))
      return { room: toRoom(id, room), members: members.map((m) => toRosterEntry(m.id, m.record, now())) }
    },

    async details (id) {
      const roster = await directory.roster(id)
      if (roster === null) throw notFound()
      const banned: BannedEntry[] = [...roster.bans].map(([userId, ban]) => ({ user: { id: userId, name: ban.name }, by: ban.by, at: ban.at }))
      const members = [...roster.members].map(([userId, record]) => toRosterEntry(userId, record, now()))
      return { room: toRoom(id, roster.room), members, ...(banned.length === 0 ? {} : { banned }) }
    },

    async update (id, change) {
      const { before, room } = await directory.mutate(id, [FIELD.meta], (read) => {
        const before = parseRoom(read[FIELD.meta])
        if (before === null) throw notFound()
        if (before.kind === 'direct' && change.title !== undefined && change.title !== '') throw new errors.BadRequest('a direct room has no title')
        const room: RoomRecord = { ...before, ...change, rev: (before.rev ?? 0) + 1 }
        return { change: { set: { [FIELD.meta]: json(room) } }, result: { before, room } }
      })
      await announce.room({ type: 'room_updated', room: id, details: toRoom(id, room) })
      if (before.archived !== room.archived) {
        // Sends are refused from each socket's own copy of the room: every member's sockets must learn it.
        const roster = await directory.roster(id)
        const members = [...(roster?.members ?? [])]
        await Promise.all(members.map(async ([userId, record]) => {
          await told(id, room, userId, record, members.find(([other]) => other !== userId)?.[1].name)
        }))
      }
      return toRoom(id, room)
    },

    async putMember (id, user, role) {
      const before = await directory.standing(id, user.id)
      if (before.room === null) throw notFound()
      // A member already is in their list: only a newcomer's is written (and undone on failure).
      const written = await indexedWhile(directory, id, before.room.kind, before.member === null ? [user.id] : [], async () => await writeMember(id, user, role))
      const { room, next, added, roleChanged, previous, was } = written
      const member = { id: user.id, name: next.name }
      if (added || roleChanged) {
        const frame = memberFrame(id, added ? 'added' : 'role', member, BACKEND, was === null ? { role } : { role, previous: was })
        await announceChange(announce, frame, entryOf(id, room, next, user.id), revOf(room, next))
      }
      if (previous !== null) {
        const frame = memberFrame(id, 'role', { id: previous.id, name: previous.record.name }, BACKEND, { role: 'moderator', previous: 'owner' })
        await announceChange(announce, frame, entryOf(id, room, previous.record, previous.id), revOf(room, previous.record))
      }
      return { entry: toRosterEntry(user.id, next, now()), added }
    },

    async removeMember (id, userId, ban) {
      const outcome = await directory.mutate(id, [FIELD.meta, FIELD.member(userId), FIELD.ban(userId)], (read) => {
        managed(read)
        const target = parseMember(read[FIELD.member(userId)])
        if (target === null && !ban) throw new errors.NotFound('no such member')
        if (target?.role === 'owner') throw new errors.Forbidden('the owner cannot be removed: make another member owner first')
        return removal(userId, target, ban, BACKEND, iso())
      })
      await announceRemoval(directory, announce, memberFrame(id, ban ? 'banned' : 'removed', { id: userId, name: outcome.name }, BACKEND), outcome.wasMember)
    }
  }
}
