import { ROOM_MENTION } from '../../model/mentions.js'
import { userTag } from '../../model/identity.js'
import { Avatar } from '../avatar.js'
import { BidiText } from '../bidi-text.js'
import type { Mentions } from './use-mentions.js'

export const MENTION_LIST_ID = 'mention-list'
export const optionId = (i: number): string => `mention-option-${i}`

/** The people `@…` may mean, above the message box; a click (or Enter, Tab) picks one. */
export function MentionList ({ mentions }: { mentions: Mentions }) {
  const list = mentions.list.value
  if (list.length === 0) return null
  const active = Math.min(mentions.active.value, list.length - 1)
  return (
    <ul class='mention-list' id={MENTION_LIST_ID} role='listbox' aria-label='People to mention'>
      {list.map((s, i) => (
        <li
          key={s.id} id={optionId(i)} class={i === active ? 'mention-option active' : 'mention-option'} role='option' aria-selected={i === active ? 'true' : 'false'}
          data-user={s.id} onPointerDown={(e) => { e.preventDefault(); mentions.pick(s) }}
        >
          {s.id === ROOM_MENTION
            ? [<span key='a' class='avatar avatar-small mention-room' aria-hidden='true'>@</span>, <span key='n' class='mention-name'>@room</span>, <span key='h' class='muted small'>everyone in the room</span>]
            : [<Avatar key='a' id={s.id} name={s.name} small />, <span key='n' class='mention-name'><bdi><BidiText text={s.name} /></bdi></span>, <span key='h' class='name-tag'>{`#${userTag(s.id)}`}</span>]}
        </li>
      ))}
    </ul>
  )
}
