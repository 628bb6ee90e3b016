import { BidiText } from '../bidi-text.js'

/** A message's text: its own bidi isolate (`dir=auto`), whose first strong letter sets its direction. */
export function MessageText ({ text }: { text: string }) {
  return <div class='msg-text' dir='auto'><BidiText text={text} /></div>
}
