import type { ChatMessage } from '@webchat/shared'
import { formatFull, formatTime } from '../../model/format.js'
import { fullName, tagIfShared, type Person } from '../../model/identity.js'
import { Avatar } from '../avatar.js'
import { Name, NameList } from '../name.js'
import { pure } from '../pure.js'
import { MessageText } from './message-text.js'

export interface MessageRowProps {
  message: ChatMessage
  /** Same author as the row above, shortly after: no name or picture. */
  continued: boolean
  mine: boolean
  /** Those who have read up to here, if any. */
  seenBy: readonly Person[] | undefined
  /** Names more than one person in the room has (the same set while it does not change). */
  shared: ReadonlySet<string>
}

/** One message; its text is a bidi isolate, so nothing in it reorders the row around it. */
export const MessageRow = pure(({ message: m, continued, mine, seenBy, shared }: MessageRowProps) => {
  const time = <time dateTime={new Date(m.ts).toISOString()} title={formatFull(m.ts)}>{formatTime(m.ts)}</time>
  const tagOf = (person: Person): string | undefined => tagIfShared(person, shared)
  const body = [
    <MessageText key='text' text={m.text} />,
    <div key='seen' class='msg-seen' hidden={seenBy === undefined}>{seenBy === undefined ? null : ['Seen by ', <NameList key='names' people={seenBy} tagOf={tagOf} />]}</div>
  ]
  if (continued) {
    return <li class='msg msg-cont' data-id={m.id} data-user={m.user.id}><span class='msg-gutter'>{time}</span><div class='msg-body'>{body}</div></li>
  }
  return (
    <li class={mine ? 'msg msg-mine' : 'msg'} data-id={m.id} data-user={m.user.id}>
      <Avatar id={m.user.id} name={m.user.name} title={fullName(m.user)} />
      <div class='msg-body'>
        <div class='msg-head'><Name class='msg-author' person={m.user} tag={tagOf(m.user)} />{time}</div>
        {body}
      </div>
    </li>
  )
})

export const DaySeparator = ({ label }: { label: string }) => <li class='day-sep' role='separator'><span>{label}</span></li>
