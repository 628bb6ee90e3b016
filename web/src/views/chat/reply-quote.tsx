import type { ReplyTo } from '@webchat/shared'
import { Name } from '../name.js'
import { BidiText } from '../bidi-text.js'

/** Brings the quoted message into view, when it is loaded. */
function goTo (id: string): void {
  const row = document.querySelector<HTMLElement>(`.msg[data-id="${id}"]`)
  if (row === null) return
  row.scrollIntoView({ block: 'center' })
  row.classList.add('msg-flash')
  setTimeout(() => row.classList.remove('msg-flash'), 1200)
}

/** The message a reply answers, above it: its author and the start of its text, or that it was deleted. */
export function ReplyQuote ({ quote }: { quote: ReplyTo }) {
  const deleted = quote.deleted === true
  return (
    <button class='reply-quote' type='button' data-reply-to={quote.id} aria-label={`Reply to ${quote.user.name}: ${deleted ? 'deleted message' : quote.preview ?? ''}. Show it.`} onClick={() => goTo(quote.id)}>
      <Name class='reply-author' person={quote.user} />
      {deleted
        ? <span class='reply-preview reply-deleted'>deleted message</span>
        : <span class='reply-preview' dir='auto'><BidiText text={quote.preview ?? ''} /></span>}
    </button>
  )
}
