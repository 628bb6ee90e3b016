import type { ChatMessage, Member, Reaction } from '@webchat/shared'

/**
 * What changed about a message after it was sent, kept in the room's states map (one field per
 * message id, names.roomStates) and folded into every message a reader gets: the log keeps the
 * message as sent (a change cannot rewrite a stream entry), the map keeps it as it is now. A
 * deleted message's text is in neither: its entry was removed from the log and its state holds
 * only who deleted it.
 */
export interface MessageState {
  /** Current text and when it was last edited. */
  text?: string
  editedAt?: number
  /** How many edits it had (bounded by LIMITS.editsPerMessage). */
  edits?: number
  deleted?: { by: string, ts: number }
  reactions?: Reaction[]
}

export function parseState (raw: string | null): MessageState {
  if (raw === null) return {}
  try {
    const state = JSON.parse(raw) as unknown
    return typeof state === 'object' && state !== null ? state as MessageState : {}
  } catch {
    return {}
  }
}

export const stateText = (state: MessageState): string | null => Object.keys(state).length === 0 ? null : JSON.stringify(state)

/** `message` as it is now. */
export function applyState (message: ChatMessage, state: MessageState): ChatMessage {
  if (state.deleted !== undefined) {
    const { room, id, user, ts, seq, clientMsgId } = message
    return { room, id, user, ts, text: '', deleted: true, ...(seq === undefined ? {} : { seq }), ...(clientMsgId === undefined ? {} : { clientMsgId }) }
  }
  const current = { ...message }
  if (state.text !== undefined) current.text = state.text
  if (state.editedAt !== undefined) current.editedAt = state.editedAt
  if (state.reactions !== undefined && state.reactions.length > 0) current.reactions = state.reactions
  return current
}

/** A quoted message's author and state, for `replyTo`. */
export interface Quoted { user: Member, text: string | null }
