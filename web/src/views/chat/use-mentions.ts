import { useComputed, useSignal, type Signal } from '@preact/signals'
import type { RefObject } from 'preact'
import { useRef } from 'preact/hooks'
import { canMentionRoom } from '../../model/message-actions.js'
import { insertMention, mentionQuery, mentionsIn, suggestions, type Suggestion } from '../../model/mentions.js'
import type { ChatStore } from '../../store/chat-store.js'

export interface Mentions {
  /** What the `@…` before the caret may mean (empty: no list shown). */
  readonly list: Signal<readonly Suggestion[]>
  readonly active: Signal<number>
  /** The caret moved or the text changed. */
  update (): void
  pick (s: Suggestion): void
  /** Keys of the open list (arrows, Enter, Tab, Escape); whether it took the key. */
  key (e: KeyboardEvent): boolean
  /** What the message being sent mentions; forgets the picks. */
  take (text: string): { mentions: string[], mentionsRoom: boolean }
}

/** `@` in the composer: suggests people of the room (and `@room` to owners and moderators), inserts the one picked and remembers their id. */
export function useMentions (store: ChatStore, text: Signal<string>, input: RefObject<HTMLTextAreaElement | null>): Mentions {
  const caret = useSignal(0)
  const active = useSignal(0)
  /** The `@` whose list was closed with Escape: not offered again until another one. */
  const dismissed = useSignal(-1)
  const picked = useRef(new Map<string, string>())
  const query = useComputed(() => {
    const q = mentionQuery(text.value, caret.value)
    return q === null || q.start === dismissed.value ? null : q
  })
  const list = useComputed(() => {
    const q = query.value
    if (q === null) return []
    const people = new Map(store.view.members.value.map((m) => [m.id, { id: m.id, name: m.name }]))
    for (const m of store.view.messages.value) if (!people.has(m.user.id)) people.set(m.user.id, m.user)
    return suggestions(people.values(), q.query, store.me.value.id, canMentionRoom(store.view.info.value.role))
  })

  function pick (s: Suggestion): void {
    const el = input.current
    const q = query.value
    if (el === null || q === null) return
    const next = insertMention(text.value, q, caret.value, s.name)
    picked.current.set(s.id, s.name)
    text.value = next.text
    el.value = next.text
    el.setSelectionRange(next.caret, next.caret)
    caret.value = next.caret
    el.focus()
  }

  return {
    list,
    active,
    update () {
      const el = input.current
      if (el === null) return
      if (caret.value === el.selectionStart && query.peek() !== null) return
      caret.value = el.selectionStart
      active.value = 0
    },
    pick,
    key (e) {
      const shown = list.value
      if (shown.length === 0) return false
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        active.value = (active.value + (e.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length
      } else if (e.key === 'Enter' || e.key === 'Tab') {
        pick(shown[Math.min(active.value, shown.length - 1)]!)
      } else if (e.key === 'Escape') {
        dismissed.value = query.value?.start ?? -1
      } else {
        return false
      }
      e.preventDefault()
      return true
    },
    take (message) {
      const found = mentionsIn(message, picked.current)
      picked.current.clear()
      dismissed.value = -1
      return found
    }
  }
}
