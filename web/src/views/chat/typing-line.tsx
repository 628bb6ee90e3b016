import { typingNames } from '../../model/room-people.js'
import { typingText } from '../../model/typing.js'
import type { ChatStore } from '../../store/chat-store.js'
import { useNow } from '../use-now.js'

/** "Ana is typing…": redrawn every second while anyone is, so that it fades on time. */
export function TypingLine ({ store }: { store: ChatStore }) {
  const typing = store.view.typing.value
  const now = useNow(1000, typing.size > 0)
  return <div class='typing' aria-live='polite'>{typingText(typingNames({ typing }, now, store.me.value.id))}</div>
}
