import { type Member, type Role, type RoomAction, type RoomListEntry, roleAction, roleMay } from '@webchat/shared'
import { errors } from '../errors.js'
import { ACCESS_HOOK, type AccessHook } from './access-hook.js'
import { type Announcer, announceChange, announceRemoval, type MemberFrame, indexedWhile, memberFrame } from './announce.js'
import type { Directory, Read } from './directory.js'
import { FIELD, json, type MemberRecord, parseBan, parseMember, parseRoom, removal, revOf, type RoomRecord, toRoom, toRosterEntry } from './records.js'
import { createPublicRooms } from './public-rooms.js'
import type { Quotas } from './quotas.js'
import { directRoomId, privateRoomId } from './room-ids.js'
import { createViews, notFound, type RoomQueries } from './views.js'

export type { Announcer } from './announce.js'

export interface Membership extends RoomQueries {
  /** A private room owned by `owner`. */
  createPrivate (owner: Member, title: string, topic: string): Promise<RoomListEntry>
  /**
   * The direct room of two users, made on first use; `self` gets it back in their list. `name`
   * (an invitation's name from the address) is what the peer is listed as until they join.
   */
  direct (self: Member, peer: { id: string, name?: string }): Promise<RoomListEntry>
  /** Adds `target` as a member; `name` as for `direct`. */
  invite (room: string, actor: Member, target: { id: string, name?: string }): Promise<void>
  remove (room: string, actor: Member, targetId: string, ban: boolean): Promise<void>
  unban (room: string, actor: Member, targetId: string): Promise<void>
  setRole (room: string, actor: Member, targetId: string, role: Role): Promise<void>
  mute (room: string, actor: Member, targetId: string, until: string | null): Promise<void>
  update (room: string, actor: Member, change: { title?: string, topic?: string }): Promise<void>
  leave (room: string, self: Member): Promise<void>
  /**
   * A user not on an existing private room's roster joins it: the host product's join hook
   * (access-hook.ts) may admit them with a role. Null when there is no hook, or no yes.
   */
  admit (room: string, user: Member): Promise<{ entry: RoomListEntry, rev: number } | null>
  /** A join of a public room, which makes the user a member (public-rooms.ts). */
  joinPublic (room: string, user: Member): Promise<{ entry: RoomListEntry, rev: number }>
  /** Whether the user may read a public room without joining it; throws banned or not_found. */
  readPublic (room: string, userId: string): Promise<void>
  /** A public room's membership checked again after an outage (public-rooms.ts). */
  resumePublic (room: string, user: Member, since: number): Promise<{ entry: RoomListEntry, rev: number }>
}

interface Seen { room: RoomRecord, actor: MemberRecord }
interface Added { room: RoomRecord, record: MemberRecord, added: boolean }

/** The room and the actor's membership from what a plan read; not_found unless both are there. */
function seen (read: Read, actorId: string): Seen {
  const room = parseRoom(read[FIELD.meta])
  const actor = parseMember(read[FIELD.member(actorId)])
  if (room === null || actor === null) throw notFound()
  return { room, actor }
}

function check (room: RoomRecord, action: RoomAction, actor: Role, target?: { role: Role, self: boolean }): void {
  if (room.archived) throw new errors.Archived('the room is archived: it is read-only')
  if (!roleMay(room.kind, action, actor, target)) throw new errors.Forbidden(`your role may not do that here (${action})`)
}

