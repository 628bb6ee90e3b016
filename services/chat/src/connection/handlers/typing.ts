import { type ClientFrameOf, LIMITS } from '@webchat/shared'
import { engineDeadline } from '@webchat/engine'
import { names } from '../../names.js'
import { sendRefusal } from '../../membership/access.js'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'

/** Ephemeral: published, never stored; one event per user and room every 2 s, on any instance. */
export async function typing (deps: ChatDeps, conn: Connection, { room }: ClientFrameOf<'typing'>): Promise<void> {
  if (!conn.inRoom(room)) {
    conn.error('not_joined', 'not a member of this room', room)
    return
  }
  const now = Date.now()
  // A muted member's typing is dropped like a repeat: nothing to tell them.
  if (sendRefusal(conn.accessTo(room), now) !== null) return
  const last = conn.typingAt.get(room)
  if (last !== undefined && now - last < LIMITS.typingIntervalMs) return
  conn.typingAt.set(room, now)
  const first = await engineDeadline(
    deps.engine.kv.setIfAbsent(names.typing(room, conn.user.id), '1', LIMITS.typingIntervalMs, { share: 'traffic' }), deps.config.engineTimeoutMs)
  if (!first) return
  await deps.rooms.publish({ type: 'typing', room, user: { id: conn.user.id, name: conn.user.name } })
}
