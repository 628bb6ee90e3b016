import type { ClientFrameOf } from '@webchat/shared'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'
import { mayWrite, screened } from './send.js'

// Changes to messages, acknowledged like sends with the id the change got in the room's log;
// refusals (forbidden, edit_window_passed, not_found, invalid_reaction, too_many_reactions) are
// thrown by lifecycle/changes.ts and answered as `error {ref: clientMsgId}`.

export async function edit (deps: ChatDeps, conn: Connection, { room, id, text, clientMsgId }: ClientFrameOf<'edit'>): Promise<void> {
  if (text.trim() === '') {
    conn.error('bad_frame', 'text is empty', clientMsgId)
    return
  }
  if (!mayWrite(deps, conn, room, clientMsgId)) return
  const stored = await screened(deps, conn, { kind: 'edit', room, text, messageId: id }, clientMsgId)
  if (stored === null) return
  conn.sendFrame({ type: 'ack', clientMsgId, id: await deps.changes.edit(room, conn.user, id, stored, clientMsgId) })
}

/** A muted member may still take back what they wrote; an archived room is read-only. */
export async function remove (deps: ChatDeps, conn: Connection, { room, id, clientMsgId }: ClientFrameOf<'delete'>): Promise<void> {
  if (!mayWrite(deps, conn, room, clientMsgId, { muted: false })) return
  conn.sendFrame({ type: 'ack', clientMsgId, id: await deps.changes.remove(room, conn.user, id, clientMsgId) })
}

export async function react (deps: ChatDeps, conn: Connection, { room, id, emoji, remove, clientMsgId }: ClientFrameOf<'react'>): Promise<void> {
  if (!mayWrite(deps, conn, room, clientMsgId)) return
  conn.sendFrame({ type: 'ack', clientMsgId, id: await deps.changes.react(room, conn.user, id, emoji, remove === true, clientMsgId) })
}
