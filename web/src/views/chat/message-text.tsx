import { formatFull } from '../../model/format.js'
import { BidiText } from '../bidi-text.js'

/**
 * A message's text: its own bidi isolate (`dir=auto`), whose first strong letter sets its
 * direction; an edited one says so after it.
 */
export function MessageText ({ text, editedAt }: { text: string, editedAt?: number | undefined }) {
  return (
    <div class='msg-text' dir='auto'>
      <BidiText text={text} />
      {editedAt === undefined ? null : <span class='msg-edited' dir='ltr' title={`Edited ${formatFull(editedAt)}`}> (edited)</span>}
    </div>
  )
}
