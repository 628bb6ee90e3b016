import { tagIfShared } from '../../model/identity.js'
import { typingPeople } from '../../model/room-people.js'
import { typingParts } from '../../model/typing.js'
import type { ChatStore } from '../../store/chat-store.js'
import { Name } from '../name.js'
import { useNow } from '../use-now.js'

/** "Ana is typing…": redrawn every second while anyone is, so that it fades on time. */
export function TypingLine ({ store }: { store: ChatStore }) {
  const typing = store.view.typing.value
  const shared = store.view.sharedNames.value
  const now = useNow(1000, typing.size > 0)
  const parts = typingParts(typingPeople({ typing }, now, store.me.value.id))
  return (
    <div class='typing' aria-live='polite'>
      {parts.map((part) => typeof part === 'string' ? part : <Name key={part.id} person={part} tag={tagIfShared(part, shared)} />)}
    </div>
  )
}
