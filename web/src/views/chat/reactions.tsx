import type { ChatMessage, Reaction } from '@webchat/shared'

/** "Ana, Ben and 3 others": who reacted, for the hover text. */
function who (reaction: Reaction, me: string): string {
  const names = reaction.users.map((u) => u.id === me ? 'You' : u.name)
  const shown = names.slice(0, 10)
  const rest = names.length - shown.length
  const list = rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)!}` : shown[0] ?? ''
  return `${list} reacted with ${reaction.emoji}`
}

/** A message's reactions as chips: the emoji and how many; mine are pressed, and a click takes mine away or adds it. */
export function Reactions ({ message, me, toggle }: { message: ChatMessage, me: string, toggle (id: string, emoji: string): void }) {
  const reactions = message.reactions ?? []
  if (reactions.length === 0) return null
  return (
    <div class='reactions' role='group' aria-label='Reactions'>
      {reactions.map((r) => {
        const mine = r.users.some((u) => u.id === me)
        const title = who(r, me)
        return (
          <button
            key={r.emoji} class={mine ? 'reaction reaction-mine' : 'reaction'} type='button' aria-pressed={mine ? 'true' : 'false'}
            title={title} aria-label={`${title}. ${mine ? 'Remove your reaction' : 'React with it too'}.`} data-emoji={r.emoji} onClick={() => toggle(message.id, r.emoji)}
          >
            <span class='reaction-emoji' aria-hidden='true'>{r.emoji}</span>
            <span class='reaction-count' aria-hidden='true'>{r.users.length}</span>
          </button>
        )
      })}
    </div>
  )
}