export function createMembership ({ directory, quotas, announce, access, openRooms, now = Date.now }: { directory: Directory, quotas: Quotas, announce: Announcer, access?: AccessHook, openRooms: boolean, now?: () => number }): Membership {
  const iso = (): string => new Date(now()).toISOString()

  const changed = async (id: string, room: RoomRecord, userId: string, record: MemberRecord, frame: MemberFrame): Promise<void> => {
    await announceChange(announce, frame, entryOf(id, room, record, userId), revOf(room, record))
  }

  /** Adds `target` unless banned or there; false when they were a member already. */
  const add = async (id: string, target: Member, role: Role, by: string, guard: (read: Read) => RoomRecord): Promise<Added> => {
    const record: MemberRecord = { role, name: target.name, addedAt: iso(), addedBy: by }
    return await directory.mutate<Added>(id, [FIELD.meta, FIELD.member(by), FIELD.member(target.id), FIELD.ban(target.id)], (read) => {
      const room = guard(read)
      const existing = parseMember(read[FIELD.member(target.id)])
      if (existing !== null) return { result: { room, record: existing, added: false } }
      if (read[FIELD.ban(target.id)] !== null) throw new errors.Banned('that user is banned from this room: unban them first')
      return {
        change: { set: { [FIELD.member(target.id)]: json(record) }, count: { field: FIELD.count, by: 1 } },
        result: { room, record, added: true }
      }
    })
  }

  const views = createViews(directory, now)
  const { entryOf } = views
  const publicRooms = createPublicRooms({ directory, quotas, announce, views, openRooms, now })

  const membership: Membership = {
    ...views.queries,
    joinPublic: publicRooms.join,
    readPublic: publicRooms.read,
    resumePublic: publicRooms.resume,

    async createPrivate (owner, title, topic) {
      await quotas.newRoom(owner.id)
      const id = privateRoomId()
      const room: RoomRecord = { kind: 'private', title, topic, createdAt: iso(), createdBy: owner.id, archived: false }
      const record: MemberRecord = { role: 'owner', name: owner.name, addedAt: room.createdAt, addedBy: owner.id }
      await directory.index(owner.id, id, 'private')
      await directory.mutate(id, [FIELD.meta], (read) => {
        if (read[FIELD.meta] !== null) throw new errors.Unavailable('room id taken: retry')
        return { change: { set: { [FIELD.meta]: json(room), [FIELD.member(owner.id)]: json(record) }, count: { field: FIELD.count, by: 1 } }, result: null }
      })
      await announce.created(toRoom(id, room), [toRosterEntry(owner.id, record, now())])
      const entry = entryOf(id, room, record, owner.id)
      await announce.user(owner.id, { kind: 'entry', entry, rev: 0 })
      return entry
    },

    async direct (self, peer) {
      if (peer.id === self.id) throw new errors.BadRequest('a direct conversation needs another person')
      const id = directRoomId(self.id, peer.id)
      const pair = [self.id, peer.id].sort() as [string, string]
      const fresh = await directory.room(id) === null
      if (fresh) await quotas.newRoom(self.id)
      // Both lists take a new room before it is made, so that a full list (either person's)
      // refuses with nothing made; undone if the room is not made.
      const indexed = fresh ? [self.id, peer.id] : [self.id]
      const made = await indexedWhile(directory, id, 'direct', indexed, async () => {
        return await directory.mutate(id, [FIELD.meta, FIELD.member(self.id), FIELD.member(peer.id)], (read) => {
          const existing = parseRoom(read[FIELD.meta])
          if (existing !== null) {
            const mine = parseMember(read[FIELD.member(self.id)])
            if (mine === null) throw notFound()
            return { result: { room: existing, mine, peerName: parseMember(read[FIELD.member(peer.id)])?.name ?? '', fresh: false } }
          }
          const room: RoomRecord = { kind: 'direct', title: '', topic: '', createdAt: iso(), createdBy: self.id, archived: false, pair }
          const mine: MemberRecord = { role: 'member', name: self.name, addedAt: room.createdAt, addedBy: self.id }
          const theirs: MemberRecord = { role: 'member', name: peer.name ?? '', addedAt: room.createdAt, addedBy: self.id }
          return {
            change: { set: { [FIELD.meta]: json(room), [FIELD.member(self.id)]: json(mine), [FIELD.member(peer.id)]: json(theirs) }, count: { field: FIELD.count, by: 2 } },
            result: { room, mine, peerName: theirs.name, fresh: true }
          }
        })
      })
      const entry = entryOf(id, made.room, made.mine, self.id, made.peerName)
      if (made.fresh) {
        if (!fresh) await directory.index(peer.id, id, 'direct')
        const firsts: Array<[string, MemberRecord]> = [[self.id, made.mine], [peer.id, { ...made.mine, name: made.peerName }]]
        await announce.created(toRoom(id, made.room), firsts.map(([userId, record]) => toRosterEntry(userId, record, now())))
        await announce.user(peer.id, { kind: 'entry', entry: entryOf(id, made.room, { ...made.mine, name: '' }, peer.id, self.name), rev: 0 })
      }
      await announce.user(self.id, { kind: 'entry', entry, rev: revOf(made.room, made.mine) })
      return entry
    },

    async invite (id, actor, target) {
      const before = await directory.standing(id, actor.id)
      if (before.room === null || before.member === null) throw notFound()
      check(before.room, 'invite', before.member.role)
      await quotas.invite(actor.id)
      const { room, record, added } = await indexedWhile(directory, id, before.room.kind, [target.id], async () => await add(id, { id: target.id, name: target.name ?? '' }, 'member', actor.id, (read) => {
        const { room, actor: me } = seen(read, actor.id)
        check(room, 'invite', me.role)
        return room
      }))
      if (!added) return
      await changed(id, room, target.id, record, memberFrame(id, 'added', { id: target.id, name: record.name }, actor.id, { role: 'member' }))
    },

    async remove (id, actor, targetId, ban) {
      const action: RoomAction = ban ? 'ban' : 'remove'
      const outcome = await directory.mutate(id, [FIELD.meta, FIELD.member(actor.id), FIELD.member(targetId), FIELD.ban(targetId)], (read) => {
        const { room, actor: me } = seen(read, actor.id)
        const target = parseMember(read[FIELD.member(targetId)])
        if (target === null && !ban) throw new errors.NotFound('no such member')
        check(room, action, me.role, target === null ? { role: 'member', self: targetId === actor.id } : { role: target.role, self: targetId === actor.id })
        return removal(targetId, target, ban, actor.id, iso())
      })
      await announceRemoval(directory, announce, memberFrame(id, ban ? 'banned' : 'removed', { id: targetId, name: outcome.name }, actor.id), outcome.wasMember)
    },

    async unban (id, actor, targetId) {
      const name = await directory.mutate(id, [FIELD.meta, FIELD.member(actor.id), FIELD.ban(targetId)], (read) => {
        const { room, actor: me } = seen(read, actor.id)
        check(room, 'ban', me.role, { role: 'member', self: targetId === actor.id })
        const ban = parseBan(read[FIELD.ban(targetId)])
        if (ban === null) throw new errors.NotFound('that user is not banned here')
        return { change: { delete: [FIELD.ban(targetId)] }, result: ban.name }
      })
      await announce.room(memberFrame(id, 'unbanned', { id: targetId, name }, actor.id))
    },

    async setRole (id, actor, targetId, role) {
      const result = await directory.mutate(id, [FIELD.meta, FIELD.member(actor.id), FIELD.member(targetId)], (read) => {
        const { room, actor: me } = seen(read, actor.id)
        const target = parseMember(read[FIELD.member(targetId)])
        if (target === null) throw new errors.NotFound('no such member')
        const action = roleAction(target.role, role)
        if (action === null) {
          // No rule allows it (the owner steps down only by handing over), or nothing changes: the
          // same `done` is for the owner alone, so that a role below never hears yes to a role change.
          if (target.role !== role) throw new errors.Forbidden('the owner keeps the role until they hand the room over (set_role owner to another member)')
          if (room.archived) throw new errors.Archived('the room is archived: it is read-only')
          if (room.kind === 'direct' || me.role !== 'owner') throw new errors.Forbidden('only the owner sets roles here')
          return { result: null }
        }
        // An archived room's owner may still hand it over: else, with other members in it, they
        // could never leave it (the owner leaves last, or after handing over).
        check(action === 'hand_over' ? { ...room, archived: false } : room, action, me.role, { role: target.role, self: targetId === actor.id })
        const next: MemberRecord = { ...target, role, rev: (target.rev ?? 0) + 1 }
        const set: Record<string, string> = { [FIELD.member(targetId)]: json(next) }
        // A room never has no owner: handing over makes the old owner a moderator in the same step.
        const previous: MemberRecord | null = action === 'hand_over' ? { ...me, role: 'moderator', rev: (me.rev ?? 0) + 1 } : null
        if (previous !== null) set[FIELD.member(actor.id)] = json(previous)
        return { change: { set }, result: { room, next, previous, was: target.role } }
      })
      if (result === null) return
      await changed(id, result.room, targetId, result.next, memberFrame(id, 'role', { id: targetId, name: result.next.name }, actor.id, { role, previous: result.was }))
      if (result.previous !== null) {
        await changed(id, result.room, actor.id, result.previous, memberFrame(id, 'role', { id: actor.id, name: result.previous.name }, actor.id, { role: 'moderator', previous: 'owner' }))
      }
    },

    async mute (id, actor, targetId, until) {
      const result = await directory.mutate(id, [FIELD.meta, FIELD.member(actor.id), FIELD.member(targetId)], (read) => {
        const { room, actor: me } = seen(read, actor.id)
        const target = parseMember(read[FIELD.member(targetId)])
        if (target === null) throw new errors.NotFound('no such member')
        check(room, 'mute', me.role, { role: target.role, self: targetId === actor.id })
        const next: MemberRecord = { ...target, rev: (target.rev ?? 0) + 1 }
        if (until === null) delete next.mutedUntil
        else next.mutedUntil = until
        return { change: { set: { [FIELD.member(targetId)]: json(next) } }, result: { room, next } }
      })
      const extra = until === null ? {} : { mutedUntil: until }
      await changed(id, result.room, targetId, result.next, memberFrame(id, until === null ? 'unmuted' : 'muted', { id: targetId, name: result.next.name }, actor.id, extra))
    },

    async update (id, actor, change) {
      if (change.title === undefined && change.topic === undefined) throw new errors.BadRequest('send a title or a topic to change')
      const room = await directory.mutate(id, [FIELD.meta, FIELD.member(actor.id)], (read) => {
        const { room, actor: me } = seen(read, actor.id)
        check(room, 'update', me.role)
        const next: RoomRecord = { ...room, ...(change.title === undefined ? {} : { title: change.title }), ...(change.topic === undefined ? {} : { topic: change.topic }), rev: (room.rev ?? 0) + 1 }
        return { change: { set: { [FIELD.meta]: json(next) } }, result: next }
      })
      await announce.room({ type: 'room_updated', room: id, details: toRoom(id, room) })
    },

    async leave (id, self) {
      const left = await directory.mutate(id, [FIELD.meta, FIELD.member(self.id), FIELD.count], (read) => {
        const { room, actor: me } = seen(read, self.id)
        // Leaving a direct room only hides it: the history stays for both, `direct` brings it back.
        if (room.kind === 'direct') return { result: { name: me.name, hidden: true } }
        if (me.role === 'owner' && Number(read[FIELD.count] ?? '0') > 1) {
          throw new errors.Forbidden('the owner hands the room over (set_role owner) before leaving it')
        }
        // The last member leaving archives a private room: its history stays, read-only. A public
        // room stays open, vacant: its next joiner owns it (public-rooms.ts).
        const last: RoomRecord = room.kind === 'public' ? { ...room, vacant: true } : { ...room, archived: true, rev: (room.rev ?? 0) + 1 }
        const set = me.role === 'owner' ? { [FIELD.meta]: json(last) } : undefined
        return { change: { ...(set === undefined ? {} : { set }), delete: [FIELD.member(self.id)], count: { field: FIELD.count, by: -1 } }, result: { name: me.name, hidden: false } }
      })
      await directory.unindex(self.id, id)
      const notice = announce.user(self.id, { kind: 'removed', room: id, reason: 'left' })
      // The other person of a direct room is still with them there: nothing to tell the room.
      await Promise.all(left.hidden ? [notice] : [notice, announce.room(memberFrame(id, 'removed', { id: self.id, name: left.name }, self.id))])
    },

    async admit (id, user) {
      if (access === undefined) return null
      const before = await directory.standing(id, user.id)
      // Only a private room that exists asks (so the hook cannot be used to probe for rooms; a
      // direct room is its two people); a banned user is not asked about; an archived room takes nobody new.
      if (before.room?.kind !== 'private' || before.room.archived || before.ban !== null) return null
      if (before.member !== null) return { entry: entryOf(id, before.room, before.member, user.id), rev: revOf(before.room, before.member) }
      const role = await access.ask(id, user)
      if (role === null) return null
      // The ban is checked again in the write that adds them: a ban meanwhile wins over the yes.
      const made = await indexedWhile(directory, id, 'private', [user.id], async () => await add(id, user, role, ACCESS_HOOK, (read) => {
        const room = parseRoom(read[FIELD.meta])
        if (room?.kind !== 'private' || room.archived) throw notFound()
        return room
      })).catch((err: unknown) => {
        if (err instanceof errors.Banned) return null
        throw err
      })
      if (made === null) return null
      const { room, record, added } = made
      if (added) await changed(id, room, user.id, record, memberFrame(id, 'added', { id: user.id, name: record.name }, ACCESS_HOOK, { role }))
      return { entry: entryOf(id, room, record, user.id), rev: revOf(room, record) }
    }
  }
  return membership
}
