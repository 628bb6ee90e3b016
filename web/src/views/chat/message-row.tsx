import type { ChatMessage } from '@webchat/shared'
import { formatFull, formatTime } from '../../model/format.js'
import { Avatar } from '../avatar.js'
import { pure } from '../pure.js'

export interface MessageRowProps {
  message: ChatMessage
  /** Same author as the row above, shortly after: no name or picture. */
  continued: boolean
  mine: boolean
  /** Names of those who have read up to here, if any. */
  seenBy: string | undefined
}

/** One message. Its text is a text node, so markup in a message shows as typed. */
export const MessageRow = pure(({ message: m, continued, mine, seenBy }: MessageRowProps) => {
  const time = <time dateTime={new Date(m.ts).toISOString()} title={formatFull(m.ts)}>{formatTime(m.ts)}</time>
  const body = [
    <div key='text' class='msg-text'>{m.text}</div>,
    <div key='seen' class='msg-seen' hidden={seenBy === undefined}>{seenBy === undefined ? '' : `Seen by ${seenBy}`}</div>
  ]
  if (continued) {
    return <li class='msg msg-cont' data-id={m.id}><span class='msg-gutter'>{time}</span><div class='msg-body'>{body}</div></li>
  }
  return (
    <li class={mine ? 'msg msg-mine' : 'msg'} data-id={m.id}>
      <Avatar id={m.user.id} name={m.user.name} />
      <div class='msg-body'>
        <div class='msg-head'><span class='msg-author'>{m.user.name}</span>{time}</div>
        {body}
      </div>
    </li>
  )
})

export const DaySeparator = ({ label }: { label: string }) => <li class='day-sep' role='separator'><span>{label}</span></li>
