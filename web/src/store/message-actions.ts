import { isWebchatError } from '@webchat/client'
import type { ChatMessage } from '@webchat/shared'
import { errorText } from '../model/chat-errors.js'
import { reacted } from '../model/message-actions.js'
import type { ChatState } from './chat-state.js'
import type { ChatConnection } from './connection-feed.js'

/** What can be done to a message of the open room: answer it, edit it, delete it, react to it. */
export interface MessageActions {
  /** Answers `message` with the next one sent (null: not any more). */
  replyTo (message: ChatMessage | null): void
  /** Opens (or with null closes) the editor of one of my messages. */
  startEdit (id: string | null): void
  /** Each resolves with what went wrong, if anything (also shown as the notice). */
  saveEdit (id: string, text: string): Promise<string | undefined>
  deleteMessage (id: string): Promise<string | undefined>
  /** Adds my reaction, or takes it away when I had it. */
  toggleReaction (id: string, emoji: string): Promise<string | undefined>
}

/** A refusal of a change, in words: the codes the server has for them, then the general ones. */
function changeError (err: unknown): string {
  if (!isWebchatError(err)) return errorText(err)
  switch (err.code) {
    case 'forbidden': return 'You are not allowed to change that message.'
    case 'edit_window_passed': return 'That message can no longer be edited.'
    case 'not_found': return 'That message no longer exists.'
    case 'invalid_reaction': return 'That is not a reaction.'
    case 'too_many_reactions': return 'That message has as many reactions as it can take.'
    default: return errorText(err)
  }
}

export function createMessageActions (state: ChatState, conn: ChatConnection): MessageActions {
  const room = (): string => state.active.peek()
  const find = (id: string): ChatMessage | undefined => state.room.peek().messages.find((m) => m.id === id)

  /** The change is shown when the server's `change` comes back (to everyone at once); here only its refusal. */
  async function settle (work: Promise<string>): Promise<string | undefined> {
    try {
      await work
      return undefined
    } catch (err) {
      const text = changeError(err)
      state.notice.value = text
      return text
    }
  }

  return {
    replyTo (message) {
      state.replying.value = message
      if (message !== null) state.editing.value = null
    },
    startEdit (id) { state.editing.value = id },
    async saveEdit (id, text) {
      const message = find(id)
      const next = text.trim()
      if (message === undefined || next === '' || next === message.text) {
        state.editing.value = null
        return undefined
      }
      const failure = await settle(conn.edit(room(), id, next))
      if (failure === undefined && state.editing.peek() === id) state.editing.value = null
      return failure
    },
    async deleteMessage (id) { return await settle(conn.delete(room(), id)) },
    async toggleReaction (id, emoji) {
      const message = find(id)
      if (message === undefined) return undefined
      const remove = reacted(message, emoji, state.me.peek().id)
      return await settle(conn.react(room(), id, emoji, remove ? { remove } : {}))
    }
  }
}
