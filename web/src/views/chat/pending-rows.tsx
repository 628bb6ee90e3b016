import type { PendingMessage } from '../../model/pending.js'
import { Avatar } from '../avatar.js'

interface Props {
  pending: readonly PendingMessage[]
  me: { id: string, name: string }
  /** My last message is right above: the first pending one continues its group. */
  mineAbove: boolean
  retry (clientMsgId: string): void
  discard (clientMsgId: string): void
}

/** My messages on their way, below the others; a failed one says why and offers a retry. */
export function PendingRows ({ pending, me, mineAbove, retry, discard }: Props) {
  return (
    <ol class='rows pending-rows' aria-label='Messages being sent'>
      {pending.map((p, i) => {
        const continued = i > 0 || mineAbove
        const failed = p.status === 'failed'
        return (
          <li key={p.clientMsgId} class={`msg msg-pending msg-mine${continued ? ' msg-cont' : ''}${failed ? ' msg-failed' : ''}`} data-client-id={p.clientMsgId}>
            {continued ? <span class='msg-gutter' /> : <Avatar id={me.id} name={me.name} />}
            <div class='msg-body'>
              {continued ? null : <div class='msg-head'><span class='msg-author'>{me.name}</span></div>}
              <div class='msg-text'>{p.text}</div>
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
