import type { ClientFrameOf, Room } from '@webchat/shared'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'
import { checkRoomTexts } from '../../membership/room-texts.js'
import { sized } from '../reply-budget.js'
import { inviteeOf } from './invitee.js'

// Requests about rooms and members. Each answers `done {ref}` (with the room where one was made)
// or, thrown from the membership service, `error {ref}`; what changed reaches everyone it concerns
// as `member`, `room`, `room_removed` and `left` frames, on every instance.

type Handler<T extends keyof RoomFrames> = (deps: ChatDeps, conn: Connection, frame: RoomFrames[T]) => Promise<void>
interface RoomFrames {
  create: ClientFrameOf<'create'>
  direct: ClientFrameOf<'direct'>
  invite: ClientFrameOf<'invite'>
  remove: ClientFrameOf<'remove'>
  set_role: ClientFrameOf<'set_role'>
  mute: ClientFrameOf<'mute'>
  unmute: ClientFrameOf<'unmute'>
  ban: ClientFrameOf<'ban'>
  unban: ClientFrameOf<'unban'>
  update_room: ClientFrameOf<'update_room'>
  leave_room: ClientFrameOf<'leave_room'>
  list_rooms: ClientFrameOf<'list_rooms'>
  list_members: ClientFrameOf<'list_members'>
}

function done (conn: Connection, ref: string, room?: Room): void {
  conn.sendFrame(room === undefined ? { type: 'done', ref } : { type: 'done', ref, room })
}

const MINUTE_MS = 60_000

export const roomHandlers: { readonly [T in keyof RoomFrames]: Handler<T> } = {
  async create (deps, conn, { ref, title, topic }) {
    checkRoomTexts(deps.config, { title, topic })
    const entry = await deps.membership.createPrivate(conn.user, title, topic ?? '')
    done(conn, ref, entry.room)
  },
  async direct (deps, conn, { ref, ...peer }) {
    const entry = await deps.membership.direct(conn.user, await inviteeOf(deps, conn, peer))
    done(conn, ref, entry.room)
  },
  async invite (deps, conn, { ref, room, ...target }) {
    await deps.membership.invite(room, conn.user, await inviteeOf(deps, conn, target))
    done(conn, ref)
  },
  async remove (deps, conn, { ref, room, user }) {
    await deps.membership.remove(room, conn.user, user, false)
    done(conn, ref)
  },
  async ban (deps, conn, { ref, room, user }) {
    await deps.membership.remove(room, conn.user, user, true)
    done(conn, ref)
  },
  async unban (deps, conn, { ref, room, user }) {
    await deps.membership.unban(room, conn.user, user)
    done(conn, ref)
  },
  async set_role (deps, conn, { ref, room, user, role }) {
    await deps.membership.setRole(room, conn.user, user, role)
    done(conn, ref)
  },
  async mute (deps, conn, { ref, room, user, minutes }) {
    const until = minutes === undefined ? 'forever' : new Date(Date.now() + minutes * MINUTE_MS).toISOString()
    await deps.membership.mute(room, conn.user, user, until)
    done(conn, ref)
  },
  async unmute (deps, conn, { ref, room, user }) {
    await deps.membership.mute(room, conn.user, user, null)
    done(conn, ref)
  },
  async update_room (deps, conn, { ref, room, title, topic }) {
    checkRoomTexts(deps.config, { title, topic })
    await deps.membership.update(room, conn.user, { title, topic })
    done(conn, ref)
  },
  async leave_room (deps, conn, { ref, room }) {
    await deps.membership.leave(room, conn.user)
    done(conn, ref)
  },
  // A list can be large (MAX_ROOMS_PER_USER rooms, MAX_ROOM_MEMBERS members) and costs the store a
  // read per entry: answered within the user's reply budget, as history is, so that asking again
  // and again reads no more than it.
  async list_rooms (deps, conn, { ref }) {
    const list = async (): Promise<Awaited<ReturnType<typeof deps.inbox.list>>> => await deps.inbox.list(conn.user.id, await deps.membership.list(conn.user.id))
    const { rooms, totals } = await deps.allowances.replies(conn.user.id).run(async () => sized(await list()))
    conn.sendFrame({ type: 'rooms', ref, rooms, totals })
  },
  async list_members (deps, conn, { ref, room }) {
    const { members } = await deps.allowances.replies(conn.user.id).run(async () => sized({ members: await deps.membership.members(room, conn.user.id) }))
    conn.sendFrame({ type: 'members', ref, room, members })
  }
}
