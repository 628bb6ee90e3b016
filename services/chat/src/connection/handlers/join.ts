import { engineDeadline } from '@webchat/engine'
import { type ClientFrameOf, LIMITS } from '@webchat/shared'
import * as hold from '../../delivery/hold.js'
import { markerId } from '../../inbox/marker.js'
import { accessOf, checkJoin, keepNewest } from '../../membership/access.js'
import { names } from '../../names.js'
import type { PresenceList } from '../../presence.js'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'
import { refusal } from '../reply-budget.js'

type JoinFrame = ClientFrameOf<'join'>

/**
 * Sends `joined` (members, the snapshot of the log, the read marker), then the live frames that
 * arrived while reading (delivery/hold.ts). False when the membership left meanwhile.
 */
async function sendSnapshot (deps: ChatDeps, conn: Connection, frame: JoinFrame, membership: hold.Membership, { members, version }: PresenceList): Promise<boolean> {
  const { room } = frame
  const [snapshot, lastRead] = await Promise.all([
    deps.allowances.replies(conn.user.id).run(async () => await deps.messages.snapshot(room, frame.since, frame.epoch)),
    // The marker holds `<id> <seq> <epoch>` (inbox/marker.ts): `joined` carries the id.
    engineDeadline(deps.engine.kv.get(names.readMarker(room, conn.user.id)), deps.config.engineTimeoutMs).then(markerId)
  ])
  if (hold.hasLeft(membership)) return false
  // From now on the socket is told only the presence changes its members list does not show.
  membership.presenceAt = version
  conn.sendFrame({
    type: 'joined', room, epoch: snapshot.epoch, members, messages: snapshot.messages,
    recovered: snapshot.recovered, lastRead, ...(snapshot.changes.length > 0 ? { changes: snapshot.changes } : {})
  })
  hold.release(membership, conn, snapshot.cutoff)
  return true
}

export async function join (deps: ChatDeps, conn: Connection, frame: JoinFrame): Promise<void> {
  const { room } = frame
  // In debt: refused before the room is attached and presence entered (sendSnapshot checks again in turn).
  if (!deps.allowances.replies(conn.user.id).ready()) throw refusal()
  const existing = conn.rooms.get(room)
  if (existing !== undefined) {
    // Joined already: answer with a fresh snapshot. Joining: the pending `joined` answers.
    if (!hold.refresh(existing)) return
    deps.rooms.hold(room, existing)
    try {
      await sendSnapshot(deps, conn, frame, existing, await deps.presence.view(room))
    } finally {
      hold.settle(existing, conn)
    }
    return
  }
  if (conn.rooms.size >= LIMITS.roomsPerConnection) {
    conn.error('too_many_rooms', `a connection may join at most ${LIMITS.roomsPerConnection} rooms`, room)
    return
  }
  const membership = hold.joining()
  conn.rooms.set(room, membership)
  let attached = false
  let entered = false
  const left = (): boolean => hold.hasLeft(membership)
  const abandon = async (): Promise<void> => {
    if (conn.rooms.get(room) === membership) {
      conn.rooms.delete(room)
      conn.roomAccess.delete(room)
    }
    hold.abandon(membership)
    if (attached) deps.rooms.detach(room, conn)
    attached = false
    if (entered && !deps.connections.closing) {
      entered = false
      await deps.presence.exit(room, conn.user)
    }
  }
  try {
    // Before anything is attached: a private room a user is not in answers like one that does not
    // exist, a public room makes them a member unless banned. Checked once the join is
    // registered, so that a removal meanwhile reaches it.
    const admitted = await checkJoin(deps.membership, room, conn.user)
    if (left()) return await abandon()
    keepNewest(conn.roomAccess, room, accessOf(admitted.entry, admitted.rev))
    await deps.rooms.attach(room, conn, membership)
    attached = true
    if (left()) return await abandon()
    const presence = await deps.presence.enter(room, conn.user)
    entered = true
    if (left()) return await abandon()
    if (!await sendSnapshot(deps, conn, frame, membership, presence)) return await abandon()
    if (presence.announce) {
      await deps.presence.announceJoin(room, conn.user, presence.announceAt)
        .catch((err: unknown) => deps.log.warn({ err }, 'presence join not published'))
    }
  } catch (err) {
    await abandon().catch(() => {})
    throw err
  }
}
