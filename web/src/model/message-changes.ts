import { previewOf, type ChatMessage, type MessageChange, type ReplyTo } from '@webchat/shared'

/**
 * A message after a change to it (edit, delete, reaction). Each change carries the message's
 * resulting state, so applying one twice, or one older than what a history page already shows,
 * is harmless. A deleted message keeps nothing of what it said: no text, no reactions, no mentions.
 */
export function changedMessage (message: ChatMessage, change: MessageChange): ChatMessage {
  switch (change.kind) {
    case 'edit':
      if (message.deleted === true) return message
      return { ...message, text: change.text ?? message.text, ...(change.editedAt === undefined ? {} : { editedAt: change.editedAt }) }
    case 'delete': {
      const { reactions: _r, mentions: _m, mentionsRoom: _a, editedAt: _e, ...kept } = message
      return { ...kept, text: '', deleted: true }
    }
    case 'reaction':
      if (message.deleted === true) return message
      return { ...message, reactions: change.reactions ?? [] }
  }
}

/** A reply's quote after a change to the message it quotes: its new preview, or that it was deleted. */
function changedQuote (message: ChatMessage, change: MessageChange): ChatMessage {
  const quote = message.replyTo
  if (quote === undefined || quote.id !== change.target || change.kind === 'reaction') return message
  if (change.kind === 'delete') return { ...message, replyTo: { id: quote.id, user: quote.user, deleted: true } }
  return { ...message, replyTo: { ...quote, preview: previewOf(change.text ?? '') } }
}

/** The list after `change`: the message it changes and the replies quoting it; the same list when none is loaded. */
export function applyChangeTo (messages: readonly ChatMessage[], change: MessageChange): readonly ChatMessage[] {
  let touched = false
  const next = messages.map((m) => {
    const after = changedQuote(m.id === change.target ? changedMessage(m, change) : m, change)
    if (after !== m) touched = true
    return after
  })
  return touched ? next : messages
}

/** A room (or anything holding messages) after `change`; the same object when it changes nothing loaded. */
export function applyChange<R extends { readonly messages: readonly ChatMessage[] }> (room: R, change: MessageChange): R {
  const messages = applyChangeTo(room.messages, change)
  return messages === room.messages ? room : { ...room, messages }
}

/** How a reply quotes `message`: its id, author and the start of its text (or that it was deleted). */
export function quoteOf (message: ChatMessage): ReplyTo {
  const { id, user } = message
  return message.deleted === true ? { id, user, deleted: true } : { id, user, preview: previewOf(message.text) }
}
