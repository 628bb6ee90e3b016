import { useComputed, useSignal } from '@preact/signals'
import type { RefObject } from 'preact'
import { LIMITS } from '@webchat/shared'
import { formatFull } from '../../model/format.js'
import { quoteOf } from '../../model/message-changes.js'
import { composerBlock, roomLabel } from '../../model/room-info.js'
import type { ChatStore } from '../../store/chat-store.js'
import { Icon } from '../icon.js'
import { useNow } from '../use-now.js'
import { MENTION_LIST_ID, MentionList, optionId } from './mention-list.js'
import { ReplyQuote } from './reply-quote.js'
import { useMentions } from './use-mentions.js'

const MAX_ROWS = 8

/** The message my next one answers, above the box, with a button to answer nothing after all. */
function ReplyBar ({ store }: { store: ChatStore }) {
  const message = store.replying.value
  if (message === null) return null
  return (
    <div class='reply-bar'>
      <span class='reply-bar-label'>Replying to</span>
      <ReplyQuote quote={quoteOf(message)} />
      <button class='btn btn-icon' type='button' aria-label='Cancel reply' title='Cancel reply' onClick={() => store.replyTo(null)}>×</button>
    </div>
  )
}

/**
 * The message box: Enter sends, Shift+Enter adds a line; it grows with its text up to 8 lines.
 * `@` suggests people of the room. Once the session has ended it is off for good; in an archived
 * room, or while I am muted there, the reason shows in its place (a timed mute is checked again
 * every few seconds).
 */
export function Composer ({ store, input }: { store: ChatStore, input: RefObject<HTMLTextAreaElement | null> }) {
  const text = useSignal('')
  const mentions = useMentions(store, text, input)
  const ended = useComputed(() => store.connection.value?.state === 'ended')
  const info = store.view.info.value
  const now = useNow(5000, info.mutedUntil !== undefined && info.mutedUntil !== 'forever')
  const blocked = composerBlock(info, now, formatFull)
  const label = `Message ${roomLabel(store.active.value, info)}`
  const value = text.value
  const open = mentions.list.value.length > 0

  if (blocked !== null) {
    return <div class='composer composer-blocked' data-blocked={info.archived ? 'archived' : 'muted'}><p role='status'>{blocked}</p></div>
  }

  function submit (): void {
    const message = text.value.trim()
    if (message === '') return
    store.send(message, mentions.take(message))
    text.value = ''
    input.current?.focus()
  }

  return (
    <form class='composer' onSubmit={(e) => { e.preventDefault(); submit() }}>
      <label class='sr-only' for='composer-input'>{label}</label>
      <ReplyBar store={store} />
      <div class='composer-box'>
        <MentionList mentions={mentions} />
        <textarea
          ref={input} id='composer-input' rows={Math.min(MAX_ROWS, value.split('\n').length)} maxlength={LIMITS.textChars}
          aria-describedby='composer-hint' autocomplete='off' placeholder={label} disabled={ended.value} value={value}
          aria-autocomplete='list' aria-controls={open ? MENTION_LIST_ID : undefined}
          aria-activedescendant={open ? optionId(Math.min(mentions.active.value, mentions.list.value.length - 1)) : undefined}
          onKeyDown={(e) => {
            if (mentions.key(e)) return
            if (e.key === 'Escape' && store.replying.peek() !== null) {
              e.preventDefault()
              store.replyTo(null)
            } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
              e.preventDefault()
              submit()
            }
          }}
          onKeyUp={(e) => { if (e.key.startsWith('Arrow') || e.key === 'Home' || e.key === 'End') mentions.update() }}
          onClick={mentions.update}
          onInput={(e) => {
            text.value = e.currentTarget.value
            mentions.update()
            if (text.value.trim() !== '') store.typing()
          }}
        />
        <button class='btn btn-send' type='submit' aria-label='Send message' disabled={ended.value || value.trim() === ''}><Icon name='send' /></button>
      </div>
      <p class='composer-hint' id='composer-hint'>Enter to send · Shift+Enter for a new line · @ to mention someone</p>
    </form>
  )
}
