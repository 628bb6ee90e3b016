import { fullName, type Person } from '../../model/identity.js'
import type { PendingMessage } from '../../model/pending.js'
import { Avatar } from '../avatar.js'
import { Name } from '../name.js'
import { MessageText } from './message-text.js'

interface Props {
  pending: readonly PendingMessage[]
  me: Person
  /** My tag, when someone else in the room has a name like mine. */
  myTag: string | undefined
  /** My last message is right above: the first pending one continues its group. */
  mineAbove: boolean
  retry (clientMsgId: string): void
  discard (clientMsgId: string): void
}

/** My messages on their way, below the others; a failed one says why and offers a retry. */
export function PendingRows ({ pending, me, myTag, mineAbove, retry, discard }: Props) {
  return (
    <ol class='rows pending-rows' aria-label='Messages being sent'>
      {pending.map((p, i) => {
        const continued = i > 0 || mineAbove
        const failed = p.status === 'failed'
        return (
          <li key={p.clientMsgId} class={`msg msg-pending msg-mine${continued ? ' msg-cont' : ''}${failed ? ' msg-failed' : ''}`} data-client-id={p.clientMsgId}>
            {continued ? <span class='msg-gutter' /> : <Avatar id={me.id} name={me.name} title={fullName(me)} />}
            <div class='msg-body'>
              {continued ? null : <div class='msg-head'><Name class='msg-author' person={me} tag={myTag} /></div>}
              <MessageText text={p.text} />
              <div class='msg-status'>
                {failed ? `Not sent: ${p.error ?? 'error'}. ` : 'Sending…'}
                {failed ? <button class='btn btn-link' type='button' onClick={() => retry(p.clientMsgId)}>Retry</button> : null}
                {failed ? <button class='btn btn-link' type='button' onClick={() => discard(p.clientMsgId)}>Discard</button> : null}
              </div>
            </div>
          </li>
        )
      })}
    </ol>
  )
}
