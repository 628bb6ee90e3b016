import type { BeforeSendRequest, ClientFrameOf } from '@webchat/shared'
import { checkExtras } from '../../lifecycle/extras.js'
import { mayNotify } from '../../notify/notifier.js'
import { sendRefusal } from '../../membership/access.js'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'

/**
 * Whether the connection may write to the room now (a send, an edit, a reaction): joined, not
 * muted or archived, within its send rate. Answers the refusal itself.
 */
export function mayWrite (deps: ChatDeps, conn: Connection, room: string, clientMsgId: string, { muted = true } = {}): boolean {
  if (!conn.inRoom(room)) {
    conn.error('not_joined', 'join the room before sending to it', clientMsgId)
    return false
  }
  const refusal = sendRefusal(conn.accessTo(room))
  if (refusal !== null && (muted || refusal.code === 'archived')) {
    conn.error(refusal.code, refusal.message, clientMsgId)
    return false
  }
  // Changes cost the room's log what a message does: they share its rate.
  if (!conn.sends.take() || !deps.allowances.sends(conn.user.id).take()) {
    deps.metrics.refused.labels('rate_limited').inc()
    conn.error('rate_limited', 'sending too fast: slow down', clientMsgId)
    conn.strike()
    return false
  }
  return true
}

/**
 * The text to store, as the host product's before-send hook (BEFORE_SEND_URL) has it, or null once
 * the sender has been told it was rejected. Without the hook, the text as sent.
 */
export async function screened (deps: ChatDeps, conn: Connection, request: Omit<BeforeSendRequest, 'id' | 'user'>, clientMsgId: string): Promise<string | null> {
  if (deps.beforeSend === undefined) return request.text
  const verdict = await deps.beforeSend.check({ ...request, user: { id: conn.user.id, name: conn.user.name } })
  if (verdict.action === 'allow') return request.text
  if (verdict.action === 'rewrite') return verdict.text
  deps.metrics.refused.labels('rejected').inc()
  conn.error('rejected', verdict.reason, clientMsgId)
  return null
}

export async function send (deps: ChatDeps, conn: Connection, frame: ClientFrameOf<'send'>): Promise<void> {
  const { room, text, clientMsgId } = frame
  if (text.trim() === '') {
    conn.error('bad_frame', 'text is empty', clientMsgId)
    return
  }
  if (!mayWrite(deps, conn, room, clientMsgId)) return
  // The sender's read marker moves to their message in the append itself (their own messages never
  // count as unread); each mentioned user's count gains it after: O(1) per mention, never per member.
  const extras = { ...await checkExtras(deps, conn.user, frame), readsUpTo: true }
  const stored = deps.beforeSend === undefined
    ? text
    : await screened(deps, conn, { kind: 'message', room, text, ...(frame.replyTo === undefined ? {} : { replyTo: frame.replyTo }), ...(extras.mentions === undefined ? {} : { mentions: extras.mentions }) }, clientMsgId)
  if (stored === null) return
  const { id, duplicate, seq, epoch } = await deps.messages.append(room, conn.user, stored, clientMsgId, extras)
  if (!duplicate && seq !== undefined && (extras.mentions !== undefined || extras.mentionsRoom === true)) {
    await deps.inbox.recordMentions(room, { user: conn.user, seq, mentions: extras.mentions, mentionsRoom: extras.mentionsRoom }, epoch)
  }
  conn.sendFrame({ type: 'ack', clientMsgId, id })
  if (!duplicate && seq !== undefined && deps.notifier !== undefined && mayNotify(room, extras.mentions)) {
    await deps.notifier.stored({ room, id, seq, epoch, from: conn.user, text: stored, ts: Date.now(), mentions: extras.mentions })
      .catch((err: unknown) => { deps.log.warn({ err, room }, 'message not listed for mail') })
  }
}
