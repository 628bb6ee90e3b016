import { errorText } from '../model/chat-errors.js'
import { isPending, setPendingStatus } from '../model/pending.js'
import { applyMessage } from '../model/room-state.js'
import { updateRoom, type ChatState } from './chat-state.js'
import type { ChatConnection } from './connection-feed.js'

/**
 * Sends (or sends again) a pending message of mine, with its reply and mentions: it becomes a
 * message at its ack, or stays failed with the reason.
 */
export function createSender (state: ChatState, conn: Pick<ChatConnection, 'send'>, readIfSeen: () => void): (room: string, clientMsgId: string) => void {
  return function sendPending (room: string, clientMsgId: string): void {
    const p = state.rooms.peek().get(room)?.pending.find((x) => x.clientMsgId === clientMsgId)
    if (p === undefined) return
    updateRoom(state, room, (r) => setPendingStatus(r, clientMsgId))
    const { replyTo, mentions, mentionsRoom } = p
    // What the message carries besides its text, as the send and as the message shown from its ack.
    const mentioned = {
      ...(mentions === undefined || mentions.length === 0 ? {} : { mentions: [...mentions] }),
      ...(mentionsRoom === true ? { mentionsRoom } : {})
    }
    conn.send(room, p.text, { clientMsgId, ...(replyTo === undefined ? {} : { replyTo: replyTo.id }), ...mentioned }).then((id) => {
      // The ack can come before the message itself (or instead of it): show it from the ack.
      const r = state.rooms.peek().get(room)
      if (r === undefined || !isPending(r, clientMsgId)) return
      const me = state.me.peek()
      const message = { room, id, user: { id: me.id, name: me.name }, text: p.text, ts: p.ts, clientMsgId, ...(replyTo === undefined ? {} : { replyTo }), ...mentioned }
      updateRoom(state, room, (r) => applyMessage(r, message, me.id))
      if (room === state.active.peek()) readIfSeen()
    }, (err: unknown) => {
      updateRoom(state, room, (r) => isPending(r, clientMsgId) ? setPendingStatus(r, clientMsgId, errorText(err)) : r)
    })
  }
}
