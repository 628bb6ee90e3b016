import { useComputed, useSignal } from '@preact/signals'
import type { RefObject } from 'preact'
import { LIMITS } from '@webchat/shared'
import { formatFull } from '../../model/format.js'
import { composerBlock, roomLabel } from '../../model/room-info.js'
import type { ChatStore } from '../../store/chat-store.js'
import { Icon } from '../icon.js'
import { useNow } from '../use-now.js'

const MAX_ROWS = 8

/**
 * The message box: Enter sends, Shift+Enter adds a line; it grows with its text up to 8 lines.
 * Once the session has ended it is off for good; in an archived room, or while I am muted there,
 * the reason shows in its place (a timed mute is checked again every few seconds).
 */
export function Composer ({ store, input }: { store: ChatStore, input: RefObject<HTMLTextAreaElement | null> }) {
  const text = useSignal('')
  const ended = useComputed(() => store.connection.value?.state === 'ended')
  const info = store.view.info.value
  const now = useNow(5000, info.mutedUntil !== undefined && info.mutedUntil !== 'forever')
  const blocked = composerBlock(info, now, formatFull)
  const label = `Message ${roomLabel(store.active.value, info)}`
  const value = text.value

  if (blocked !== null) {
    return <div class='composer composer-blocked' data-blocked={info.archived ? 'archived' : 'muted'}><p role='status'>{blocked}</p></div>
  }

  function submit (): void {
    const message = text.value.trim()
    if (message === '') return
    store.send(message)
    text.value = ''
    input.current?.focus()
  }

  return (
    <form class='composer' onSubmit={(e) => { e.preventDefault(); submit() }}>
      <label class='sr-only' for='composer-input'>{label}</label>
      <div class='composer-box'>
        <textarea
          ref={input} id='composer-input' rows={Math.min(MAX_ROWS, value.split('\n').length)} maxlength={LIMITS.textChars}
          aria-describedby='composer-hint' autocomplete='off' placeholder={label} disabled={ended.value} value={value}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
              e.preventDefault()
              submit()
            }
          }}
          onInput={(e) => {
            text.value = e.currentTarget.value
            if (text.value.trim() !== '') store.typing()
          }}
        />
        <button class='btn btn-send' type='submit' aria-label='Send message' disabled={ended.value || value.trim() === ''}><Icon name='send' /></button>
      </div>
      <p class='composer-hint' id='composer-hint'>Enter to send · Shift+Enter for a new line</p>
    </form>
  )
}
