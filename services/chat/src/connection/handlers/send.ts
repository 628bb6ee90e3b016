import type { ClientFrameOf } from '@webchat/shared'
import { sendRefusal } from '../../membership/access.js'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'

export async function send (deps: ChatDeps, conn: Connection, frame: ClientFrameOf<'send'>): Promise<void> {
  const { room, text, clientMsgId } = frame
  if (!conn.inRoom(room)) {
    conn.error('not_joined', 'join the room before sending to it', clientMsgId)
    return
  }
  const refusal = sendRefusal(conn.accessTo(room))
  if (refusal !== null) {
    conn.error(refusal.code, refusal.message, clientMsgId)
    return
  }
  if (text.trim() === '') {
    conn.error('bad_frame', 'text is empty', clientMsgId)
    return
  }
  if (!conn.sends.take() || !deps.allowances.sends(conn.user.id).take()) {
    deps.metrics.refused.labels('rate_limited').inc()
    conn.error('rate_limited', 'sending too fast: slow down', clientMsgId)
    conn.strike()
    return
  }
  const { id } = await deps.messages.append(room, conn.user, text, clientMsgId)
  conn.sendFrame({ type: 'ack', clientMsgId, id })
}
