import { mentions, type ChatMessage } from '@webchat/shared'
import { formatFull, formatTime } from '../../model/format.js'
import { fullName, tagIfShared, type Person } from '../../model/identity.js'
import type { MessageActions } from '../../store/message-actions.js'
import { Avatar } from '../avatar.js'
import { Name, NameList } from '../name.js'
import { pure } from '../pure.js'
import { EditBox } from './edit-box.js'
import { MessageToolbar } from './message-actions.js'
import { MessageText } from './message-text.js'
import { Reactions } from './reactions.js'
import { ReplyQuote } from './reply-quote.js'

export interface MessageRowProps {
  message: ChatMessage
  /** Same author as the row above, shortly after: no name or picture. */
  continued: boolean
  mine: boolean
  /** Those who have read up to here, if any. */
  seenBy: readonly Person[] | undefined
  /** Names more than one person in the room has (the same set while it does not change). */
  shared: ReadonlySet<string>
  me: string
  actions: MessageActions
  /** What I may do to it now. */
  editable: boolean
  deletable: boolean
  /** Its editor is open in place of its text. */
  editing: boolean
}

/**
 * One message; its text is a bidi isolate, so nothing in it reorders the row around it. A row takes
 * the focus when tapped (not by Tab), so that on a touch screen, which has no hover, a tap shows its
 * actions.
 */
export const MessageRow = pure((props: MessageRowProps) => {
  const { message: m, continued, mine, seenBy, shared, me, actions, editable, deletable, editing } = props
  const time = <time dateTime={new Date(m.ts).toISOString()} title={formatFull(m.ts)}>{formatTime(m.ts)}</time>
  const tagOf = (person: Person): string | undefined => tagIfShared(person, shared)
  const deleted = m.deleted === true
  const text = editing
    ? <EditBox key='edit' text={m.text} save={async (text) => await actions.saveEdit(m.id, text)} cancel={() => actions.startEdit(null)} />
    : deleted
      ? <p key='text' class='msg-text msg-deleted'>This message was deleted</p>
      : <MessageText key='text' text={m.text} editedAt={m.editedAt} />
  const body = [
    m.replyTo === undefined ? null : <ReplyQuote key='quote' quote={m.replyTo} />,
    text,
    deleted ? null : <Reactions key='reactions' message={m} me={me} toggle={(id, emoji) => { void actions.toggleReaction(id, emoji) }} />,
    <div key='seen' class='msg-seen' hidden={seenBy === undefined}>{seenBy === undefined ? null : ['Seen by ', <NameList key='names' people={seenBy} tagOf={tagOf} />]}</div>
  ]
  const toolbar = deleted || editing ? null : <MessageToolbar message={m} actions={actions} editable={editable} deletable={deletable} />
  const classes = `msg${continued && m.replyTo === undefined ? ' msg-cont' : ''}${mine ? ' msg-mine' : ''}${deleted ? ' msg-is-deleted' : ''}${mentions(m, me) ? ' msg-mentions-me' : ''}`
  if (continued && m.replyTo === undefined) {
    return <li class={classes} data-id={m.id} data-user={m.user.id} tabIndex={-1}><span class='msg-gutter'>{time}</span><div class='msg-body'>{body}</div>{toolbar}</li>
  }
  return (
    <li class={classes} data-id={m.id} data-user={m.user.id} tabIndex={-1}>
      <Avatar id={m.user.id} name={m.user.name} title={fullName(m.user)} />
      <div class='msg-body'>
        <div class='msg-head'><Name class='msg-author' person={m.user} tag={tagOf(m.user)} />{time}</div>
        {body}
      </div>
      {toolbar}
    </li>
  )
})

export const DaySeparator = ({ label }: { label: string }) => <li class='day-sep' role='separator'><span>{label}</span></li>
